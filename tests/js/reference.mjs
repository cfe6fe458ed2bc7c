// Float64 references for the JS API tests, written from the definitions in the issue,
// independent of the core: plain loops, no tiling, Math.exp.

/** Seeded normals (mulberry32 + Box-Muller): test inputs, not the core's generator. */
export function normals(count, seed, scale = 1) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const u = uniform() || 1e-12;
    out[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform()) * scale;
  }
  return out;
}

export function visible(mask, window, i, j) {
  if (mask === 'causal') return j <= i;
  if (mask === 'local') return Math.abs(i - j) <= window;
  return true;
}

/** { output, weights } as Float64Arrays. */
export function attention({ q, k, v, nq, nk, dk, dv, scaling = 'sqrt', temperature = 1, mask = 'none', window = 0 }) {
  const output = new Float64Array(nq * dv);
  const weights = new Float64Array(nq * nk);
  for (let i = 0; i < nq; i++) {
    const logits = new Float64Array(nk).fill(-Infinity);
    let max = -Infinity;
    for (let j = 0; j < nk; j++) {
      if (!visible(mask, window, i, j)) continue;
      let dot = 0, norm2 = 0;
      for (let d = 0; d < dk; d++) {
        dot += q[i * dk + d] * k[j * dk + d];
        norm2 += k[j * dk + d] ** 2;
      }
      let s = 1;
      if (scaling === 'sqrt') s = 1 / Math.sqrt(dk);
      if (scaling === 'l2') s = norm2 > 0 ? 1 / Math.sqrt(norm2) : 0;
      logits[j] = (dot * s) / temperature;
      max = Math.max(max, logits[j]);
    }
    if (max === -Infinity) continue;
    let z = 0;
    for (let j = 0; j < nk; j++) if (logits[j] !== -Infinity) z += Math.exp(logits[j] - max);
    for (let j = 0; j < nk; j++) {
      const w = logits[j] === -Infinity ? 0 : Math.exp(logits[j] - max) / z;
      weights[i * nk + j] = w;
      for (let c = 0; c < dv; c++) output[i * dv + c] += w * v[j * dv + c];
    }
  }
  return { output, weights };
}

/** x (n x dModel) times W (dModel x dModel), row-major. */
function project(x, w, n, dm) {
  const out = new Float64Array(n * dm);
  for (let i = 0; i < n; i++)
    for (let d = 0; d < dm; d++) {
      const xi = x[i * dm + d];
      for (let c = 0; c < dm; c++) out[i * dm + c] += xi * w[d * dm + c];
    }
  return out;
}

/** { output, weights, headEntropy } of multi-head attention, as Float64Arrays. */
export function multiHeadAttention({ x, n, dModel, heads, wq, wk, wv, wo, mask = 'none', window = 0, tieKV = false }) {
  const dh = dModel / heads;
  const Q = project(x, wq, n, dModel), K = project(x, wk, n, dModel);
  const V = tieKV ? K : project(x, wv, n, dModel);
  const concat = new Float64Array(n * dModel);
  const weights = new Float64Array(heads * n * n);
  const headEntropy = new Float64Array(heads * n);
  for (let h = 0; h < heads; h++) {
    const slice = (M) => {
      const out = new Float64Array(n * dh);
      for (let i = 0; i < n; i++) for (let d = 0; d < dh; d++) out[i * dh + d] = M[i * dModel + h * dh + d];
      return out;
    };
    const r = attention({ q: slice(Q), k: slice(K), v: slice(V), nq: n, nk: n, dk: dh, dv: dh, mask, window });
    weights.set(r.weights, h * n * n);
    for (let i = 0; i < n; i++) {
      let e = 0;
      for (let j = 0; j < n; j++) {
        const p = r.weights[i * n + j];
        if (p > 0) e -= p * Math.log(p);
      }
      headEntropy[h * n + i] = e;
      for (let d = 0; d < dh; d++) concat[i * dModel + h * dh + d] = r.output[i * dh + d];
    }
  }
  return { output: project(concat, wo, n, dModel), weights, headEntropy };
}

export function maxAbsDiff(a, b) {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function maxAbs(a) {
  let m = 0;
  for (const x of a) m = Math.max(m, Math.abs(x));
  return m;
}
