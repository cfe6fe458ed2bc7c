/**
 * Lesson 7, taming attention, in a real Chromium, with its models training in the
 * training worker: every number and curve the page shows equals lab.createTrainer's in
 * Node for the same options (both dropout models; the seven noise models and the
 * penalised one); without dropout [CLS] leans on the spurious marker and guesses on
 * validation, dropout moves its weight to the words; the entropy rises with k and the
 * penalty sharpens it; evidence is held back until the exercises are answered; the
 * dropout buttons work from the keyboard and live in the URL (a link reproduces the
 * view); Train again from the keyboard replays the same curves; axe-core finds nothing
 * and nothing scrolls sideways at 360 and 1280 px, light and dark.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserSession } from './browser.mjs';
import { answerExercise, assertNoAxeViolations, assertNoHorizontalOverflow, openLesson } from './lesson-page.mjs';
import { checkDropoutExperiment, checkNoiseExperiment } from './training-checks.mjs';

let session;
let page;

before(async () => {
  session = await startBrowserSession();
  page = await openLesson(session, 'regularisation');
});

afterEach(() => session.assertNoProblems());

after(async () => {
  await session?.close();
});

const last = (metrics, name) => metrics[name].at(-1);
const visible = (locator) => locator.isVisible();

test('the two dropout models show the core’s numbers: the plain one leans on the marker, dropout spreads its weight', async () => {
  const dropout = page.locator('dropout-experiment');
  const { plain, dropout: dropped } = await checkDropoutExperiment(dropout);
  assert.equal(last(plain, 'trainAccuracy'), 1, 'the plain model fits the training set');
  assert.ok(last(plain, 'spuriousWeight') > 2 * last(plain, 'signalWeight'), 'and leans on the marker');
  assert.ok(last(plain, 'validationAccuracy') < 0.65, 'so it guesses on validation');
  assert.ok(last(plain, 'validationLoss') > 2 * plain.validationLoss[0], 'its validation loss climbs');
  assert.ok(last(dropped, 'spuriousWeight') < last(plain, 'spuriousWeight') / 2, 'dropout lowers the marker’s weight');
  assert.ok(last(dropped, 'validationAccuracy') >= last(plain, 'validationAccuracy') + 0.2, 'and raises validation accuracy');
  assert.equal(await dropout.locator('.training-progress').textContent(), 'Done: step 300 of 300');
  assert.ok(await page.locator('.katex').count() > 5, 'math is typeset');
  await assertNoAxeViolations(page); // with the evidence held back
});

test('the noise models: entropy rises with k; the penalty sharpens the attention onto S', async () => {
  const noise = await checkNoiseExperiment(page.locator('noise-experiment'));
  const entropies = [1, 2, 4, 8, 16, 32, 64].map((k) => last(noise[`k${k}`], 'entropy'));
  entropies.forEach((value, index) => index && assert.ok(value > entropies[index - 1], `entropy rises at step ${index}`));
  assert.ok(last(noise.penalised, 'entropy') < 0.25 * last(noise.k16, 'entropy'));
  assert.ok(last(noise.penalised, 'signalWeight') > 0.95);
  const heatmaps = await page.locator('noise-experiment .heatmap-svg').count();
  assert.equal(heatmaps, 2, 'heatmaps before and after');
});

test('evidence waits for the predictions, and the exercises judge against the live models', async () => {
  const dropout = page.locator('dropout-experiment');
  const attention = dropout.locator('[data-model="plain"] .heatmap').first();
  const curves = dropout.locator('figure[data-figure="loss-plain"]');
  const summary = dropout.locator('[data-model="plain"] table.summary');
  assert.equal(await visible(attention), false, 'attention held back');
  assert.equal(await visible(curves), false, 'curves held back');
  assert.equal(await dropout.locator('.withheld:not([hidden])').count(), 6, 'a note in place of each held-back part');
  assert.equal(await answerExercise(page, 'leans-on', 'the words'), 'wrong');
  assert.equal(await visible(attention), true, 'answered: the attention shows');
  assert.equal(await visible(summary), false, 'the summary waits for the second exercise');
  assert.equal(await answerExercise(page, 'leans-on', 'the marker'), 'right');
  assert.equal(await answerExercise(page, 'validation-accuracy', '0.95'), 'wrong');
  assert.equal(await answerExercise(page, 'validation-accuracy', '0.5'), 'right');
  assert.equal(await visible(curves), true);
  assert.equal(await visible(summary), true);
  const expected = Number(await dropout.locator('[data-model="dropout"]').getAttribute('data-metric-validation-accuracy'));
  assert.equal(await answerExercise(page, 'dropout-accuracy', String(expected)), 'right');
  assert.equal(Number(await page.locator('lesson-exercise[data-exercise-id="dropout-accuracy"]').getAttribute('data-expected')), expected);

  const noise = page.locator('noise-experiment');
  assert.equal(await visible(noise.locator('figure[data-figure="sweep"]')), false);
  assert.equal(await answerExercise(page, 'noise-trend', 'rises'), 'right');
  assert.equal(await visible(noise.locator('figure[data-figure="sweep"]')), true);
  assert.equal(await visible(noise.locator('[data-model="penalised"] .heatmap')), false);
  const penalised = Number(await noise.locator('[data-run="penalised"]').getAttribute('data-metric-signal-weight'));
  assert.equal(await answerExercise(page, 'penalised-signal', '0.6'), 'wrong');
  assert.equal(await answerExercise(page, 'penalised-signal', String(penalised)), 'right');
  assert.equal(await visible(noise.locator('[data-model="penalised"] .heatmap')), true);
});

test('keyboard only: another dropout retrains that model, lives in the URL, and the verdict goes stale', async () => {
  const dropout = page.locator('dropout-experiment');
  const plainBefore = await dropout.locator('[data-model="plain"]').getAttribute('data-metric-validation-loss');
  await dropout.getByRole('radio', { name: '0.3', exact: true }).focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => location.hash.includes('dropout.dropout=0.5'));
  const { plain, dropout: dropped } = await checkDropoutExperiment(dropout);
  assert.equal(String(last(plain, 'validationLoss')), plainBefore, 'the plain model gives the same curve again');
  const exercise = page.locator('lesson-exercise[data-exercise-id="dropout-accuracy"]');
  assert.notEqual(last(dropped, 'validationAccuracy'), Number(await exercise.getAttribute('data-expected')));
  await exercise.locator('.stale').waitFor();
  // Train again from the keyboard: it trains once more and gives the same curve, step for step.
  await dropout.evaluate((element) => {
    element.seen = [];
    new MutationObserver(() => element.seen.push(element.dataset.trainingState)).observe(element, { attributes: true });
  });
  await dropout.getByRole('button', { name: 'Train again' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((element) => element.seen.includes('running') && element.dataset.trainingState === 'done',
    await dropout.elementHandle());
  await checkDropoutExperiment(dropout);
});

test('a link with dropout, seed and penalty reproduces the view', async () => {
  const shared = await openLesson(session, 'regularisation', { hash: '#dropout.dropout=0.1&dropout.seed=2&dropout.steps=120&noise.penalty=0.02&noise.steps=60' });
  const dropout = shared.locator('dropout-experiment');
  assert.equal(await dropout.getByRole('radio', { name: '0.1', exact: true }).isChecked(), true);
  assert.equal(await dropout.getByLabel('Random seed').inputValue(), '2');
  await checkDropoutExperiment(dropout);
  const noise = shared.locator('noise-experiment');
  assert.equal(await noise.getByRole('slider').inputValue(), '0.02');
  await checkNoiseExperiment(noise);
  assert.match(await noise.locator('.training-progress').textContent(), /^Done: step 60 of 60$/);
  await shared.close();
});

test('at 360 and 1280 px, light and dark, with the evidence shown: axe finds nothing, nothing scrolls sideways', async () => {
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: 900 });
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme });
      await assertNoAxeViolations(page);
      await assertNoHorizontalOverflow(page, width);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 800 });
});
