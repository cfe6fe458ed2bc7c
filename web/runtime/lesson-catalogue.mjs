/**
 * The eight lessons of attention-lab, in teaching order, as data: a number, a title,
 * a one-line summary and a status. A lesson whose status is 'coming-soon' is listed
 * but not linked; when a lesson is written, its entry gains a `href` (the lesson page
 * with the lesson's file name, see lessons/README.md) and the status 'ready'.
 */
export const lessonCatalogue = [
  {
    number: 1,
    title: 'The library: query, keys, values',
    summary: 'Drag a query among book titles and watch dot products become softmax weights and a blended value.',
    status: 'ready',
    href: 'lesson.html?lesson=library',
  },
  {
    number: 2,
    title: 'Self-attention: a sentence looks at itself',
    summary: 'Turn the words of a sentence into queries, keys and values, and read the attention map they make.',
    status: 'ready',
    href: 'lesson.html?lesson=self-attention',
  },
  {
    number: 3,
    title: 'Why 1/sqrt(d_k)',
    summary: 'Measure how dot products grow with dimension, saturate the softmax, and how scaling keeps them tame.',
    status: 'ready',
    href: 'lesson.html?lesson=scaling',
  },
  {
    number: 4,
    title: 'Global and local context',
    summary: 'Send one long-range dependency through a convolution, an RNN, local and global attention.',
    status: 'coming-soon',
  },
  {
    number: 5,
    title: 'Stacking layers',
    summary: 'Chase pointers: one layer makes one hop, so k hops need k layers.',
    status: 'coming-soon',
  },
  {
    number: 6,
    title: 'Multi-head attention',
    summary: 'Compare per-head heatmaps and entropies with the entropy of their mixture.',
    status: 'coming-soon',
  },
  {
    number: 7,
    title: 'Taming the beast',
    summary: 'Switch attention dropout and entropy regularisation on and off while a small model trains.',
    status: 'coming-soon',
  },
  {
    number: 8,
    title: 'Attending to tasks',
    summary: 'Watch a softmax over tasks weight a multi-task loss, and see where the weights flow.',
    status: 'coming-soon',
  },
];
