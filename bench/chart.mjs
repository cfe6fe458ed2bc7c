// Dependency-free SVG chart: grouped bars of GFLOP/s per implementation per n, with the
// measured peak as a dashed line. Accessible: role="img", <title> and <desc>, and a
// <title> on every bar.
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const PALETTE = {
  ours: ['#1f5fa8', '#5b9bd5', '#0b7a75', '#8fc7c3'],
  peer: ['#d95f02', '#e7298a', '#a6611a'],
  baseline: ['#666666', '#aaaaaa'],
};

function niceMax(v) {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

export function renderChart(result, { title = 'Attention forward: GFLOP/s by implementation and n', where = '' } = {}) {
  const sizes = result.sizes;
  const impls = [...new Set(result.rows.map((r) => r.impl))];
  const groupOf = Object.fromEntries(result.rows.map((r) => [r.impl, r.group]));
  const used = { ours: 0, peer: 0, baseline: 0 };
  const color = Object.fromEntries(impls.map((name) => {
    const g = groupOf[name]; const list = PALETTE[g] || PALETTE.baseline;
    return [name, list[used[g]++ % list.length]];
  }));
  const get = (impl, n) => result.rows.find((r) => r.impl === impl && r.n === n);

  const W = 1080; const H = 520; const left = 64; const right = 420; const top = 56; const bottom = 64;
  const pw = W - left - right; const ph = H - top - bottom;
  const peak = result.peak ? result.peak.gflops : 0;
  const maxV = niceMax(Math.max(1e-3, peak, ...result.rows.filter((r) => r.status === 'ok').map((r) => r.gflops)));
  const y = (v) => top + ph - (v / maxV) * ph;
  const gw = pw / sizes.length; const bw = Math.min(28, (gw * 0.8) / impls.length);

  const out = [];
  const descLines = [`${where ? where + '. ' : ''}8 heads, d = 64, GFLOP/s counting 4*n^2*d per head; higher is better.`];
  if (peak) descLines.push(`Measured single-core f32x4 mul+add peak (best call): ${peak.toFixed(1)} GFLOP/s (dashed line).`);
  for (const n of sizes) {
    descLines.push(`n = ${n}: ` + impls.map((i) => {
      const r = get(i, n);
      return `${i} ${!r ? 'not run' : r.status === 'ok' ? r.gflops.toFixed(2) : r.status}`;
    }).join('; ') + '.');
  }
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="chart-title chart-desc" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`);
  out.push(`<title id="chart-title">${esc(title)}</title>`);
  out.push(`<desc id="chart-desc">${esc(descLines.join(' '))}</desc>`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${left}" y="26" font-size="16" font-weight="600" fill="#111">${esc(title)}</text>`);
  if (where) out.push(`<text x="${left}" y="44" fill="#555">${esc(where)}</text>`);
  // grid + y axis
  for (let i = 0; i <= 5; i++) {
    const v = (maxV * i) / 5; const yy = y(v).toFixed(1);
    out.push(`<line x1="${left}" x2="${left + pw}" y1="${yy}" y2="${yy}" stroke="${i ? '#e3e3e3' : '#333'}"/>`);
    out.push(`<text x="${left - 8}" y="${yy}" dy="4" text-anchor="end" fill="#333">${+v.toFixed(2)}</text>`);
  }
  out.push(`<text transform="translate(18 ${top + ph / 2}) rotate(-90)" text-anchor="middle" fill="#333">GFLOP/s (higher is better)</text>`);
  // bars
  sizes.forEach((n, gi) => {
    const x0 = left + gi * gw + (gw - bw * impls.length) / 2;
    out.push(`<text x="${(left + gi * gw + gw / 2).toFixed(1)}" y="${top + ph + 20}" text-anchor="middle" fill="#111">n = ${n}</text>`);
    impls.forEach((impl, ii) => {
      const r = get(impl, n); const x = x0 + ii * bw;
      if (!r) return;
      if (r.status !== 'ok') {
        out.push(`<text x="${(x + bw / 2).toFixed(1)}" y="${top + ph - 4}" text-anchor="middle" font-size="9" fill="#999" transform="rotate(-90 ${(x + bw / 2).toFixed(1)} ${top + ph - 4})">${esc(r.status)}</text>`);
        return;
      }
      const yy = y(r.gflops);
      out.push(`<rect x="${x.toFixed(1)}" y="${yy.toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${(top + ph - yy).toFixed(1)}" fill="${color[impl]}"><title>${esc(`${impl}, n = ${n}: ${r.gflops.toFixed(2)} GFLOP/s, ${r.ms.toFixed(3)} ms`)}</title></rect>`);
    });
  });
  out.push(`<text x="${left + pw / 2}" y="${H - 18}" text-anchor="middle" fill="#333">sequence length n (nq = nk)</text>`);
  if (peak) {
    const yy = y(peak).toFixed(1);
    out.push(`<line x1="${left}" x2="${left + pw}" y1="${yy}" y2="${yy}" stroke="#c00" stroke-width="1.5" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${left + pw - 4}" y="${yy}" dy="-5" text-anchor="end" fill="#c00">peak f32x4 mul+add ${peak.toFixed(1)} GFLOP/s</text>`);
  }
  // legend
  const lx = left + pw + 24;
  impls.forEach((impl, i) => {
    const ly = top + i * 22;
    out.push(`<rect x="${lx}" y="${ly}" width="14" height="14" fill="${color[impl]}"/>`);
    out.push(`<text x="${lx + 20}" y="${ly + 11}" fill="#111">${esc(impl)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
