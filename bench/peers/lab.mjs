// This module's own implementations, from the JS API: the fused SIMD kernel
// (weights: false, all heads in one call, into a reused output), the materialised path
// (weights: true, one call per head, new arrays), and the same core built without SIMD. `lab` is an instance from createAttentionLab(...).
const scratchOf = (lab) => () => (typeof lab.lastScratchBytes === 'function' ? lab.lastScratchBytes() : undefined);

// The heads' inputs laid end to end once per input set, and an output array reused by
// every call: the API's batched form (heads) and its allocation-free form (out).
const batches = new WeakMap();
function batchOf(heads, n, d) {
  let batch = batches.get(heads);
  if (!batch) {
    const joined = (key) => {
      const all = new Float32Array(heads.length * n * d);
      heads.forEach((head, h) => all.set(head[key], h * n * d));
      return all;
    };
    batch = { q: joined('q'), k: joined('k'), v: joined('v'), out: new Float32Array(heads.length * n * d) };
    batches.set(heads, batch);
  }
  return batch;
}

export function createLabFused(lab, name = 'attention-lab SIMD, fused (weights:false)', { mayCap = false } = {}) {
  return {
    name, group: 'ours', scratch: scratchOf(lab), mayCap,
    forward({ n, d, heads }) {
      const { q, k, v, out } = batchOf(heads, n, d);
      lab.attention({ q, k, v, heads: heads.length, nq: n, nk: n, dk: d, dv: d, weights: false, out });
      return heads.map((_, h) => out.subarray(h * n * d, (h + 1) * n * d));
    },
  };
}

export function createLabMaterialised(lab, { maxN = 4096, name = 'attention-lab SIMD, materialised (weights:true)' } = {}) {
  return {
    name, group: 'ours', scratch: scratchOf(lab), maxN, mayCap: true,
    skipNote: `skipped above n=${maxN}`,
    forward({ n, d, heads }) {
      return heads.map(({ q, k, v }) => lab.attention({ q, k, v, nq: n, nk: n, dk: d, dv: d, weights: true }).output);
    },
  };
}

// Interactive-cost probes: single calls the lessons make.
export function interactiveCalls(lab, { randomNormal, mulberry32 }) {
  const rng = mulberry32(7);
  const q = randomNormal(rng, 1 * 2); const k = randomNormal(rng, 6 * 2); const v = randomNormal(rng, 6 * 3);
  const n = 64; const dModel = 64; const heads = 8; const s = 1 / Math.sqrt(dModel);
  const x = randomNormal(rng, n * dModel);
  const w = () => randomNormal(rng, dModel * dModel).map((t) => t * s);
  const wq = w(); const wk = w(); const wv = w(); const wo = w();
  const after = () => ({ scratchBytes: typeof lab.lastScratchBytes === 'function' ? lab.lastScratchBytes() : null });
  return [
    {
      name: 'lab.attention nq=1 nk=6 dk=2 dv=3, scaling none, scores:true (explorer default)',
      fn: () => lab.attention({ q, k, v, nq: 1, nk: 6, dk: 2, dv: 3, scaling: 'none', scores: true }),
      after,
    },
    {
      name: 'lab.multiHeadAttention n=64 dModel=64 heads=8',
      fn: () => lab.multiHeadAttention({ x, n, dModel, heads, wq, wk, wv, wo }),
      after,
    },
  ];
}
