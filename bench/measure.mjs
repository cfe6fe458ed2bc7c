// Environment-agnostic benchmark harness: inputs, float64 reference, checking, timing,
// and the result table. Used unchanged by bench/run.mjs (Node) and bench/page.html
// (browser); each environment only supplies the implementations and a clock.

export const HEADS = 8;
export const D = 64; // dk = dv = 64
export const SIZES = [64, 256, 1024, 4096];
export const OUR_TOL = 1e-5; // x max|v|: our implementations
export const PEER_TOL = 1e-4; // x max|v|: peers (looser)

// ---- seeded inputs -------------------------------------------------------------
// mulberry32 + Box-Muller: the same stream in every JS engine.
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomNormal(rng, count) {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    let u = rng();
    while (u <= 1e-12) u = rng();
    const w = rng();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * w);
    if (i + 1 < count) out[i + 1] = r * Math.sin(2 * Math.PI * w);
  }
  return out;
}

export function transpose(a, rows, cols) {
  const t = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
  return t;
}

// One problem: HEADS heads of q, k, v (n x D each, row-major) plus K^T per head
// (pre-transposed outside the timed region, for the peers that want it).
export function makeProblem(n, seed = 20261128) {
  const rng = mulberry32(seed ^ Math.imul(n, 2654435761));
  const heads = [];
  let maxAbsV = 0;
  for (let h = 0; h < HEADS; h++) {
    const q = randomNormal(rng, n * D);
    const k = randomNormal(rng, n * D);
    const v = randomNormal(rng, n * D);
    for (let i = 0; i < v.length; i++) maxAbsV = Math.max(maxAbsV, Math.abs(v[i]));
    heads.push({ q, k, v, kT: transpose(k, n, D) });
  }
  return { n, d: D, heads, maxAbsV, scale: 1 / Math.sqrt(D) };
}

// ---- float64 reference -----------------------------------------------------------
// Rows of softmax(q k^T / sqrt(d)) v computed in float64. For large n only a spread
// sample of query rows is checked (every row costs O(n d) to reference).
export function checkRows(n, maxFullN = 1024, sampleRows = 256) {
  if (n <= maxFullN) return Array.from({ length: n }, (_, i) => i);
  const rows = [];
  const step = n / sampleRows;
  for (let i = 0; i < sampleRows; i++) rows.push(Math.min(n - 1, Math.floor(i * step + (i * 7) % step)));
  rows[rows.length - 1] = n - 1;
  return rows;
}

export function reference(problem, rows) {
  const { n, d, heads, scale } = problem;
  const s = new Float64Array(n);
  return heads.map(({ q, k, v }) => {
    const out = new Float64Array(rows.length * d);
    rows.forEach((i, r) => {
      let m = -Infinity;
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let c = 0; c < d; c++) acc += q[i * d + c] * k[j * d + c];
        s[j] = acc * scale;
        if (s[j] > m) m = s[j];
      }
      let z = 0;
      for (let j = 0; j < n; j++) { s[j] = Math.exp(s[j] - m); z += s[j]; }
      for (let j = 0; j < n; j++) {
        const w = s[j] / z;
        for (let c = 0; c < d; c++) out[r * d + c] += w * v[j * d + c];
      }
    });
    return out;
  });
}

export function maxAbsError(outputs, ref, rows, d) {
  let err = 0;
  for (let h = 0; h < ref.length; h++) {
    const o = outputs[h];
    if (!o || o.length < rows.length) return Infinity;
    rows.forEach((i, r) => {
      for (let c = 0; c < d; c++) {
        const e = Math.abs(o[i * d + c] - ref[h][r * d + c]);
        err = Number.isNaN(e) ? Infinity : Math.max(err, e);
      }
    });
  }
  return err;
}

// ---- timing ------------------------------------------------------------------------
const isThenable = (x) => x && typeof x.then === 'function';
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// Runs fn `count` times back to back; returns elapsed milliseconds.
async function batch(fn, count, now) {
  const t0 = now();
  for (let j = 0; j < count; j++) {
    const r = fn();
    if (isThenable(r)) await r;
  }
  return now() - t0;
}

