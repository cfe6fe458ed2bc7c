// Float64 references for the context API, written from the definitions in
// src/context/*.hpp and independent of the core: the same random draws (PCG32 and the
// polar method, re-implemented here), then each reader's Jacobian by forward mode (one
// tangent per input number, pushed through a plain forward pass) where the core uses
// backward mode; and the best monotonic alignment by trying every path.

const MASK64 = (1n << 64n) - 1n;
const D = 8; // token_dim

/** PCG32 (XSH-RR) and the polar method with the core's portable log: the core's Random. */
export class Pcg32 {
  constructor(seed, stream = 54) {
    this.state = 0n;
    this.increment = ((BigInt(stream) << 1n) | 1n) & MASK64;
    this.nextU32();
    this.state = (this.state + BigInt(seed)) & MASK64;
    this.nextU32();
    this.spare = null;
  }

  nextU32() {
    const old = this.state;
    this.state = (old * 6364136223846793005n + this.increment) & MASK64;
    const xorshifted = Number((((old >> 18n) ^ old) >> 27n) & 0xffffffffn);
    const rot = Number(old >> 59n);
    return ((xorshifted >>> rot) | (xorshifted << ((32 - rot) & 31))) >>> 0;
  }

  /** A standard normal, rounded to float32 as the core returns it. */
  normal() {
    if (this.spare !== null) {
      const x = this.spare;
      this.spare = null;
      return Math.fround(x);
    }
    let u, v, s;
    do {
      u = (2 * (this.nextU32() + 0.5)) / 4294967296 - 1;
      v = (2 * (this.nextU32() + 0.5)) / 4294967296 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * portableLog(s)) / s);
    this.spare = v * f;
    return Math.fround(u * f);
  }
}

/** log x for 0 < x < 1 by the core's recipe (src/rng.cpp): the same bits everywhere. */
function portableLog(x) {
  let e = Math.floor(Math.log2(x)) + 1;
  let m = x / 2 ** e;
  while (m < 0.5) { m *= 2; e -= 1; }
  while (m >= 1) { m /= 2; e += 1; }
  if (m < 0.70710678118654752) { m *= 2; e -= 1; }
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  let sum = 1 / 15;
  for (const c of [1 / 13, 1 / 11, 1 / 9, 1 / 7, 1 / 5, 1 / 3]) sum = sum * s2 + c;
  sum = (sum * s2 + 1) * s;
  return 2 * sum + e * 0.69314718055994530942;
}

export function tokens(n, seed) {
  const random = new Pcg32(seed);
  return Float64Array.from({ length: n * D }, () => random.normal());
}

function draw(random, count, scale) {
  return Float64Array.from({ length: count }, () => random.normal() * scale);
}

/** The reader's weights, drawn as its header says. */
export function weights({ reader, layers = 1, kernel = 3, hidden = 16, spectralNorm = 0.9, seed = 1 }) {
  const random = new Pcg32(seed, 1);
  if (reader === 'conv') return { w: draw(random, layers * kernel * D * D, 1 / Math.sqrt(kernel * D)) };
  if (reader === 'rnn') {
    const wx = draw(random, hidden * D, 0.1 / Math.sqrt(D));
    const g = draw(random, hidden * hidden, 1);
    // The orthonormal rows of G's LQ factorisation (positive diagonal): what Gram-Schmidt gives.
    const q = new Float64Array(hidden * hidden);
    for (let i = 0; i < hidden; i++) {
      const row = g.slice(i * hidden, (i + 1) * hidden);
      for (let pass = 0; pass < 2; pass++) {
        for (let k = 0; k < i; k++) {
          let along = 0;
          for (let c = 0; c < hidden; c++) along += row[c] * q[k * hidden + c];
          for (let c = 0; c < hidden; c++) row[c] -= along * q[k * hidden + c];
        }
      }
      const length = Math.hypot(...row);
      for (let c = 0; c < hidden; c++) q[i * hidden + c] = row[c] / length;
    }
    return { wx, wh: q.map((x) => x * spectralNorm) };
  }
  const count = reader === 'global' ? 1 : layers;
  return { w: draw(random, count * 3 * D * D, 1 / Math.sqrt(D)) };
}

