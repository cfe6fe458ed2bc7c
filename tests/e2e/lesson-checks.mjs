/**
 * Whether a shown lesson really works — its numbers come from the attention core — read
 * from inside any container (a lesson page, an embedded `<attention-lesson>`): the
 * library's explorer shows the weights the core computes in Node for the same query,
 * keys and temperature; the scaling experiment's logit variance grows like d_k unscaled
 * and stays near 1 scaled; every number of a self-attention widget equals the core's for
 * its view (self-attention-checks.mjs); every start's landing in a pointer chase is the
 * core's (pointer-chase-checks.mjs); so does every influence, receptive field, path
 * length and alignment of the context lesson's widgets (context-checks.mjs); every number
 * a multi-head widget shows equals the core's (multi-head-checks.mjs); the training
 * widgets of lessons 7 and 8 train to their end in the training worker and show what
 * lab.createTrainer gives in Node (training-checks.mjs). Used by the offline tests, where nothing may be fetched.
 */
import assert from 'node:assert/strict';
import createAttentionLab from '../../dist/node.mjs';
import { checkShownEqualsCore } from './self-attention-checks.mjs';
import { checkChaseEqualsCore } from './pointer-chase-checks.mjs';
import { checkLearnedAlignmentEqualsCore, checkReadersEqualCore, checkWordOrderEqualsCore } from './context-checks.mjs';
import { checkMultiHeadShown } from './multi-head-checks.mjs';
import { checkDropoutExperiment, checkNoiseExperiment, checkTaskWeighting } from './training-checks.mjs';

let labPromise = null;

/** Checks the explorer inside `scope` against the core run in Node. */
async function checkExplorer(scope) {
  const lab = await (labPromise ??= createAttentionLab());
  const explorer = scope.locator('attention-explorer[data-ready]').first();
  const shown = await explorer.evaluate((element) => ({
    query: [Number(element.dataset.qx), Number(element.dataset.qy)],
    hard: element.dataset.hard === 'true',
    temperature: Number(element.dataset.temperature),
    books: JSON.parse(element.dataset.keys),
    weights: [...element.shadowRoot.querySelectorAll('tr[data-weight]')].map((row) => Number(row.dataset.weight)),
  }));
  assert.equal(shown.hard, false, 'a fresh lesson starts with the soft lookup');
  const { weights } = lab.attention({
    q: Float32Array.from(shown.query),
    k: Float32Array.from(shown.books.flatMap((book) => book.key)),
    v: Float32Array.from(shown.books.flatMap((book) => book.value)),
    nq: 1, nk: shown.books.length, dk: 2, dv: 3, scaling: 'none',
    temperature: shown.temperature,
  });
  assert.equal(shown.weights.length, weights.length);
  shown.weights.forEach((weight, index) => assert.ok(Math.abs(weight - weights[index]) < 1e-6, `weight ${index}`));
}

/** Checks the scaling experiment inside `scope`: variance near d_k unscaled, near 1 scaled. */
async function checkScalingExperiment(scope) {
  const experiment = scope.locator('scaling-experiment[data-ready]').first();
  const dk = Number(await experiment.getAttribute('data-dk'));
  const variance = async (scaling) => Number(await experiment.locator(`tr[data-scaling="${scaling}"]`).getAttribute('data-variance'));
  const unscaled = await variance('none');
  const scaled = await variance('sqrt');
  assert.ok(Math.abs(unscaled / dk - 1) < 0.2, `unscaled variance ${unscaled} at d_k ${dk}`);
  assert.ok(Math.abs(scaled - 1) < 0.2, `scaled variance ${scaled}`);
}

/** Checks every widget the lesson in `scope` shows (it must show at least one). */
export async function checkLessonWorks(scope) {
  const explorers = await scope.locator('attention-explorer').count();
  const experiments = await scope.locator('scaling-experiment').count();
  const sentences = await scope.locator('self-attention').count();
  const chases = await scope.locator('pointer-chase').count();
  const readers = await scope.locator('context-readers').count();
  const orders = await scope.locator('word-order').count();
  const multiHeads = await scope.locator('multi-head').count();
  const training = { 'dropout-experiment': checkDropoutExperiment, 'noise-experiment': checkNoiseExperiment, 'task-weighting': checkTaskWeighting };
  let trainingWidgets = 0;
  for (const type of Object.keys(training)) {
    const widget = scope.locator(type);
    if (await widget.count() === 0) continue;
    trainingWidgets += 1;
    await training[type](widget.first()); // trained in the training worker, as lab.createTrainer trains in Node
  }
  assert.ok(explorers + experiments + sentences + chases + readers + orders + multiHeads + trainingWidgets > 0, 'the lesson shows a widget');
  if (explorers) await checkExplorer(scope);
  if (experiments) await checkScalingExperiment(scope);
  if (sentences) await checkShownEqualsCore(scope.locator('self-attention[data-ready]').first());
  if (chases) await checkChaseEqualsCore(scope.locator('pointer-chase[data-ready]').first(), await (labPromise ??= createAttentionLab()));
  if (readers) await checkReadersEqualCore(scope.locator('context-readers[data-ready]').first());
  if (orders) await checkWordOrderEqualsCore(scope.locator('word-order[data-ready]').first());
  if (await scope.locator('learned-alignment').count()) await checkLearnedAlignmentEqualsCore(scope.locator('learned-alignment[data-ready]').first());
  if (multiHeads) await checkMultiHeadShown(scope.locator('multi-head[data-ready]').first());
}
