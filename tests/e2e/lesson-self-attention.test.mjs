/**
 * Lesson 2, self-attention on a sentence, in a real Chromium: every number the widget
 * shows (heatmap, matrices stage by stage, the walked query, the focused cell, the
 * entropies) equals the attention core's in Node; "it" attends most to "cat"; an edited
 * W_Q cell changes the map as the core says and lives in the URL (a link reproduces
 * it); an unknown word gets a row of features to set; everything works from the
 * keyboard alone (the heatmap's cells, the walk, the formula's terms linking to their
 * matrices); evidence can be held back and revealed; the exercises accept the right
 * answers; no console error, no foreign request, axe clean and no sideways scrolling at
 * 360 and 1280 px, light and dark.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserSession } from './browser.mjs';
import { answerExercise, assertNoAxeViolations, assertNoHorizontalOverflow, openLesson } from './lesson-page.mjs';
import { checkShownEqualsCore } from './self-attention-checks.mjs';

let session;

before(async () => {
  session = await startBrowserSession();
});

afterEach(() => session.assertNoProblems());

after(async () => {
  await session?.close();
});

const widget = (page, id = 'sentence') => page.locator(`self-attention#${id}[data-ready]`);

test('every number shown equals the core\'s, and "it" attends most to "cat"', async () => {
  const page = await openLesson(session, 'self-attention');
  const { result, built } = await checkShownEqualsCore(widget(page));
  assert.deepEqual(built.labels, ['the', 'cat', 'chased', 'the', 'birds', 'because', 'it', 'was', 'hungry']);
  const it = built.labels.indexOf('it');
  const weights = [...result.weights.subarray(it * 9, it * 9 + 9)];
  assert.equal(built.labels[weights.indexOf(Math.max(...weights))], 'cat');
  await checkShownEqualsCore(widget(page, 'causal'));
  await page.close();
});

test('an edited W_Q cell changes the map as the core says, and a link to it reproduces the view', async () => {
  const page = await openLesson(session, 'self-attention');
  const cell = widget(page).getByRole('textbox', { name: 'W_Q: features → query slots, row pronoun, column thing' });
  await cell.fill('0');
  await page.waitForFunction(() => location.hash.includes('sentence.wq=pronoun:thing:0'));
  const { result, built } = await checkShownEqualsCore(widget(page));
  const it = built.labels.indexOf('it');
  assert.equal(result.weights[it * 9 + 1], result.weights[it * 9 + it], '"it" now finds itself as interesting as "cat"');
  const link = page.url();
  const copy = await session.openPage(new URL(link).pathname + new URL(link).search + new URL(link).hash);
  await copy.locator('body[data-lesson-ready]').waitFor();
  await widget(copy).waitFor();
  assert.equal(await widget(copy).getByRole('textbox', { name: 'W_Q: features → query slots, row pronoun, column thing' }).inputValue(), '0');
  const shownThere = await checkShownEqualsCore(widget(copy));
  assert.deepEqual([...shownThere.result.weights], [...result.weights]);
  await page.close();
  await copy.close();
});

test('a word the vocabulary does not know gets a row of features the learner sets', async () => {
  const page = await openLesson(session, 'self-attention');
  const sentence = widget(page).getByRole('textbox', { name: 'Sentence' });
  await sentence.fill('the zorp saw it');
  await sentence.press('Enter');
  const zorpNoun = widget(page).getByRole('textbox', { name: /word zorp, feature noun/ });
  await zorpNoun.fill('1');
  await widget(page).getByRole('textbox', { name: /word zorp, feature animal/ }).fill('1');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('zorp:1:0:0:1'));
  const { built } = await checkShownEqualsCore(widget(page));
  assert.deepEqual([...built.problem.x.subarray(8, 16)], [1, 0, 0, 1, 0, 0, 0, 1 / 3].map(Math.fround));
  await sentence.fill('the cat, the zorp');
  await widget(page).getByRole('textbox', { name: /word zorp, feature verb/ }).fill('x');
  assert.match(await widget(page).locator('.unknown-words .matrix-error').textContent(), /word zorp, feature verb: "x" is not a number/);
  assert.equal(await widget(page).getByRole('textbox', { name: /word zorp, feature verb/ }).inputValue(), 'x', 'the text typed is kept');
  await page.close();
});

test('keyboard only: the heatmap\'s cells, the walk and the formula\'s terms', async () => {
  const page = await openLesson(session, 'self-attention');
  const sentenceWidget = widget(page);
  // The exercises hold the scores and weights back: reveal them from the keyboard first.
  const reveal = sentenceWidget.getByRole('button', { name: /^Show the .* now$/ });
  while (await reveal.count() > 0) {
    await reveal.first().focus();
    await page.keyboard.press('Enter');
  }
  const focused = sentenceWidget.locator('rect.heatmap-cell[tabindex="0"]');
  assert.equal(await focused.count(), 1, 'the heatmap is one tab stop');
  const start = await focused.evaluate((cell) => [Number(cell.dataset.row), Number(cell.dataset.col)]);
  assert.deepEqual(start, [6, 1], 'it starts on the walked query (it) and key (cat)');
  await sentenceWidget.locator('select').first().focus();
  let tabs = 0;
  while (!(await page.evaluate(() => document.activeElement?.id === 'sentence'
    && document.activeElement.shadowRoot.activeElement?.classList.contains('heatmap-cell'))) && tabs < 60) {
    await page.keyboard.press('Shift+Tab');
    tabs += 1;
  }
  assert.ok(tabs < 60, 'Shift+Tab reaches the heatmap');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowRight');
  const details = sentenceWidget.locator('.cell-details');
  assert.equal(await details.getAttribute('data-row'), '5');
  assert.equal(await details.getAttribute('data-col'), '2');
  assert.match(await page.url(), /sentence\.query=6&sentence\.key=3/, 'the walk follows the heatmap');
  assert.match(await sentenceWidget.locator('.walk-steps').textContent(), /"because"/);
  await checkShownEqualsCore(sentenceWidget);
  const term = sentenceWidget.getByRole('button', { name: 'Q: the queries' });
  await term.focus();
  assert.equal(await sentenceWidget.locator('.stage[data-stage="q"] .matrix').evaluate((matrix) => matrix.classList.contains('is-linked')), true,
    'focusing Q lights the Q matrix');
  await sentenceWidget.locator('.stage[data-stage="k"] .matrix-scroll').focus();
  assert.equal(await sentenceWidget.locator('.linked-formula .formula .term-k.is-lit').count() > 0, true, 'focusing K lights K in the formula');
  const firstField = sentenceWidget.locator('.stage[data-stage="wq"] input[tabindex="0"]');
  assert.equal(await sentenceWidget.locator('.stage[data-stage="wq"] input[tabindex="0"]').count(), 1, 'W_Q is one tab stop');
  await firstField.focus();
  for (const key of ['ArrowDown', 'ArrowDown']) await page.keyboard.press(key);
  await page.keyboard.press('Control+a');
  await page.keyboard.type('-1');
  await page.waitForFunction(() => location.hash.includes('sentence.wq=pronoun:thing:-1'));
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.shadowRoot.activeElement.getAttribute('aria-label')),
    'W_Q: features → query slots, row pronoun, column kind', 'the caret at the end moves to the next cell');
  await checkShownEqualsCore(sentenceWidget);
  await page.close();
});

test('held-back evidence is hidden with a note, and revealing it announces which', async () => {
  const page = await openLesson(session, 'self-attention');
  const sentenceWidget = widget(page);
  await sentenceWidget.evaluate((element) => { element.withheld = new Set(['weights', 'scores']); });
  assert.equal(await sentenceWidget.locator('.head-map').isVisible(), false);
  assert.equal(await sentenceWidget.locator('.stage[data-stage="softmax"]').isVisible(), false);
  const revealed = page.evaluate(() => new Promise((resolve) => {
    document.addEventListener('evidencereveal', (event) => resolve(event.detail.name), { once: true });
  }));
  await sentenceWidget.getByRole('button', { name: 'Show the weights and scores now' }).first().click();
  assert.equal(await revealed, 'weights');
  assert.equal(await sentenceWidget.locator('.head-map').isVisible(), true);
  await page.close();
});

test('the exercises accept the core\'s answers', async () => {
  const page = await openLesson(session, 'self-attention');
  assert.equal(await answerExercise(page, 'it-attends', 'cat'), 'right');
  assert.equal(await answerExercise(page, 'it-attends', 'birds'), 'wrong');
  assert.equal(await answerExercise(page, 'it-cat-score', '7'), 'right');
  assert.equal(await answerExercise(page, 'causal-first-row', '1'), 'right');
  assert.equal(await answerExercise(page, 'causal-first-row', '0.5'), 'wrong');
  await page.close();
});

for (const width of [360, 1280]) {
  for (const scheme of ['light', 'dark']) {
    test(`at ${width} px, ${scheme}: axe finds nothing, nothing scrolls sideways`, async () => {
      const page = await session.openPage('/lesson.html?lesson=self-attention', { viewport: { width, height: 900 }, colorScheme: scheme });
      await page.locator('body[data-lesson-ready]').waitFor();
      await widget(page).waitFor();
      await assertNoAxeViolations(page);
      await assertNoHorizontalOverflow(page, width);
      await page.close();
    });
  }
}