/** y_p and its tangent along dx (n x D), for one reader: a plain forward pass on duals. */
function forwardTangent(options, w, x, dx) {
  const { reader, n, position: p } = options;
  if (reader === 'conv') {
    const { layers = 1, kernel = 3 } = options;
    const r = (kernel - 1) / 2;
    let a = x, da = dx;
    for (let l = 0; l < layers; l++) {
      const b = new Float64Array(n * D), db = new Float64Array(n * D);
      for (let i = 0; i < n; i++) {
        for (let o = 0; o < D; o++) {
          let pre = 0, dpre = 0;
          for (let t = 0; t < kernel; t++) {
            const j = i + t - r;
            if (j < 0 || j >= n) continue;
            for (let c = 0; c < D; c++) {
              const wt = w.w[((l * kernel + t) * D + o) * D + c];
              pre += wt * a[j * D + c];
              dpre += wt * da[j * D + c];
            }
          }
          b[i * D + o] = Math.tanh(pre);
          db[i * D + o] = (1 - Math.tanh(pre) ** 2) * dpre;
        }
      }
      a = b; da = db;
    }
    return da.slice(p * D, p * D + D);
  }
  if (reader === 'rnn') {
    const { hidden = 16 } = options;
    let h = new Float64Array(hidden), dh = new Float64Array(hidden);
    for (let t = 0; t <= p; t++) {
      const next = new Float64Array(hidden), dnext = new Float64Array(hidden);
      for (let u = 0; u < hidden; u++) {
        let pre = 0, dpre = 0;
        for (let c = 0; c < D; c++) {
          pre += w.wx[u * D + c] * x[t * D + c];
          dpre += w.wx[u * D + c] * dx[t * D + c];
        }
        for (let c = 0; c < hidden; c++) {
          pre += w.wh[u * hidden + c] * h[c];
          dpre += w.wh[u * hidden + c] * dh[c];
        }
        next[u] = Math.tanh(pre);
        dnext[u] = (1 - next[u] ** 2) * dpre;
      }
      h = next; dh = dnext;
    }
    return dh;
  }
  const layers = reader === 'global' ? 1 : options.layers ?? 1;
  const window = reader === 'global' ? Infinity : options.window ?? 1;
  let X = x, dX = dx;
  const project = (M, dM, l, which) => {
    const out = new Float64Array(n * D), dout = new Float64Array(n * D);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < D; c++)
        for (let a = 0; a < D; a++) {
          const wt = w.w[((l * 3 + which) * D + a) * D + c];
          out[i * D + c] += M[i * D + a] * wt;
          dout[i * D + c] += dM[i * D + a] * wt;
        }
    return [out, dout];
  };
  for (let l = 0; l < layers; l++) {
    const [Q, dQ] = project(X, dX, l, 0), [K, dK] = project(X, dX, l, 1), [V, dV] = project(X, dX, l, 2);
    const Y = new Float64Array(n * D), dY = new Float64Array(n * D);
    for (let i = 0; i < n; i++) {
      const keys = [];
      for (let j = 0; j < n; j++) if (Math.abs(i - j) <= window) keys.push(j);
      const s = keys.map((j) => { let z = 0; for (let c = 0; c < D; c++) z += Q[i * D + c] * K[j * D + c]; return z / Math.sqrt(D); });
      const ds = keys.map((j) => { let z = 0; for (let c = 0; c < D; c++) z += dQ[i * D + c] * K[j * D + c] + Q[i * D + c] * dK[j * D + c]; return z / Math.sqrt(D); });
      const top = Math.max(...s);
      const e = s.map((z) => Math.exp(z - top));
      const total = e.reduce((acc, z) => acc + z, 0);
      const A = e.map((z) => z / total);
      const mean = A.reduce((acc, aj, k) => acc + aj * ds[k], 0);
      keys.forEach((j, k) => {
        const dA = A[k] * (ds[k] - mean);
        for (let c = 0; c < D; c++) {
          Y[i * D + c] += A[k] * V[j * D + c];
          dY[i * D + c] += dA * V[j * D + c] + A[k] * dV[j * D + c];
        }
      });
    }
    X = Y; dX = dY;
  }
  return dX.slice(p * D, p * D + D);
}

/** influence[j] = |d y_p / d x_j|_F, one tangent per input number. */
export function influence(options) {
  const { n, seed = 1 } = options;
  const x = tokens(n, seed);
  const w = weights(options);
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let c = 0; c < D; c++) {
      const dx = new Float64Array(n * D);
      dx[j * D + c] = 1;
      for (const t of forwardTangent(options, w, x, dx)) sum += t * t;
    }
    out[j] = Math.sqrt(sum);
  }
  return out;
}

/** Every non-decreasing path in lexicographic order; the first of the best. */
export function bruteMonotonicAlignment(scores, rows, cols) {
  let best = { path: null, total: -Infinity };
  const path = [];
  const visit = () => {
    if (path.length === rows) {
      let total = 0;
      for (let i = 0; i < rows; i++) total += scores[i * cols + path[i]];
      if (total > best.total) best = { path: [...path], total };
      return;
    }
    for (let j = path.length ? path[path.length - 1] : 0; j < cols; j++) {
      path.push(j);
      visit();
      path.pop();
    }
  };
  visit();
  const misaligned = [];
  for (let i = 0; i < rows; i++) {
    const row = scores.slice(i * cols, (i + 1) * cols);
    if (Math.max(...row) > row[best.path[i]]) misaligned.push(i);
  }
  return { ...best, misaligned };
}

/** The best total by dynamic programming from the top (independent of the core's order). */
export function bestMonotonicTotal(scores, rows, cols) {
  let best = Array.from({ length: cols }, (_, j) => scores[j]);
  for (let i = 1; i < rows; i++) {
    let running = -Infinity;
    best = best.map((b, j) => { running = Math.max(running, b); return running + scores[i * cols + j]; });
  }
  return Math.max(...best);
}
