/**
 * What lesson 4's widgets show, read from inside any container, against the attention
 * core run in Node with the same options (the widgets' own DOM-free modules, the same
 * WASM): every influence in `<context-readers>`'s table, each reader's receptive field
 * and path length, every point of the path-length plot; `<word-order>`'s alignment
 * weights, its monotonic path, total and the rows it gets wrong; `<learned-alignment>`'s
 * held-out heatmap against its model trained in Node to the same step.
 */
import assert from 'node:assert/strict';
import createAttentionLab from '../../dist/node.mjs';
import { contextReaders, readerOptions } from '../../web/widgets/context-reader-math.mjs';
import { alignPair, pairWithOrder, wordOrderPairs } from '../../web/widgets/word-order-pairs.mjs';
import { alignment, createModel, heldOutPair, trainStep } from '../../web/widgets/learned-alignment-model.mjs';

let labPromise = null;
export const nodeLab = () => (labPromise ??= createAttentionLab());

/** Everything a ready `<context-readers>` shows, as numbers. */
export function readReaders(element) {
  return element.evaluate((widget) => {
    const root = widget.shadowRoot;
    const data = widget.dataset;
    const view = Object.fromEntries(['n', 'position', 'source', 'layers', 'kernel', 'window', 'memory', 'seed']
      .map((name) => [name, Number(data[name])]));
    const influence = {};
    for (const cell of root.querySelectorAll('figure[data-figure="influence"] td[data-reader]')) {
      (influence[cell.dataset.reader] ??= []).push(Number(cell.dataset.value));
    }
    const reach = Object.fromEntries([...root.querySelectorAll('table.reach tr[data-reader]')].map((row) => [row.dataset.reader,
      { first: Number(row.dataset.first), last: Number(row.dataset.last), path: Number(row.dataset.path) }]));
    const plot = [...root.querySelectorAll('figure[data-figure="path-length"] tbody tr')].map((row) => ({
      distance: Number(row.querySelector('th').textContent),
      values: Object.fromEntries([...row.querySelectorAll('td')].map((cell) => [cell.dataset.series, Number(cell.dataset.value)])),
    }));
    return { view, words: widget.quantities.words, influence, reach, plot, quantities: JSON.parse(JSON.stringify(widget.quantities)) };
  });
}

/** Checks a `<context-readers>` against the core; resolves to what it read. */
export async function checkReadersEqualCore(element) {
  const lab = await nodeLab();
  const shown = await readReaders(element);
  const { view } = shown;
  assert.equal(shown.words.length, view.n);
  for (const { id } of contextReaders) {
    const options = readerOptions(id, view);
    assert.deepEqual(shown.influence[id], [...lab.influence(options)], `${id}: every influence is the core's`);
    const { first, last } = lab.receptiveField(options);
    const path = lab.pathLength({
      reader: id, distance: view.position - view.source,
      ...(id === 'conv' ? { kernel: view.kernel } : {}), ...(id === 'local' ? { window: view.window } : {}),
    });
    assert.deepEqual(shown.reach[id], { first, last, path }, `${id}: receptive field and path length`);
  }
  assert.ok(shown.plot.length >= view.n - 1, 'the plot covers every distance in the sentence');
  for (const { distance, values } of shown.plot) {
    assert.equal(values.conv, lab.pathLength({ reader: 'conv', distance, kernel: view.kernel }), `conv at d ${distance}`);
    assert.equal(values.local, lab.pathLength({ reader: 'local', distance, window: view.window }), `local at d ${distance}`);
    assert.equal(values.rnn, lab.pathLength({ reader: 'rnn', distance }), `rnn at d ${distance}`);
    assert.equal(values.global, 1);
  }
  return shown;
}

/** What a ready `<word-order>` shows. */
export function readWordOrder(element) {
  return element.evaluate((widget) => {
    const root = widget.shadowRoot;
    const cells = (figure) => [...root.querySelectorAll(`figure[data-figure="${figure}"] rect.heatmap-cell`)].map((cell) => Number(cell.dataset.value));
    const split = (text) => (text ? text.split(',').map(Number) : []);
    return {
      pair: widget.dataset.pair,
      order: split(widget.dataset.order),
      misaligned: split(widget.dataset.misaligned),
      path: split(widget.dataset.path),
      total: Number(widget.dataset.total),
      attention: cells('attention'),
      monotonic: cells('monotonic'),
      wrongLinks: root.querySelectorAll('figure[data-figure="monotonic"] .link.wrong').length,
      quantities: JSON.parse(JSON.stringify(widget.quantities)),
    };
  });
}

/** Checks a `<word-order>` against the core; resolves to what it read. */
export async function checkWordOrderEqualsCore(element) {
  const lab = await nodeLab();
  const shown = await readWordOrder(element);
  const pair = pairWithOrder(wordOrderPairs.find(({ id }) => id === shown.pair), shown.order);
  const expected = alignPair(lab, pair);
  assert.deepEqual(shown.attention, [...expected.weights], 'the alignment weights are the core\'s attention');
  assert.deepEqual(shown.path, [...expected.path], 'the monotonic path is the core\'s');
  assert.equal(shown.total, expected.total);
  assert.deepEqual(shown.misaligned, [...expected.misaligned], 'the wrong rows are the core\'s');
  assert.equal(shown.wrongLinks, expected.misaligned.length, 'one dashed line per wrong word');
  const taken = shown.monotonic.map((value, index) => value > 0 ? index : -1).filter((index) => index >= 0);
  assert.deepEqual(taken, [...expected.path].map((column, row) => row * expected.cols + column), 'the path\'s cells, and no others');
  for (let row = 1; row < shown.path.length; row++) assert.ok(shown.path[row] >= shown.path[row - 1], 'it never goes back');
  return shown;
}

/**
 * Checks a settled `<learned-alignment>` against its model trained in Node to the same
 * step with the same seed (the core's attention and attentionBackward, the same Adam
 * updates): the held-out pair's heatmap is equal to the bit. Resolves to the step shown.
 */
export async function checkLearnedAlignmentEqualsCore(element) {
  const lab = await nodeLab();
  const shown = await element.evaluate((widget) => ({
    step: Number(widget.dataset.step),
    seed: Number(widget.state.seed),
    cells: [...widget.shadowRoot.querySelectorAll('figure[data-figure="held-out"] rect.heatmap-cell')].map((cell) => Number(cell.dataset.value)),
  }));
  const model = createModel(lab, { seed: shown.seed });
  for (let step = 0; step < shown.step; step++) trainStep(lab, model);
  assert.deepEqual(shown.cells, [...alignment(lab, model, heldOutPair).weights], `the held-out alignment at step ${shown.step}`);
  return shown.step;
}
