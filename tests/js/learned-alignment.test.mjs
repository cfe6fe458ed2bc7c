/**
 * The learned word-order alignment (web/widgets/learned-alignment-model.mjs), against the
 * attention core in Node: the loss falls; after training, the held-out pair's rows peak on
 * the source words they translate, crossing as French orders them; the same seed gives
 * bit-identical embeddings, losses and weights; and the gradient the core's
 * attentionBackward gives matches a central finite difference of the loss.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import createAttentionLab from '../../dist/node.mjs';
import {
  alignment, createModel, dimension, heldOutPair, lossAndGradients, rowPeaks, sourceWords, targetWords, trainStep, trainingPairs,
} from '../../web/widgets/learned-alignment-model.mjs';

const lab = await createAttentionLab();
const steps = 200;

const trained = (seed) => {
  const model = createModel(lab, { seed });
  for (let step = 0; step < steps; step++) trainStep(lab, model);
  return model;
};

test('the held-out pair uses only words the training pairs teach, in a combination they do not', () => {
  for (const word of heldOutPair.source) assert.ok(sourceWords.includes(word), word);
  for (const word of heldOutPair.target) assert.ok(targetWords.includes(word), word);
  assert.ok(!trainingPairs.some((pair) => pair.source.join(' ') === heldOutPair.source.join(' ')));
});

test('the loss falls, and the held-out pair aligns across: le→the, livre→book, blanc→white', () => {
  for (const seed of [1, 2, 3]) {
    const model = trained(seed);
    const { losses } = model;
    assert.equal(losses.length, steps);
    assert.ok(losses[0] > 0.5, `seed ${seed}: starts near chance (ln 3 ≈ 1.1), got ${losses[0]}`);
    assert.ok(losses.at(-1) < 0.05 * losses[0], `seed ${seed}: falls by 20× at least, ${losses[0]} → ${losses.at(-1)}`);
    assert.ok(losses[50] < losses[0] && losses.at(-1) < losses[50], `seed ${seed}: falls along the way`);
    const final = lossAndGradients(lab, model, { gradients: false }).loss;
    assert.ok(final < losses.at(-1), 'and after the last update it is lower still');
    const shown = alignment(lab, model, heldOutPair);
    assert.deepEqual(rowPeaks(shown), [0, 2, 1], `seed ${seed}: the crossing`);
    for (let row = 0; row < 3; row++) assert.ok(shown.weights[row * 3 + heldOutPair.translates[row]] > 0.8, `seed ${seed} row ${row}`);
  }
});

test('before training the held-out alignment is not yet the crossing for the default seed', () => {
  const model = createModel(lab, { seed: 1 });
  const shown = alignment(lab, model, heldOutPair);
  assert.notDeepEqual(rowPeaks(shown), [0, 2, 1]);
});

test('the same seed gives bit-identical results; another seed different ones', () => {
  const a = trained(7), b = trained(7), c = createModel(lab, { seed: 8 });
  assert.deepEqual(a.losses, b.losses);
  assert.deepEqual([...a.source], [...b.source]);
  assert.deepEqual([...a.target], [...b.target]);
  assert.deepEqual([...alignment(lab, a, heldOutPair).weights], [...alignment(lab, b, heldOutPair).weights]);
  assert.notDeepEqual([...createModel(lab, { seed: 7 }).source], [...c.source]);
});

test('the gradient through lab.attentionBackward matches a finite difference of the loss', () => {
  const model = createModel(lab, { seed: 3 });
  for (let step = 0; step < 5; step++) trainStep(lab, model);
  const { gradSource, gradTarget } = lossAndGradients(lab, model);
  const probes = [
    ['source', gradSource, sourceWords.indexOf('red') * dimension + 2],
    ['source', gradSource, sourceWords.indexOf('the') * dimension + 5],
    ['target', gradTarget, targetWords.indexOf('rouge') * dimension + 1],
    ['target', gradTarget, targetWords.indexOf('chien') * dimension + 7],
  ];
  const h = 1e-2;
  for (const [table, gradient, index] of probes) {
    const at = (delta) => {
      const copy = { ...model, source: Float32Array.from(model.source), target: Float32Array.from(model.target) };
      copy[table][index] += delta;
      return lossAndGradients(lab, copy, { gradients: false }).loss;
    };
    const numeric = (at(h) - at(-h)) / (2 * h);
    assert.ok(Math.abs(gradient[index]) > 1e-3, `${table}[${index}]: a gradient worth checking (${gradient[index]})`);
    assert.ok(Math.abs(numeric - gradient[index]) <= 2e-3 + 0.02 * Math.abs(numeric),
      `${table}[${index}]: backward ${gradient[index]} vs finite difference ${numeric}`);
  }
});
