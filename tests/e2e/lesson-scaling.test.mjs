/**
 * Lesson 3, why 1/sqrt(d_k), in a real Chromium: every number it shows — the summary at
 * the chosen d_k, the row of logits and weights, the histogram's counts and every cell
 * of every plot's data table — equals the attention core's in Node for the same seed;
 * with 20,000 samples the unscaled variance lies within 5% of d_k and the scaled one
 * within 5% of 1; the plots carry their reference lines and the L2 curve stays visible
 * on the ÷√d_k one; the d_k buttons work by pointer and keyboard and live in the URL
 * with the seed (a link reproduces the view, Back and Forward step through it); the
 * figures the exercises ask about are held back until they are answered; the exercises
 * accept a right prediction and reject a wrong one, stating the exact value beside the
 * measured one; plots export as SVG and PNG; axe-core finds nothing; a 360 px phone
 * needs no sideways scrolling.
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

test('the d_k buttons work by pointer and keyboard, update the row, and Back/Forward restore it', async () => {
  const dimension = page.locator('scaling-experiment').getByRole('group', { name: 'Key dimension d_k' });
  assert.equal(await dimension.getByRole('radio').count(), dimensions.length, 'one button per d_k');
  await dimension.getByRole('radio', { name: '64', exact: true }).focus();
  await page.keyboard.press('ArrowRight');
  const up = await readExperiment();
  assert.equal(up.dk, 128);
  assert.equal(await dimension.getByRole('radio', { name: '128', exact: true }).isChecked(), true);
  assertSummaryAndRowMatchCore(up);
  assert.equal((await hashParams()).get('plots.dk'), '128');
  await dimension.getByRole('radio', { name: '1024', exact: true }).click();
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

test('the figures the exercises ask about are held back until they are answered', async () => {
  const fresh = await openLesson(session, 'scaling');
  const widget = fresh.locator('scaling-experiment');
  const hidden = async (measure) => !(await widget.locator(`figure[data-measure="${measure}"]`).isVisible());
  for (const measure of ['variance', 'maxWeight', 'gradientNorm']) assert.ok(await hidden(measure), `${measure} is held back`);
  assert.equal(await widget.locator('table.summary').isVisible(), false, 'so is the summary table');
  assert.ok(!(await hidden('entropy')), 'no exercise asks about the entropy: it shows');
  assert.equal(await widget.locator('figure[data-figure="histogram"]').isVisible(), true);
  assert.equal(await widget.locator('figure[data-figure="row"]').isVisible(), true);
  await answerExercise(fresh, 'variance-unscaled', '100');
  assert.ok(await hidden('variance'), 'the variance plot waits for the second variance exercise too');
  await answerExercise(fresh, 'variance-scaled', '1');
  assert.ok(!(await hidden('variance')), 'both answered: the variance plot shows');
  assert.ok(await hidden('maxWeight'), 'the others still wait');
  await fresh.close();
});

test('the variance exercises accept the right prediction, reject a wrong one, and state the exact value beside the measured one', async () => {
  assert.match(await page.locator('lesson-exercise[data-exercise-id="variance-unscaled"] .tolerance').textContent(),
    /within 10% of the exact value or of the value the core measures/);
  assert.equal(await answerExercise(page, 'variance-unscaled', '16'), 'wrong');
  assert.equal(await answerExercise(page, 'variance-unscaled', '256'), 'right');
  const exercise = page.locator('lesson-exercise[data-exercise-id="variance-unscaled"]');
  const measured = core({ dk: 256, seed: 1, samples: 20000, keys: 16, scaling: 'none' }).logitVariance;
  close(Number(await exercise.getAttribute('data-expected')), measured, 'the exercise’s answer');
  assert.equal(await exercise.locator('.verdict').textContent(), `Right. exact 256; the core measured ${Number(measured.toPrecision(4))}.`);
  assert.equal(await answerExercise(page, 'variance-scaled', '16'), 'wrong');
  assert.equal(await answerExercise(page, 'variance-scaled', '1'), 'right');
  assert.match(await page.locator('lesson-exercise[data-exercise-id="variance-scaled"] .verdict').textContent(), /^Right\. exact 1; the core measured \d\.\d+\.$/);
});

test('the saturation, gradient and temperature exercises check against the core’s numbers', async () => {
  const at1024 = core({ dk: 1024, seed: 1, samples: 20000, keys: 16, scaling: 'none' });
  assert.equal(await answerExercise(page, 'saturation', '0.25'), 'wrong');
  assert.equal(await answerExercise(page, 'saturation', '0.95'), 'right');
  close(Number(await page.locator('lesson-exercise[data-exercise-id="saturation"]').getAttribute('data-expected')), at1024.meanMaxWeight, 'saturation');
  assert.equal(await answerExercise(page, 'gradient', '0.3'), 'wrong');
  assert.equal(await answerExercise(page, 'gradient', String(at1024.meanGradientNorm.toFixed(2))), 'right');
  const temperature = page.locator('lesson-exercise[data-exercise-id="scaling-is-temperature"]');
  const choose = (value) => temperature.locator('input[type=radio]').evaluateAll((radios, wanted) => {
    radios.find((radio) => radio.value === wanted).click();
  }, value);
  await choose('A temperature $T = 1/\\sqrt{d_k}$');
  await temperature.getByRole('button', { name: 'Check' }).click();
  assert.equal(await temperature.getAttribute('data-verdict'), 'wrong');
  await choose('A temperature $T = \\sqrt{d_k}$');
  await temperature.getByRole('button', { name: 'Check' }).click();
  assert.equal(await temperature.getAttribute('data-verdict'), 'right');
});

test('the histogram counts the core’s own logits, unscaled and ÷√d_k, on a fixed axis', async () => {
  for (const dk of [4, 256]) {
    const shown = await openLesson(session, 'scaling', { hash: `#plots.dk=${dk}&plots.seed=3` });
    const counts = await shown.locator('scaling-experiment figure[data-figure="histogram"]').evaluate((figure) => {
      const read = (series) => [...figure.querySelectorAll(`td[data-series="${series}"]`)].map((cell) => Number(cell.dataset.value));
      return { none: read('none'), sqrt: read('sqrt') };
    });
    const normals = lab.randomNormal({ seed: 3, count: 96 * dk });
    for (const scaling of ['none', 'sqrt']) {
      const { scores } = lab.attention({
        q: normals.subarray(0, 32 * dk), k: normals.subarray(32 * dk), v: new Float32Array(64), nq: 32, nk: 64, dk, dv: 1, scaling, scores: true,
      });
      const expected = new Array(64).fill(0);
      for (const value of scores) expected[Math.min(63, Math.max(0, Math.floor((value + 64) / 2)))] += 1;
      assert.deepEqual(counts[scaling], expected, `${scaling} counts at d_k ${dk}`);
    }
    const spread = (list) => list.filter((count) => count > 0).length;
    if (dk === 256) assert.ok(spread(counts.none) > 3 * spread(counts.sqrt), 'unscaled, the logits spread over many more bins');
    await shown.close();
  }
});

test('the plots carry their reference lines, and the L2 curve stays visible on the ÷√d_k one', async () => {
  const plots = page.locator('scaling-experiment');
  const labels = await plots.locator('.reference-label').allTextContents();
  for (const label of ['y = d_k', 'uniform 1/16', 'uniform ln 16', 'uniform weights']) assert.ok(labels.includes(label), label);
  const styles = await plots.locator('figure[data-measure="variance"] g[data-series]').evaluateAll((groups) => groups.map((group) => ({
    id: group.dataset.series,
    width: Number(group.querySelector('.series').getAttribute('stroke-width')),
    dash: group.querySelector('.series').getAttribute('stroke-dasharray'),
    symbol: group.querySelector('.symbol').localName + (group.querySelector('.symbol').getAttribute('points') ? '-polygon' : ''),
  })));
  const [sqrt, l2] = [styles.find((series) => series.id === 'sqrt'), styles.find((series) => series.id === 'l2')];
  assert.ok(styles.indexOf(l2) > styles.indexOf(sqrt), 'L2 is drawn over ÷√d_k');
  assert.ok(l2.width < sqrt.width && l2.dash !== 'none', 'a thinner dashed line over a thick one');
  assert.notEqual(l2.symbol, sqrt.symbol, 'with other point symbols');
});

test('opening a data table leaves the neighbouring figure alone, and every disclosure keeps its marker', async () => {
  const shown = await openLesson(session, 'scaling', { hash: '#plots.dk=64' });
  const widget = shown.locator('scaling-experiment');
  await widget.evaluate((element) => element.shadowRoot.querySelectorAll('.withheld button').forEach((button) => button.click()));
  const heights = () => widget.locator('figure[data-measure]').evaluateAll((figures) => figures.map((figure) => figure.getBoundingClientRect().height));
  const before = await heights();
  await widget.locator('figure[data-measure="variance"] details:not(.figure-export) summary').click();
  const after = await heights();
  assert.ok(after[0] > before[0] + 100, 'the opened table makes its own figure taller');
  assert.deepEqual(after.slice(1), before.slice(1), 'and no other');
  const displays = await widget.locator('summary').evaluateAll((summaries) => summaries.map((summary) => getComputedStyle(summary).display));
  assert.ok(displays.length >= 10 && displays.every((display) => display === 'list-item'), displays.join(', '));
  await shown.close();
});

test('each plot downloads as SVG and PNG', async () => {
  const figure = page.locator('scaling-experiment figure[data-measure="variance"]');
  const svg = await downloadFrom(page, figure, 'SVG');
  assert.equal(svg.name, 'scaling-variance.svg');
  assert.match(svg.bytes.toString('utf8'), /^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*class="series"/);
  const png = await downloadFrom(page, figure, 'PNG');
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
