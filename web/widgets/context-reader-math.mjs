/**
 * The numbers behind `<context-readers>`, with no DOM, so a test in Node computes
 * exactly what the page shows: the four readers and the options each takes, the tables
 * of path lengths (`lab.pathLength`) and receptive-field widths (`lab.receptiveField`)
 * the lesson's exercises ask about, and which reader's influence is flattest.
 */
import { colour } from '../runtime/theme-colours.mjs';

/** The readers, in the order they are drawn, with the name the page gives each. */
export const contextReaders = Object.freeze([
  { id: 'conv', name: 'the convolution', colour: colour('series-1'), symbol: 'circle', dash: null },
  { id: 'rnn', name: 'the RNN', colour: colour('series-2'), symbol: 'square', dash: null },
  { id: 'local', name: 'local attention', colour: colour('series-3'), symbol: 'triangle', dash: '6 4' },
  { id: 'global', name: 'global attention', colour: colour('series-4'), symbol: 'diamond', dash: null },
]);

/** A subject and its verb thirteen tokens apart, with singular nouns in between that could mislead. */
export const defaultSentence = Object.freeze(
  'the keys to the old cabinet in the hall that my grandmother left us are on the table'.split(' '),
);

/** The convolution widths offered (odd; width 1 sees only its own token and never connects two). */
export const kernels = Object.freeze([3, 5, 7, 9, 11, 13, 15]);
/** Local attention's windows offered (window 0 would see only its own token). */
export const windows = Object.freeze(Array.from({ length: 16 }, (_, index) => index + 1));
export const layerCounts = Object.freeze(Array.from({ length: 16 }, (_, index) => index + 1));
/** The distances whose path lengths are published for exercises, whatever the sentence. */
export const publishedDistances = Object.freeze(Array.from({ length: 32 }, (_, index) => index + 1));

/** The options of `lab.influence` and `lab.receptiveField` for reader `id` in a view. */
export function readerOptions(id, { n, position, layers, kernel, window, memory, seed }) {
  const common = { reader: id, n, position, seed };
  if (id === 'conv') return { ...common, layers, kernel };
  if (id === 'rnn') return { ...common, spectralNorm: memory };
  if (id === 'local') return { ...common, layers, window };
  return common;
}

/**
 * Path lengths from the core: `conv[kernel][d]`, `local[window][d]`, `rnn[d]`,
 * `global[d]` for d = 1 to 32 (`quantities`, the same nested by name) and for the plot
 * up to the sentence's length; `shortest[d]`: the reader (or readers, joined by "and")
 * that connects tokens d apart in the fewest layers or steps when the kernel and window
 * are the largest offered.
 */
export function pathLengthTables(lab, n) {
  const top = Math.max(publishedDistances.length, n - 1);
  const distances = Array.from({ length: top }, (_, index) => index + 1);
  const run = (options) => Object.fromEntries(distances.map((distance) => [distance, lab.pathLength({ ...options, distance })]));
  const conv = Object.fromEntries(kernels.map((kernel) => [kernel, run({ reader: 'conv', kernel })]));
  const local = Object.fromEntries(windows.map((window) => [window, run({ reader: 'local', window })]));
  const rnn = run({ reader: 'rnn' });
  const global = run({ reader: 'global' });
  const published = (table) => Object.fromEntries(publishedDistances.map((d) => [d, table[d]]));
  const quantities = {
    conv: Object.fromEntries(kernels.map((kernel) => [kernel, published(conv[kernel])])),
    local: Object.fromEntries(windows.map((window) => [window, published(local[window])])),
    rnn: published(rnn),
    global: published(global),
  };
  const shortest = Object.fromEntries(publishedDistances.map((d) => {
    const lengths = {
      conv: conv[kernels.at(-1)][d], rnn: rnn[d], local: local[windows.at(-1)][d], global: global[d],
    };
    const least = Math.min(...Object.values(lengths));
    return [d, contextReaders.filter(({ id }) => lengths[id] === least).map(({ name }) => name).join(' and ')];
  }));
  return { distances: distances.slice(0, Math.max(2, n - 1)), conv, local, rnn, global, quantities, shortest };
}

/**
 * How many tokens one output sees, far from the sentence's ends, from the core's
 * receptive field: `conv[layers][kernel]` and `local[layers][window]`.
 */
export function reachTables(lab) {
  const n = lab.influenceLimits.maxN;
  const position = n >> 1;
  const width = (options) => {
    const { first, last } = lab.receptiveField({ n, position, ...options });
    return last - first + 1;
  };
  return {
    conv: Object.fromEntries(layerCounts.map((layers) => [layers,
      Object.fromEntries(kernels.map((kernel) => [kernel, width({ reader: 'conv', layers, kernel })]))])),
    local: Object.fromEntries(layerCounts.map((layers) => [layers,
      Object.fromEntries(windows.map((window) => [window, width({ reader: 'local', layers, window })]))])),
  };
}

/**
 * How much each reader's influence falls off with distance: the mean influence of the
 * farther half of the other tokens divided by that of the nearer half (the output's own
 * token left out: every reader treats it specially). 1: no fall-off; 0: the far tokens
 * cannot reach the output at all.
 */
export function farNearRatios(values, position) {
  const n = values[contextReaders[0].id].length;
  const others = Array.from({ length: n }, (_, index) => index).filter((index) => index !== position)
    .sort((a, b) => Math.abs(a - position) - Math.abs(b - position) || a - b);
  const half = Math.floor(others.length / 2);
  const mean = (list, shown) => list.reduce((sum, index) => sum + shown[index], 0) / list.length;
  return Object.fromEntries(contextReaders.map(({ id }) => {
    const near = mean(others.slice(0, half), values[id]);
    return [id, near > 0 ? mean(others.slice(half), values[id]) / near : 0];
  }));
}

/** The reader whose influence is flattest across the sentence: its far/near ratio closest to 1. */
export function flattestReader(values, position) {
  const ratios = farNearRatios(values, position);
  const distanceFromFlat = (ratio) => (ratio > 0 ? Math.abs(Math.log(ratio)) : Infinity);
  return contextReaders.reduce((best, reader) =>
    (distanceFromFlat(ratios[reader.id]) < distanceFromFlat(ratios[best.id]) ? reader : best)).name;
}

/** The reader names, for a choice exercise. */
export const readerNames = contextReaders.map(({ name }) => name);
