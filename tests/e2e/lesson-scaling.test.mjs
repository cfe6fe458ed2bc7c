/**
 * Lesson 2, why 1/sqrt(d_k), in a real Chromium: every number it shows — the summary at
 * the chosen d_k, the row of logits and weights, and every cell of every plot's data
 * table — equals the attention core's in Node for the same seed; with 20,000 samples the
 * unscaled variance lies within 5% of d_k and the scaled one within 5% of 1; the d_k
 * slider works by keyboard and lives in the URL with the seed (a link reproduces the
 * view, Back and Forward step through it); the exercises accept a right prediction and
 * reject a wrong one; plots export as SVG and PNG; axe-core finds nothing; a 360 px
 * phone needs no sideways scrolling.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import createAttentionLab from '../../dist/node.mjs';
import { startBrowserSession } from './browser.mjs';
import {
  answerExercise, assertNoAxeViolations, assertNoHorizontalOverflow, downloadFrom, openLesson, pngSignature,
} from './lesson-page.mjs';

const dimensions = Array.from({ length: 11 }, (_, power) => 2 ** power);
const scalings = ['none', 'sqrt', 'l2'];
const measures = { variance: 'logitVariance', maxWeight: 'meanMaxWeight', entropy: 'meanEntropy', gradientNorm: 'meanGradientNorm' };

let session;
let lab;
let page;
const coreCache = new Map();

before(async () => {
  session = await startBrowserSession();
  lab = await createAttentionLab();
  page = await openLesson(session, 'scaling');
});

afterEach(() => session.assertNoProblems());

after(async () => {
  await session?.close();
});

/** The core's result in Node (cached: the same inputs give the same numbers). */
function core({ dk, seed, samples, keys, scaling }) {
  const key = `${dk}/${seed}/${samples}/${keys}/${scaling}`;
  if (!coreCache.has(key)) coreCache.set(key, lab.scalingExperiment({ dk, seed, samples, keys, scaling }));
  return coreCache.get(key);
}

function close(shown, expected, what) {
  assert.ok(Math.abs(shown - expected) <= 1e-6 * Math.max(1, Math.abs(expected)), `${what}: shown ${shown}, core ${expected}`);
}

/** What the widget reports: its parameters, summary rows, the row view and the plot tables. */
function readExperiment(target = page) {
  return target.locator('scaling-experiment').evaluate((element) => {
    const root = element.shadowRoot;
    return {
      dk: Number(element.dataset.dk),
      seed: Number(element.dataset.seed),
      samples: Number(element.dataset.samples),
      keys: Number(element.dataset.keys),
      row: element.dataset.row,
      summary: [...root.querySelectorAll('tr[data-scaling]')].map((row) => ({
        scaling: row.dataset.scaling,
        variance: Number(row.dataset.variance),
        maxWeight: Number(row.dataset.maxWeight),
        entropy: Number(row.dataset.entropy),
        gradientNorm: Number(row.dataset.gradientNorm),
      })),
      logits: [...root.querySelectorAll('tr[data-logit]')].map((row) => Number(row.dataset.logit)),
      weights: [...root.querySelectorAll('tr[data-logit]')].map((row) => Number(row.dataset.weight)),
      plots: Object.fromEntries([...root.querySelectorAll('figure[data-measure]')].map((figure) => [
        figure.dataset.measure,
        [...figure.querySelectorAll('tbody tr')].map((row) => ({
          dk: Number(row.querySelector('th').textContent),
          values: Object.fromEntries([...row.querySelectorAll('td')].map((cell) => [cell.dataset.series, Number(cell.dataset.value)])),
        })),
      ])),
    };
  });
}

function assertSummaryAndRowMatchCore(state) {
  const { dk, seed, samples, keys } = state;
  assert.deepEqual(state.summary.map((row) => row.scaling), scalings);
  for (const row of state.summary) {
    const expected = core({ dk, seed, samples, keys, scaling: row.scaling });
    for (const [measure, field] of Object.entries(measures)) close(row[measure], expected[field], `${measure} (${row.scaling}, d_k ${dk})`);
  }
  const expectedRow = core({ dk, seed, samples, keys, scaling: state.row });
  assert.equal(state.logits.length, keys);
  state.logits.forEach((logit, index) => close(logit, expectedRow.logits[index], `logit ${index}`));
  state.weights.forEach((weight, index) => close(weight, expectedRow.weights[index], `weight ${index}`));
}

const hashParams = async (target = page) => new URLSearchParams((await target.evaluate(() => location.hash)).slice(1));

test('the lesson opens at d_k = 64 with 20,000 samples, and its summary and row are the core’s numbers', async () => {
  const state = await readExperiment();
  assert.deepEqual([state.dk, state.seed, state.samples, state.keys, state.row], [64, 1, 20000, 16, 'none']);
  assertSummaryAndRowMatchCore(state);
  assert.ok(await page.locator('.katex').count() > 5, 'math is typeset');
  const resources = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name));
  for (const url of resources) assert.equal(new URL(url).hostname, '127.0.0.1', url);
});

