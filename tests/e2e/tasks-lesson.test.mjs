/**
 * Lesson 8, attending to tasks, in a real Chromium, its three rules training in the
 * training worker: the page waits at step 0 for a prediction; the weights are held back
 * until it is made; Train (from the keyboard) trains the three rules side by side, and
 * every number and curve shown equals lab.createTrainer's in Node; descent moves the
 * weight to the easy task and ascent to the hard one, as the lesson says; pause holds
 * the step count, resume goes on, reset returns to step 0; a link with a seed and steps
 * reproduces the view; axe-core finds nothing and nothing scrolls sideways at 360 and
 * 1280 px, light and dark.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserSession } from './browser.mjs';
import { answerExercise, assertNoAxeViolations, assertNoHorizontalOverflow, openLesson } from './lesson-page.mjs';
import { checkTaskWeighting, trainedInNode } from './training-checks.mjs';

let session;
let page;

before(async () => {
  session = await startBrowserSession();
  page = await openLesson(session, 'tasks');
});

afterEach(() => session.assertNoProblems());

after(async () => {
  await session?.close();
});

const widget = () => page.locator('task-weighting');
const stepOf = async (locator) => Number(await locator.getAttribute('data-step'));

test('the page waits at step 0 with the weights held back until the prediction is made', async () => {
  assert.equal(await widget().getAttribute('data-training-state'), 'paused');
  assert.equal(await stepOf(widget()), 0);
  assert.equal(await widget().locator('.training-progress').textContent(), 'Not trained yet: step 0 of 500');
  assert.equal(await widget().locator('figure[data-figure="task-weights-descent"]').isVisible(), false);
  assert.equal(await widget().locator('figure[data-figure="task-losses-descent"]').isVisible(), true, 'the losses show');
  await assertNoAxeViolations(page);
  assert.equal(await answerExercise(page, 'descent-direction', 'to the hard task'), 'wrong');
  assert.equal(await answerExercise(page, 'descent-direction', 'to the easy task'), 'right');
  assert.equal(await widget().locator('figure[data-figure="task-weights-descent"]').isVisible(), true);
});

test('Train, from the keyboard, trains the three rules; every number is the core’s and the weights flow as the lesson says', async () => {
  await widget().getByRole('button', { name: 'Train', exact: true }).focus();
  await page.keyboard.press('Enter');
  const result = await checkTaskWeighting(widget());
  const last = (update, name) => result[update][name].at(-1);
  assert.ok(last('descent', 'weightEasy') > 0.9, 'descent: to the easy task');
  assert.ok(last('ascent', 'weightHard') > 0.9, 'ascent: to the hard task');
  assert.ok(result['loss-ratio'].weightHard[50] > result['loss-ratio'].weightEasy[50], 'loss ratio: early on, away from the easy task');
  assert.equal(await answerExercise(page, 'seed-sentence', 'descent'), 'wrong');
  assert.equal(await answerExercise(page, 'seed-sentence', 'ascent'), 'right');
  assert.equal(await answerExercise(page, 'descent-easy-weight', '0.5'), 'wrong');
  assert.equal(await answerExercise(page, 'descent-easy-weight', String(last('descent', 'weightEasy'))), 'right');
  const table = await widget().locator('table.summary tr[data-update="descent"] td').allTextContents();
  assert.equal(table[0], last('descent', 'weightEasy').toFixed(3));
});

test('a link sets seed and steps; pause holds the step count at the core’s numbers, resume goes on, reset returns to step 0', async () => {
  const shared = await openLesson(session, 'tasks', { hash: '#tasks.seed=3&tasks.steps=60000' });
  const tasks = shared.locator('task-weighting');
  assert.equal(await tasks.getByLabel('Random seed').inputValue(), '3');
  assert.equal(await tasks.locator('.training-progress').textContent(), 'Not trained yet: step 0 of 60,000');
  const toggle = tasks.getByRole('button', { name: 'Train', exact: true });
  await toggle.click();
  await shared.waitForFunction((element) => element.dataset.trainingState === 'running' && Number(element.dataset.step) > 100,
    await tasks.elementHandle());
  assert.match(await tasks.locator('.training-progress').textContent(), /^Training: step [\d,]+ of 60,000 · [\d,]+ steps\/s$/);
  await tasks.getByRole('button', { name: 'Pause' }).click();
  await shared.waitForFunction((element) => element.dataset.trainingState === 'paused', await tasks.elementHandle());
  const held = await stepOf(tasks);
  await shared.waitForTimeout(400);
  assert.equal(await stepOf(tasks), held, 'no steps while paused');
  assert.equal(await tasks.getAttribute('data-ready'), '', 'paused numbers are settled');
  // Each rule paused at its own step; what it shows is what Node gives after as many steps, seed 3.
  for (const update of ['descent', 'ascent', 'loss-ratio']) {
    const shown = await tasks.locator(`section[data-update="${update}"]`).evaluate((panel) => Object.fromEntries(
      Object.entries(panel.dataset).filter(([name]) => name.startsWith('metric')).map(([name, value]) => [name.slice(6), Number(value)])));
    const expected = await trainedInNode({ task: 'task-weighting', update, seed: 3 }, shown.Step + 1);
    for (const name of Object.keys(expected)) assert.equal(shown[name[0].toUpperCase() + name.slice(1)], expected[name].at(-1), `${update} ${name}`);
  }
  await tasks.getByRole('button', { name: 'Resume' }).click();
  await shared.waitForFunction(([element, at]) => Number(element.dataset.step) > at + 100, [await tasks.elementHandle(), held]);
  await tasks.getByRole('button', { name: 'Reset' }).click();
  await shared.waitForFunction((element) => element.dataset.step === '0' && element.dataset.trainingState === 'paused',
    await tasks.elementHandle());
  assert.match(await shared.evaluate(() => location.hash), /tasks\.seed=3&tasks\.steps=60000/);
  await shared.close();
});

test('at 360 and 1280 px, light and dark: axe finds nothing, nothing scrolls sideways', async () => {
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: 900 });
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme });
      await assertNoAxeViolations(page);
      await assertNoHorizontalOverflow(page, width);
    }
  }
});
