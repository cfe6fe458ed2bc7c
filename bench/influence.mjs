// The largest influence call each reader allows, timed in Node: the bound that keeps the
// context lesson interactive. Run after a build: node bench/influence.mjs [--calls=9]
//
// Per reader: one warm-up call, then the median and the fastest of `calls` calls, the
// SIMD and the scalar build taking turns so that load from elsewhere hits both alike.
import createAttentionLab from '../dist/node.mjs';

const calls = Number(process.argv.find((a) => a.startsWith('--calls='))?.slice(8) ?? 9);
const labs = { simd: await createAttentionLab(), scalar: await createAttentionLab({ variant: 'scalar' }) };
const L = labs.simd.influenceLimits;
const cases = [
  { reader: 'conv', n: L.maxN, position: L.maxN >> 1, layers: L.maxLayers, kernel: L.maxKernel },
  { reader: 'local', n: L.maxN, position: L.maxN >> 1, layers: L.maxLayers, window: L.maxWindow },
  { reader: 'global', n: L.maxN, position: L.maxN >> 1 },
  { reader: 'rnn', n: L.maxN, position: L.maxN - 1, hidden: L.maxHidden, spectralNorm: L.maxSpectralNorm },
];

const rows = [];
for (const options of cases) {
  const times = { simd: [], scalar: [] };
  for (const lab of Object.values(labs)) lab.influence(options);
  for (let k = 0; k < calls; k++) {
    for (const [name, lab] of Object.entries(labs)) {
      const start = performance.now();
      lab.influence(options);
      times[name].push(performance.now() - start);
    }
  }
  const summary = (t) => {
    t.sort((a, b) => a - b);
    return `${t[t.length >> 1].toFixed(1)} ms (fastest ${t[0].toFixed(1)})`;
  };
  const { reader, ...rest } = options;
  rows.push({ reader, options: JSON.stringify(rest), simd: summary(times.simd), scalar: summary(times.scalar) });
}
console.table(rows);