test('every plot’s data table equals the core for every d_k and scaling', async () => {
  const { plots, seed, samples, keys } = await readExperiment();
  assert.deepEqual(Object.keys(plots), Object.keys(measures));
  for (const [measure, rows] of Object.entries(plots)) {
    assert.deepEqual(rows.map((row) => row.dk), dimensions);
    for (const { dk, values } of rows) {
      for (const scaling of scalings) {
        close(values[scaling], core({ dk, seed, samples, keys, scaling })[measures[measure]], `${measure} ${scaling} d_k ${dk}`);
      }
    }
  }
});

test('with 20,000 samples the unscaled variance is within 5% of d_k and the scaled within 5% of 1', async () => {
  const { plots } = await readExperiment();
  for (const { dk, values } of plots.variance) {
    assert.ok(Math.abs(values.none - dk) <= 0.05 * dk, `unscaled variance ${values.none} at d_k ${dk}`);
    assert.ok(Math.abs(values.sqrt - 1) <= 0.05, `scaled variance ${values.sqrt} at d_k ${dk}`);
  }
  const at = (measure, scaling, dk) => plots[measure].find((row) => row.dk === dk).values[scaling];
  assert.ok(at('maxWeight', 'none', 1024) > 0.9, 'unscaled, the softmax saturates at d_k 1024');
  assert.ok(at('maxWeight', 'sqrt', 1024) < 0.5, 'scaled, it stays soft');
  assert.ok(at('gradientNorm', 'none', 1024) < at('gradientNorm', 'sqrt', 1024) / 2, 'and its gradient vanishes unscaled');
});

test('the d_k slider works by keyboard, updates the row, and Back/Forward restore it', async () => {
  const slider = page.locator('scaling-experiment').getByRole('slider', { name: 'Key dimension d_k' });
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  const up = await readExperiment();
  assert.equal(up.dk, 128);
  assert.equal(await slider.getAttribute('aria-valuetext'), 'd_k = 128');
  assertSummaryAndRowMatchCore(up);
  assert.equal((await hashParams()).get('plots.dk'), '128');
  await page.keyboard.press('End');
  assert.equal((await readExperiment()).dk, 1024);
  await page.goBack();
  assert.equal((await readExperiment()).dk, 128);
  await page.goForward();
  assert.equal((await readExperiment()).dk, 1024);
  await page.locator('scaling-experiment').getByLabel('÷√d_k').check();
  const scaled = await readExperiment();
  assert.equal(scaled.row, 'sqrt');
  assertSummaryAndRowMatchCore(scaled);
});

test('a link with d_k, seed and row reproduces the exact view', async () => {
  const shared = await openLesson(session, 'scaling', { hash: '#plots.dk=256&plots.seed=7&plots.samples=20000&plots.row=l2' });
  const state = await readExperiment(shared);
  assert.deepEqual([state.dk, state.seed, state.samples, state.row], [256, 7, 20000, 'l2']);
  assertSummaryAndRowMatchCore(state);
  assert.equal(await shared.locator('scaling-experiment').getByLabel('Random seed').inputValue(), '7');
  await shared.locator('scaling-experiment').getByLabel('Random seed').fill('8');
  await shared.locator('scaling-experiment').getByLabel('Random seed').press('Enter');
  await shared.locator('scaling-experiment[data-ready]').waitFor();
  const reseeded = await readExperiment(shared);
  assert.equal(reseeded.seed, 8);
  assertSummaryAndRowMatchCore(reseeded);
  assert.equal((await hashParams(shared)).get('plots.seed'), '8');
  await shared.close();
});

test('the variance exercises accept the right prediction and reject a wrong one', async () => {
  assert.match(await page.locator('lesson-exercise[data-exercise-id="variance-unscaled"] .tolerance').textContent(),
    /within 10% of the value the core measures/);
  assert.equal(await answerExercise(page, 'variance-unscaled', '16'), 'wrong');
  assert.equal(await answerExercise(page, 'variance-unscaled', '256'), 'right');
  const expected = Number(await page.locator('lesson-exercise[data-exercise-id="variance-unscaled"]').getAttribute('data-expected'));
  close(expected, core({ dk: 256, seed: 1, samples: 20000, keys: 16, scaling: 'none' }).logitVariance, 'the exercise’s answer');
  assert.equal(await answerExercise(page, 'variance-scaled', '16'), 'wrong');
  assert.equal(await answerExercise(page, 'variance-scaled', '1'), 'right');
});

test('each plot downloads as SVG and PNG', async () => {
  const figure = page.locator('scaling-experiment figure[data-measure="variance"]');
  const svg = await downloadFrom(page, figure.getByRole('button', { name: /Download SVG/ }));
  assert.equal(svg.name, 'scaling-variance.svg');
  assert.match(svg.bytes.toString('utf8'), /^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*class="series"/);
  const png = await downloadFrom(page, figure.getByRole('button', { name: /Download PNG/ }));
  assert.deepEqual(png.bytes.subarray(0, 8), pngSignature);
});

test('axe-core finds no accessibility violations', async () => {
  await assertNoAxeViolations(page);
});

test('at 360 px nothing overflows and axe-core still finds nothing', async () => {
  const phone = await openLesson(session, 'scaling', { viewport: { width: 360, height: 740 } });
  await assertNoHorizontalOverflow(phone, 360);
  await assertNoAxeViolations(phone);
  await phone.close();
});