// Warm-up, then the batch size: calls shorter than minSampleMs are timed in batches of
// `inner` calls (found by doubling until a batch lasts minSampleMs; a sample counts
// batch/inner), so coarse browser clocks still resolve microsecond calls.
async function warmAndCalibrate(fn, { now, warmup, minSampleMs }) {
  let lastMs = 0;
  for (let i = 0; i < warmup; i++) lastMs = await batch(fn, 1, now);
  let inner = 1;
  if (lastMs < minSampleMs) while (inner < 1 << 17 && (await batch(fn, inner, now)) < minSampleMs) inner *= 2;
  return inner;
}

// Times one fn alone: warm-up, then the median of `reps` samples (per-call ms).
export async function timeCalls(fn, { now, warmup = 10, reps = 20, minSampleMs = 2 }) {
  const inner = await warmAndCalibrate(fn, { now, warmup, minSampleMs });
  const samples = [];
  for (let i = 0; i < reps; i++) samples.push((await batch(fn, inner, now)) / inner);
  return { ms: median(samples), samples, inner, warmup, reps };
}

// ---- the benchmark ---------------------------------------------------------------------
export const flopsPerCall = (n) => HEADS * 4 * n * n * D;

// impl: { name, group: 'ours' | 'peer' | 'baseline', maxN?, skipNote?, mayCap?,
//         setup?(problem) async -> note?, forward(problem) -> Float32Array[] (or Promise),
//         scratch?() -> number | undefined, teardown?() async }
// peak: { name, measure({ now }) async -> { gflops, ... } } | null
// interactive: [{ name, fn(), note }]  (single calls timed in ms)
export async function runBenchmark({
  impls, peak, interactive = [], sizes = SIZES, now, log = () => {},
  warmup = 10, reps = 20, budgetMs = 45000, minWarmup = 1, minReps = 3, minSampleMs = 2,
}) {
  const rows = [];
  const result = { minSampleMs, sizes, heads: HEADS, d: D, flopsPerHead: '4*n^2*d', tolerance: { ours: OUR_TOL, peers: PEER_TOL }, rows, peak: null, interactive: [] };

  // The peak is a ceiling: measured at the start and again at the end of the run, and the
  // best single call of either counts (a median would sink with load from elsewhere).
  const measurePeak = async (when) => {
    const p = await peak.measure({ now });
    log(`peak probe (${when}): median ${p.gflops.toFixed(2)}, best ${p.best.toFixed(2)} GFLOP/s`);
    return p;
  };
  let peakStart = null;
  if (peak) peakStart = await measurePeak('start');

  for (const n of sizes) {
    const problem = makeProblem(n);
    const chk = checkRows(n);
    const t0 = now();
    const ref = reference(problem, chk);
    log(`n=${n}: reference (float64, ${chk.length === n ? 'all' : chk.length} rows/head) in ${(now() - t0).toFixed(0)} ms, max|v| = ${problem.maxAbsV.toFixed(3)}`);
    // 1. check every implementation (its first call, untimed) and decide its call counts
    const live = [];
    for (const impl of impls) {
      const row = {
        impl: impl.name, group: impl.group, n, status: 'ok', ms: null, gflops: null,
        maxAbsErr: null, tol: null, scratchBytes: null, warmup: 0, reps: 0, inner: 1, note: '',
        checkedRows: chk.length === n ? 'all' : chk.length,
      };
      rows.push(row);
      if (impl.maxN && n > impl.maxN) {
        row.status = 'skipped';
        row.note = impl.skipNote || `skipped above n=${impl.maxN}`;
        log(`  ${impl.name}: ${row.note}`);
        continue;
      }
      try {
        if (impl.setup) { const note = await impl.setup(problem); if (note) row.note = note; }
        const c0 = now();
        let out = impl.forward(problem);
        if (isThenable(out)) out = await out;
        const firstMs = now() - c0;
        row.maxAbsErr = maxAbsError(out, ref, chk, D);
        row.tol = (impl.group === 'peer' ? PEER_TOL : OUR_TOL) * problem.maxAbsV;
        if (impl.scratch) {
          const s = impl.scratch();
          row.scratchBytes = typeof s === 'number' && Number.isFinite(s) ? s : null;
        }
        if (!(row.maxAbsErr <= row.tol)) {
          row.status = 'wrong';
          log(`  ${impl.name}: WRONG max abs err ${row.maxAbsErr} > ${row.tol.toExponential(2)} (not timed)`);
          continue;
        }
        // Cap the calls of slow rows (only impls marked mayCap) so the run fits its
        // budget; everything else always gets the full warm-up + reps.
        let w = warmup; let r = reps;
        if (impl.mayCap && firstMs * (warmup + reps) > budgetMs) {
          w = Math.max(minWarmup, Math.min(warmup, Math.floor((0.3 * budgetMs) / firstMs)));
          r = Math.max(minReps, Math.min(reps, Math.floor((0.7 * budgetMs) / firstMs)));
          row.note = [row.note, `capped: ${w} warm-up + ${r} timed calls`].filter(Boolean).join('; ');
        }
        live.push({ impl, row, w, r, fn: () => impl.forward(problem), samples: [] });
      } catch (e) {
        row.status = 'error';
        row.note = String(e && e.message ? e.message : e).slice(0, 200);
        log(`  ${impl.name}: ERROR ${row.note}`);
      }
    }
    const fail = (x, e) => {
      x.row.status = 'error';
      x.row.note = String(e && e.message ? e.message : e).slice(0, 200);
      log(`  ${x.impl.name}: ERROR ${x.row.note}`);
    };
    // 2. warm up each, then take the timed samples round-robin (one sample of every
    // implementation per round), so load from elsewhere on the machine hits all alike.
    for (const x of live) {
      try { x.inner = await warmAndCalibrate(x.fn, { now, warmup: x.w, minSampleMs }); } catch (e) { fail(x, e); }
    }
    const rounds = Math.max(0, ...live.map((x) => x.r));
    for (let round = 0; round < rounds; round++) {
      for (const x of live) {
        if (x.row.status !== 'ok' || round >= x.r) continue;
        try { x.samples.push((await batch(x.fn, x.inner, now)) / x.inner); } catch (e) { fail(x, e); }
      }
    }
    for (const x of live) {
      const { impl, row, samples } = x;
      if (impl.teardown) { try { await impl.teardown(); } catch { /* ignore */ } }
      if (row.status !== 'ok') continue;
      const ms = median(samples);
      Object.assign(row, { ms, minMs: Math.min(...samples), maxMs: Math.max(...samples), warmup: x.w, reps: samples.length, inner: x.inner });
      row.gflops = flopsPerCall(n) / (ms * 1e6);
      log(`  ${impl.name}: ${ms.toFixed(3)} ms, ${row.gflops.toFixed(2)} GFLOP/s, err ${row.maxAbsErr.toExponential(2)}${row.note ? ' (' + row.note + ')' : ''}`);
    }
  }

  if (peak) {
    const peakEnd = await measurePeak('end');
    const best = Math.max(peakStart.best, peakEnd.best);
    result.peak = {
      name: peakStart.name, gflops: best,
      detail: `best single call of 2 x ${peakStart.reps} calls of ${peakStart.iters} iterations; medians ${peakStart.gflops.toFixed(1)} (start) and ${peakEnd.gflops.toFixed(1)} (end)`,
      start: peakStart, end: peakEnd,
    };
  }

  // ratios: to the best peer (fastest peer row at that n), and to peak.
  for (const n of sizes) {
    const peers = rows.filter((r) => r.n === n && r.group === 'peer' && r.status === 'ok');
    const best = peers.reduce((b, r) => (!b || r.ms < b.ms ? r : b), null);
    for (const r of rows.filter((x) => x.n === n)) {
      if (r.status !== 'ok') continue;
      if (best) { r.bestPeer = best.impl; r.vsBestPeer = best.ms / r.ms; }
      if (best) result.bestPeerByN = { ...result.bestPeerByN, [n]: best.impl };
      const ortRows = peers.filter((p) => p.impl.startsWith('onnxruntime-web'));
      if (ortRows.length) result.fasterOrtGraphByN = { ...result.fasterOrtGraphByN, [n]: ortRows.reduce((b, p) => (p.ms < b.ms ? p : b)).impl };
      if (result.peak) r.fracPeak = r.gflops / result.peak.gflops;
    }
  }

  for (const it of interactive) {
    try {
      const t = await timeCalls(it.fn, { now, warmup, reps, minSampleMs: Math.max(5, minSampleMs) });
      const extra = it.after ? it.after() : {};
      result.interactive.push({ name: it.name, ms: t.ms, inner: t.inner, reps: t.reps, note: it.note || '', ...extra });
      log(`interactive ${it.name}: ${t.ms.toFixed(4)} ms`);
    } catch (e) {
      result.interactive.push({ name: it.name, ms: null, note: `error: ${e && e.message ? e.message : e}` });
    }
  }
  return result;
}

