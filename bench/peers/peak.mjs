// Peak probe: the f32x4 mul+add loop of bench/peak.wat (12 independent accumulators),
// compiled by bench/build.sh to build/bench/peak.wasm. Takes the wasm bytes.
export async function createPeak(bytes, { targetMs = 150, reps = 21 } = {}) {
  const { instance } = await WebAssembly.instantiate(bytes, {});
  const { run, flopsPerIter } = instance.exports;
  const fpi = flopsPerIter();
  return {
    name: 'f32x4 mul+add, 12 independent accumulators (bench/peak.wat)',
    async measure({ now }) {
      let iters = 1 << 16;
      // warm up (tier-up) and size the call to ~targetMs
      for (let w = 0; w < 10; w++) {
        const t0 = now(); run(iters, 1.5); const dt = now() - t0;
        if (dt < targetMs / 2) iters = Math.min(1 << 30, Math.ceil(iters * (targetMs / Math.max(dt, 0.05))));
      }
      const g = [];
      let sink = 0;
      for (let r = 0; r < reps; r++) {
        const t0 = now(); sink += run(iters, 1.5 + r * 1e-3); const dt = now() - t0;
        g.push((iters * fpi) / (dt * 1e6));
      }
      g.sort((a, b) => a - b);
      const med = g[g.length >> 1];
      return { name: this.name, gflops: med, best: g[g.length - 1], iters, reps, sink,
        detail: `median of ${reps} calls of ${iters} iterations x ${fpi} flops` };
    },
  };
}
