// Plain JavaScript attention: Float32Array storage, triple loop, numerically stable
// softmax (max-subtracted), 1/sqrt(d) scaling. One head at a time.
export function attentionHead(q, k, v, n, d, scale, out, s) {
  for (let i = 0; i < n; i++) {
    const qi = i * d;
    let m = -Infinity;
    for (let j = 0; j < n; j++) {
      const kj = j * d;
      let acc = 0;
      for (let c = 0; c < d; c++) acc += q[qi + c] * k[kj + c];
      acc *= scale;
      s[j] = acc;
      if (acc > m) m = acc;
    }
    let z = 0;
    for (let j = 0; j < n; j++) { const e = Math.exp(s[j] - m); s[j] = e; z += e; }
    const inv = 1 / z;
    for (let c = 0; c < d; c++) out[qi + c] = 0;
    for (let j = 0; j < n; j++) {
      const w = s[j] * inv;
      const vj = j * d;
      for (let c = 0; c < d; c++) out[qi + c] += w * v[vj + c];
    }
  }
  return out;
}

export function createPlainJs({ maxN = 1024 } = {}) {
  return {
    name: 'plain JS (Float32Array loops)',
    group: 'baseline',
    maxN,
    mayCap: true,
    skipNote: `skipped above n=${maxN} (one call would take tens of seconds)`,
    forward({ n, d, heads, scale }) {
      const s = new Float32Array(n);
      return heads.map(({ q, k, v }) => attentionHead(q, k, v, n, d, scale, new Float32Array(n * d), s));
    },
  };
}
