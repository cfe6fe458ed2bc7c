/**
 * What a `<pointer-chase>` widget (lesson 5) shows, read from the page, and the check
 * that it equals the attention core's pointerChase run in Node with the same row,
 * layers, hops, sharpness and codes: every start's landing and true target, the
 * accuracy, the chosen start's path, and — when `heatmaps` is asked — every weight of
 * every layer's heatmap (from its data table). Used by the lesson test and the offline
 * tests (lesson-checks.mjs).
 */
import assert from 'node:assert/strict';

const indexOf = (letter) => letter.charCodeAt(0) - 65;
const letter = (index) => String.fromCharCode(65 + index);

/** The widget's view and what it shows, from its data attributes and tables. */
export function readChase(widget) {
  return widget.evaluate((element) => {
    const root = element.shadowRoot;
    const summary = root.querySelector('.accuracy-line');
    return {
      pointers: element.dataset.pointers,
      hops: Number(element.dataset.hops),
      layers: Number(element.dataset.layers),
      sharpness: Number(element.dataset.sharpness),
      dim: element.dataset.dim,
      seed: Number(element.dataset.seed),
      start: element.dataset.start,
      landings: [...root.querySelectorAll('.landings-table tr[data-start]')].map((row) => ({
        start: row.dataset.start, lands: row.dataset.lands, target: row.dataset.target,
      })),
      correct: Number(summary?.dataset.correct),
      accuracy: Number(summary?.dataset.accuracy),
      path: [...root.querySelectorAll('.path-table tr[data-layer]')].map((row) => row.querySelector('td[data-position]').dataset.position),
      pathWeights: [...root.querySelectorAll('.path-table td[data-weight]')].map((cell) => Number(cell.dataset.weight)),
      arrows: [...root.querySelectorAll('.pointer-tokens button')].map((button) => button.dataset.pointsAt).join(''),
    };
  });
}

/** The core's chase for a view read by readChase. */
export function coreChase(lab, view) {
  const options = {
    pointers: [...view.pointers].map(indexOf), layers: view.layers, hops: view.hops, sharpness: view.sharpness, seed: view.seed,
  };
  if (view.dim !== 'one-hot') options.dim = Number(view.dim);
  return lab.pointerChase(options);
}

/** Every weight of layers 1…L as the heatmaps' data tables show them (the tables are opened to be filled). */
export function readHeatmaps(widget) {
  return widget.evaluate(async (element) => {
    const boxes = [...element.shadowRoot.querySelectorAll('.layer-map:not([hidden])')];
    const opened = boxes.map((box) => box.querySelector('.heatmap details:not(.figure-export)')).filter((details) => !details.open);
    // A heatmap fills its table when the table is opened (the toggle event comes a task later).
    await Promise.all(opened.map((details) => new Promise((resolve) => {
      details.addEventListener('toggle', resolve, { once: true });
      details.open = true;
    })));
    return boxes.map((box) => [...box.querySelectorAll('.heatmap details:not(.figure-export) td[data-value]')].map((cell) => Number(cell.dataset.value)));
  });
}

/** Checks that the widget shows the core's chase; resolves to { view, result } for further checks. */
export async function checkChaseEqualsCore(widget, lab, { heatmaps = false } = {}) {
  const view = await readChase(widget);
  const n = view.pointers.length;
  assert.equal(view.arrows, view.pointers, 'the arrows drawn are the row’s pointers');
  const result = coreChase(lab, view);
  const { layers: L, hops: k } = view;
  assert.equal(view.landings.length, n, 'one line per start');
  view.landings.forEach(({ start, lands, target }, s) => {
    assert.equal(start, letter(s));
    assert.equal(lands, letter(result.positions[(L - 1) * n + s]), `start ${start} lands where the core says`);
    assert.equal(target, letter(result.targets[(k - 1) * n + s]), `start ${start}: the true ${k}-hop target`);
  });
  assert.ok(Math.abs(view.accuracy - result.answerAccuracy) < 1e-6, `accuracy ${view.accuracy}, core ${result.answerAccuracy}`);
  assert.equal(view.correct, Math.round(result.answerAccuracy * n));
  const s = indexOf(view.start);
  assert.deepEqual(view.path, Array.from({ length: L }, (_, layer) => letter(result.positions[layer * n + s])), 'the path of the start');
  view.pathWeights.forEach((weight, layer) => {
    const row = result.weights.subarray((layer * n + s) * n, (layer * n + s + 1) * n);
    assert.equal(weight, Math.max(...row), `layer ${layer + 1}: the start's largest weight`);
  });
  if (heatmaps) {
    const shown = await readHeatmaps(widget);
    assert.equal(shown.length, L, 'one heatmap per layer');
    shown.forEach((values, layer) => {
      assert.deepEqual(values, [...result.weights.subarray(layer * n * n, (layer + 1) * n * n)], `layer ${layer + 1}'s weights`);
    });
  }
  return { view, result };
}