// ---- text table ------------------------------------------------------------------------
function fmtBytes(b) {
  if (b == null) return 'n/a';
  if (b < 1024) return `${b} B`;
  if (b < 1024 * 1024) return `${(b / 1024).toFixed(1)} KiB`;
  return `${(b / 1024 / 1024).toFixed(2)} MiB`;
}

export function formatTable(result) {
  const head = ['impl', 'n', 'ms (median)', 'ms (min)', 'GFLOP/s', 'vs best peer', 'of peak', 'scratch', 'max abs err', 'calls', 'note'];
  const lines = [];
  if (!result.rows.length) return (result.rerender ?? []).map((it) => `rerender: ${it.name}: ${it.ms.toPrecision(3)} ms per update (median of ${it.reps} samples of ${it.inner}), ${it.withinFrame ? 'within' : 'over'} one 16.7 ms frame — ${it.note}`).join('\n');
  for (const r of result.rows) {
    const ok = r.status === 'ok';
    lines.push([
      r.impl, String(r.n),
      ok ? r.ms.toFixed(r.ms < 10 ? 3 : 1) : r.status.toUpperCase(),
      ok ? r.minMs.toFixed(r.minMs < 10 ? 3 : 1) : '-',
      ok ? r.gflops.toFixed(2) : '-',
      ok && r.vsBestPeer != null ? `${r.vsBestPeer.toFixed(2)}x` : '-',
      ok && r.fracPeak != null ? `${(100 * r.fracPeak).toFixed(1)}%` : '-',
      r.group === 'ours' ? fmtBytes(r.scratchBytes) : '-',
      r.maxAbsErr == null ? '-' : r.maxAbsErr.toExponential(2),
      ok ? `${r.warmup}+${r.reps}${r.inner > 1 ? `x${r.inner}` : ''}` : '-',
      r.note || '',
    ]);
  }
  const w = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells) => cells.map((c, i) => (i < 2 || i === cells.length - 1 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ').trimEnd();
  const out = [fmt(head), w.map((x) => '-'.repeat(x)).join('  ')];
  let lastN = null;
  lines.forEach((l, i) => {
    if (lastN !== null && result.rows[i].n !== lastN) out.push('');
    lastN = result.rows[i].n;
    out.push(fmt(l));
  });
  out.push('');
  out.push(`8 heads, d = dk = dv = ${result.d}, nq = nk = n, no mask, 1/sqrt(d) scaling; GFLOP/s counts 4*n^2*d per head.`);
  out.push(`"vs best peer" = best peer's ms / this row's ms (>1: faster than the fastest of tfjs-wasm and onnxruntime-web at that n).`);
  out.push(`"calls" = warm-up + timed calls (median reported), samples taken round-robin across implementations; xK = K calls per timed sample.`);
  out.push(`Errors are max abs error vs a float64 reference (all rows for n <= 1024, 256 spread rows per head above);`);
  out.push(`tolerance ${result.tolerance.ours} x max|v| for ours, ${result.tolerance.peers} x max|v| for peers; a wrong result is not timed.`);
  if (result.bestPeerByN) out.push(`best peer per n: ${Object.entries(result.bestPeerByN).map(([n, i]) => `${n}: ${i}`).join('; ')}`);
  if (result.fasterOrtGraphByN) out.push(`faster onnxruntime-web graph per n: ${Object.entries(result.fasterOrtGraphByN).map(([n, i]) => `${n}: ${i.replace('onnxruntime-web ', '')}`).join('; ')}`);
  if (result.peak) out.push(`peak: ${result.peak.name}: ${result.peak.gflops.toFixed(2)} GFLOP/s (${result.peak.detail || ''})`);
  for (const it of result.interactive) {
    out.push(`interactive: ${it.name}: ${it.ms == null ? 'n/a' : it.ms.toPrecision(3) + ' ms per call (median of ' + it.reps + ' samples of ' + it.inner + ' calls)'}${it.scratchBytes !== undefined ? `, scratch ${fmtBytes(it.scratchBytes)}` : ''}${it.note ? ' — ' + it.note : ''}`);
  }
  for (const it of result.rerender ?? []) {
    out.push(`rerender: ${it.name}: ${it.ms == null ? 'n/a' : `${it.ms.toPrecision(3)} ms per update (median of ${it.reps} samples of ${it.inner}), ${it.withinFrame ? 'within' : 'over'} one 16.7 ms frame`}${it.note ? ' — ' + it.note : ''}`);
  }
  return out.join('\n');
}
