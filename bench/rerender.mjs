// Browser only (page.html): how long the playground takes to show a change at n = 1024.
//
// 1. The heatmap alone: Heatmap.update() of a 1024 x 1024 matrix of weights, drawn on its
//    canvas (colour lookup per cell, putImageData) — what "re-render" means for the figure.
// 2. The whole widget: a <self-attention> with random input (n = 1024, one head) whose
//    temperature changes, at d_k = 16 and 64, timed two ways: the synchronous update
//    that ends in the new heatmaps (the core's attention with weights, the heatmap and
//    the output redrawn) — what must fit the frame —, and the time until everything is
//    shown (data-ready again: the entropies, the walk and the cell's numbers follow one
//    frame later, so this includes waiting for that frame).
// 3. For scale, in the same run: the one core call such an update cannot avoid,
//    lab.attention with weights at n = 1024 (same d_k), so the widget's overhead reads as
//    a ratio even on a loaded machine.
// Each is timed synchronously (the JavaScript and WebAssembly work of one update, before
// the browser paints), with timeCalls' warm-up and median; a frame at 60 Hz is 16.7 ms.
import { timeCalls } from './measure.mjs';

const FRAME_MS = 1000 / 60;

/** Resolves once `element` has data-ready. */
function whenReady(element) {
  return new Promise((resolve) => {
    const check = () => (element.hasAttribute('data-ready') ? resolve() : requestAnimationFrame(check));
    check();
  });
}

export async function measureRerender({ now, log = () => {}, minSampleMs = 20 }) {
  const results = [];
  const record = (name, t, note) => {
    results.push({ name, ms: t.ms, inner: t.inner, reps: t.reps, withinFrame: t.ms <= FRAME_MS, note });
    log(`rerender ${name}: ${t.ms.toFixed(2)} ms (${t.ms <= FRAME_MS ? 'within' : 'over'} one 16.7 ms frame)`);
  };

  const { Heatmap } = await import('/figures/heatmap.mjs');
  const n = 1024;
  const host = document.createElement('div');
  host.style.width = '640px';
  document.body.append(host);
  const map = new Heatmap({ label: 'Attention weights', svgLimit: 24 });
  host.append(map.element);
  const values = new Float32Array(n * n);
  for (let i = 0; i < values.length; i++) values[i] = ((i * 2654435761) % 1000) / 1000 / n;
  const domains = [[0, 1 / n], [0, 2 / n]];
  let flip = 0;
  const draw = () => {
    flip ^= 1;
    map.update({ values, rows: n, cols: n, domain: domains[flip] });
  };
  record('heatmap update, 1024 x 1024 on canvas', await timeCalls(draw, { now, warmup: 5, reps: 20, minSampleMs }),
    'Heatmap.update(): theme colours read, every cell looked up, putImageData');
  host.remove();

  await import('/widgets/self-attention.mjs');
  const { loadLab } = await import('/runtime/lab.mjs');
  const lab = await loadLab();
  for (const dk of [16, 64]) {
    const stream = lab.randomNormal({ seed: 1, count: n * dk * 2 + n * 16 });
    const [q, k, v] = [stream.subarray(0, n * dk), stream.subarray(n * dk, 2 * n * dk), stream.subarray(2 * n * dk)];
    record(`core alone: lab.attention n = 1024, d_k = ${dk}, d_v = 16, weights`, await timeCalls(
      () => lab.attention({ q, k, v, nq: n, nk: n, dk, dv: 16, weights: true }), { now, warmup: 3, reps: 10, minSampleMs }),
    'the one core call every setting change needs, for the ratio below');
    const widget = document.createElement('self-attention');
    for (const [name, value] of Object.entries({ source: 'random', n: String(n), dk: String(dk), dv: '16', controls: 'all' })) widget.setAttribute(name, value);
    widget.style.display = 'block';
    widget.style.width = '1000px';
    document.body.append(widget);
    await whenReady(widget);
    let temperature = 1;
    const change = () => {
      temperature = temperature === 1 ? 0.9 : 1;
      widget.state = { ...widget.state, temperature: String(temperature) };
    };
    record(`self-attention setting change to new heatmaps, n = 1024, d_k = ${dk}, 1 head`, await timeCalls(change, { now, warmup: 3, reps: 10, minSampleMs }),
      'widget.state = { temperature }, synchronous: core attention with weights, heatmap and output redrawn');
    const changeAndWait = async () => {
      change();
      await whenReady(widget);
    };
    record(`self-attention setting change until everything is shown, n = 1024, d_k = ${dk}, 1 head`, await timeCalls(changeAndWait, { now, warmup: 2, reps: 10, minSampleMs: 0 }),
      'until data-ready: also the entropies, the walk and the cell details, one frame later (the wait for that frame included)');
    widget.remove();
  }
  return results;
}
