/**
 * The eight lessons of attention-lab, in teaching order, as data: a number, a slug (the
 * lesson's file name in lessons/, and its name for `<attention-lesson name=…>`), a
 * title in plain text (Unicode for math: the list cannot typeset), a one-line summary
 * and a status. A lesson that is written has the status 'ready' and is linked; one
 * still 'coming-soon' is listed without a link. Adding a lesson is one entry here.
 */
export const lessonCatalogue = Object.freeze([
  {
    number: 1,
    slug: 'library',
    title: 'The library: query, keys, values',
    summary: 'Drag a query among book titles and follow one chain of numbers from dot products to softmax weights to a blended value.',
    status: 'ready',
  },
  {
    number: 2,
    slug: 'self-attention',
    title: 'Self-attention: a sentence reads itself',
    summary: 'Turn words into queries, keys and values, and watch every word weigh every other in one heatmap.',
    status: 'ready',
  },
  {
    number: 3,
    slug: 'scaling',
    title: 'Why 1/√dₖ',
    summary: 'Measure how dot products grow with dimension, saturate the softmax and starve its gradient, and how scaling keeps them tame.',
    status: 'ready',
  },
  {
    number: 4,
    slug: 'context',
    title: 'Global and local context, and word order',
    summary: 'Send one long-range dependency through a convolution, an RNN, local and global attention.',
    status: 'ready',
  },
  {
    number: 5,
    slug: 'stacking',
    title: 'Stacking layers: one lookup after another',
    summary: 'Chase pointers: one layer makes one hop, so k hops need k layers.',
    status: 'ready',
  },
  {
    number: 6,
    slug: 'multi-head',
    title: 'Multi-head attention: many perspectives',
    summary: 'Compare per-head heatmaps and entropies with the entropy of their mixture.',
    status: 'ready',
  },
  {
    number: 7,
    slug: 'regularisation',
    title: 'Taming attention: dropout and entropy',
    summary: 'Switch attention dropout and entropy regularisation on and off while a small model trains.',
    status: 'ready',
  },
  {
    number: 8,
    slug: 'tasks',
    title: 'Attending to tasks',
    summary: 'Watch a softmax over tasks weight a multi-task loss, and see where the weights flow.',
    status: 'ready',
  },
]);
