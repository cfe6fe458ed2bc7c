/**
 * The parameters of `<self-attention>` (and so of the playground): what each accepts,
 * how its text is read and written, and its default. No DOM: the widget, the playground
 * page and the Node tests share it.
 *
 * A view is a plain object of values; `readView(texts)` reads one from attribute or URL
 * texts (collecting a message for each text it cannot read), `viewTexts(view)` writes
 * the texts back. Pasted matrices and sentences stay text: they are parsed (with their
 * own messages) when the problem is built.
 */

const integer = (min, max) => (text) => {
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  return Number.isSafeInteger(value) && value >= min && value <= max ? value : undefined;
};
const oneOf = (...choices) => (text) => (choices.includes(text.trim()) ? text.trim() : undefined);
const anyText = (text) => text;
const number = (min, max) => (text) => {
  const value = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(text) ? Number(text) : NaN;
  return value >= min && value <= max ? value : undefined;
};
const boolean = (text) => ({ true: true, false: false })[text.trim()];

/** The sections a lesson may show (`sections`). */
export const sectionNames = ['formula', 'heatmap', 'walk', 'stages'];

const sectionList = (text) => {
  const names = text.split(',').map((name) => name.trim()).filter(Boolean);
  if (names.length === 1 && names[0] === 'all') return [...sectionNames];
  return names.length && names.every((name) => sectionNames.includes(name)) ? names : undefined;
};

/** The controls a lesson may show (`controls`), in the order they appear. */
export const controlNames = ['source', 'sentence', 'heads', 'scaling', 'temperature', 'mask', 'tie', 'query', 'edit', 'domain'];

const controlList = (text) => {
  const names = text.split(',').map((name) => name.trim()).filter(Boolean);
  if (names.length === 1 && names[0] === 'all') return [...controlNames];
  if (names.length === 1 && names[0] === 'none') return [];
  return names.every((name) => controlNames.includes(name)) ? names : undefined;
};

/** Every parameter: what it accepts (shown when a text is refused), its reader and its default. */
export const parameterSpecs = {
  source: { accepts: 'sentence, random or numbers', read: oneOf('sentence', 'random', 'numbers'), fallback: 'sentence' },
  sentence: { accepts: 'words separated by spaces (1 to 1024), from the vocabulary or your own', read: anyText, fallback: 'the cat chased the birds because it was hungry' },
  vectors: { accepts: 'features of your own words: word:f1:…:f7, separated by commas', read: anyText, fallback: '' },
  wq: { accepts: 'changes to the designed W_Q: feature:slot:number, separated by commas', read: anyText, fallback: '' },
  wk: { accepts: 'changes to the designed W_K: feature:slot:number, separated by commas', read: anyText, fallback: '' },
  seed: { accepts: 'an integer from 0 to 2147483647', read: integer(0, 2 ** 31 - 1), fallback: 1 },
  n: { accepts: 'the number of random tokens, an integer from 1 to 1024', read: integer(1, 1024), fallback: 16 },
  dk: { accepts: 'd_k of each head for random input, an integer from 1 to 256', read: integer(1, 256), fallback: 8 },
  dv: { accepts: 'd_v of each head for random input, an integer from 1 to 256', read: integer(1, 256), fallback: 8 },
  paste: { accepts: 'qkv (Q, K and V) or xw (x with W_Q, W_K and W_V)', read: oneOf('qkv', 'xw'), fallback: 'qkv' },
  pq: { accepts: 'the numbers of Q', read: anyText, fallback: '1 0\n0 1\n1 1' },
  pk: { accepts: 'the numbers of K', read: anyText, fallback: '1 0\n0 1\n1 1' },
  pv: { accepts: 'the numbers of V', read: anyText, fallback: '1 0 0\n0 1 0\n0 0 1' },
  px: { accepts: 'the numbers of x', read: anyText, fallback: '1 0\n0 1\n1 1' },
  pwq: { accepts: 'the numbers of W_Q', read: anyText, fallback: '1 0\n0 1' },
  pwk: { accepts: 'the numbers of W_K', read: anyText, fallback: '1 0\n0 1' },
  pwv: { accepts: 'the numbers of W_V', read: anyText, fallback: '1 0\n0 1' },
  heads: { accepts: 'an integer from 1 to 16 that divides the widths (with a sentence: 1, or 2 for one head per relation)', read: integer(1, 16), fallback: 1 },
  scaling: { accepts: 'sqrt, none or l2', read: oneOf('sqrt', 'none', 'l2'), fallback: 'sqrt' },
  temperature: { accepts: 'a number from 0.05 to 20', read: number(0.05, 20), fallback: 1 },
  mask: { accepts: 'none, causal or local', read: oneOf('none', 'causal', 'local'), fallback: 'none' },
  window: { accepts: 'an integer from 0 to 1023 (the local mask lets a query see keys this far away)', read: integer(0, 1023), fallback: 2 },
  tie: { accepts: 'true or false (values tied to keys: V = K)', read: boolean, fallback: false },
  query: { accepts: 'the query walked step by step, a token number from 1', read: integer(1, 1024), fallback: 1 },
  key: { accepts: 'the key looked at in the walk, a token number from 1', read: integer(1, 1024), fallback: 1 },
  head: { accepts: 'the head walked, from 1', read: integer(1, 16), fallback: 1 },
  shown: { accepts: 'weights or scores: what the heatmaps show', read: oneOf('weights', 'scores'), fallback: 'weights' },
  domain: { accepts: 'auto (from 0 to 1 up to 64 keys, else to the largest weight), one (from 0 to 1) or max (from 0 to the largest weight)', read: oneOf('auto', 'one', 'max'), fallback: 'auto' },
  controls: { accepts: `all, none, or a comma-separated list of ${controlNames.join(', ')}`, read: controlList, fallback: [...controlNames] },
  sections: { accepts: `all, or a comma-separated list of ${sectionNames.join(', ')}`, read: sectionList, fallback: [...sectionNames] },
};

/** Parameters the author fixes: never in `state`. */
const fixedNames = ['controls', 'sections'];

/** The parameters kept in `state` (and the URL): all but `controls` and `sections`, which the author fixes. */
export const stateNames = Object.keys(parameterSpecs).filter((name) => !fixedNames.includes(name));

/**
 * Reads a view from texts, each looked up in `layers` in turn (e.g. [urlState,
 * attributes]): the first readable text wins; an unreadable text is skipped with a
 * message in `problems` ({ name, text, accepts }).
 */
export function readView(layers) {
  const view = {};
  const problems = [];
  for (const [name, spec] of Object.entries(parameterSpecs)) {
    view[name] = spec.fallback;
    for (const layer of layers) {
      const text = layer?.[name];
      if (text === undefined || text === null) continue;
      const value = spec.read(String(text));
      if (value === undefined) {
        problems.push({ name, text: String(text), accepts: spec.accepts, layer: layers.indexOf(layer) });
        continue;
      }
      view[name] = value;
      break;
    }
  }
  return { view, problems };
}

/** The text of every state parameter of `view`. */
export function viewTexts(view) {
  return Object.fromEntries(stateNames.map((name) => [name, String(view[name])]));
}
