/**
 * Lesson 6, multi-head attention, in a real Chromium: every number the three widgets show
 * (each head's heatmap, the combined output, the entropies of the heads and of their
 * mixture, the wide head's heatmap and each relation's retrieval) equals the attention
 * core's in Node; each head picks up the relation it is built for; the mixture's entropy
 * is never below the heads' mean; one wide head retrieves every relation worse; tied K/V
 * loses the previous-word relation and keeps the others; heads switched off, an edited
 * sentence and the tie live in the URL (a link reproduces them); everything works from
 * the keyboard; held-back evidence is revealed by answering; no console error, no
 * foreign request, axe clean and no sideways scrolling at 360 and 1280 px, light and dark.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserSession } from './browser.mjs';
import { answerExercise, assertNoAxeViolations, assertNoHorizontalOverflow, openLesson } from './lesson-page.mjs';
import { checkMultiHeadShown } from './multi-head-checks.mjs';

let session;

before(async () => {
  session = await startBrowserSession();
});

afterEach(() => session.assertNoProblems());

after(async () => {
  await session?.close();
});

const widget = (page, id) => page.locator(`multi-head#${id}[data-ready]`);
const reveal = (page) => page.evaluate(() => document.querySelectorAll('multi-head').forEach((element) => { element.withheld = []; }));
const argmax = (values) => values.indexOf(Math.max(...values));

test('every number shown equals the core\'s; each head picks up its relation; one wide head and tied K/V lose what they should', async () => {
  const page = await openLesson(session, 'multi-head');
  await reveal(page);
  const { core, words } = await checkMultiHeadShown(widget(page, 'heads'));
  assert.deepEqual(words, ['the', 'cat', 'chased', 'the', 'birds', 'because', 'it', 'was', 'hungry']);
  const n = words.length;
  const row = (h, i) => [...core.separate.weights.subarray((h * n + i) * n, (h * n + i + 1) * n)];
  for (let i = 1; i < n; i++) assert.equal(argmax(row(0, i)), i - 1, `head 1: word ${i + 1} looks at the word before it`);
  assert.equal(words[argmax(row(2, 6))], 'cat', 'head 3: "it" looks at "cat"');
  assert.ok(row(1, 1)[4] > 0.25 && row(1, 1)[6] > 0.25, 'head 2: "cat" looks at the other nouns, "birds" and "it"');
  await checkMultiHeadShown(widget(page, 'mixture'));
  const { core: compared } = await checkMultiHeadShown(widget(page, 'compare'));
  for (const [relation, { separate, wide }] of Object.entries(compared.retrieval)) {
    assert.ok(separate.mean > 0.99, `${relation}: three heads retrieve it (${separate.mean})`);
    assert.ok(wide.mean < separate.mean - 0.1, `${relation}: one wide head retrieves it worse (${wide.mean})`);
  }
  assert.equal(compared.retrieval.previous.tied.mean, 0, 'tied, the previous word\'s kind is lost');
  assert.equal(compared.retrieval.antecedent.tied.mean, compared.retrieval.antecedent.separate.mean, 'tied, the pronoun still finds its noun');
  await page.close();
});

test('keyboard only: heads off, the tie, an edited sentence; the URL keeps them and a link reproduces the view', async () => {
  const page = await openLesson(session, 'multi-head');
  await reveal(page);
  const compare = widget(page, 'compare');
  const headThree = compare.getByRole('checkbox', { name: 'Head 3: pronoun → noun' });
  await headThree.focus();
  await page.keyboard.press('Space');
  await page.waitForFunction(() => location.hash.includes('compare.heads=1%2C2') || location.hash.includes('compare.heads=1,2'));
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.shadowRoot.activeElement.closest('label').textContent), 'Tie values to keys: V = K (W_V = W_K)');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => location.hash.includes('compare.tie=true'));
  const { core: off } = await checkMultiHeadShown(widget(page, 'compare'));
  assert.equal(off.retrieval.antecedent.separate.mean, 0, 'head 3 off: nothing retrieves the noun');
  const { shown } = await checkMultiHeadShown(widget(page, 'compare'));
  for (let i = 0; i < 9; i++) assert.deepEqual(shown.output.slice(i * 12 + 8, i * 12 + 12), [0, 0, 0, 0], 'head 3 off adds zeros');

  const sentence = compare.getByRole('textbox', { name: 'Sentence' });
  await sentence.focus();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('the zorp saw it');
  await page.keyboard.press('Enter');
  assert.match(await compare.locator('.field-message').textContent(), /Not in the vocabulary: zorp/);
  assert.equal(await sentence.inputValue(), 'the zorp saw it', 'the text typed is kept');
  await page.keyboard.press('Control+a');
  await page.keyboard.type('the girls saw the dog and they ran');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('compare.sentence=the girls saw the dog and they ran'));
  const { core: girls, words } = await checkMultiHeadShown(widget(page, 'compare'));
  assert.deepEqual([...girls.retrieval.antecedent.targets], [-1, -1, -1, -1, -1, -1, 1, -1], '"they" stands for "girls", not the nearer "dog"');
  assert.equal(words.length, 8);

  const heads = widget(page, 'heads');
  await heads.getByText('The words the vocabulary knows').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.shadowRoot.activeElement.getAttribute('aria-label')), 'Add the');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('heads.sentence=the cat chased the birds because it was hungry the'));
  await checkMultiHeadShown(widget(page, 'heads'));
  const cell = heads.locator('.head-map[data-head="3"] rect.heatmap-cell[tabindex="0"]');
  await cell.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  assert.match(await heads.locator('section.heads .cell-details').textContent(), /^Head 3 \(pronoun → noun\): word 2 "cat" gives word 2 "cat" the weight/);

  const link = new URL(page.url());
  const copy = await session.openPage(link.pathname + link.search + link.hash);
  await copy.locator('body[data-lesson-ready]').waitFor();
  const again = widget(copy, 'compare');
  await again.waitFor();
  assert.deepEqual(await again.evaluate((element) => ({ ...element.dataset })),
    { ready: '', sentence: 'the girls saw the dog and they ran', heads: '1,2', tie: 'true' });
  assert.equal(await again.getByRole('checkbox', { name: 'Head 3: pronoun → noun' }).isChecked(), false);
  await copy.evaluate(() => document.querySelectorAll('multi-head').forEach((element) => { element.withheld = []; }));
  await checkMultiHeadShown(again);
  await page.close();
  await copy.close();
});

test('held-back evidence: hidden with a note until the exercise is answered; the exercises accept the core\'s answers', async () => {
  const page = await openLesson(session, 'multi-head');
  const heads = widget(page, 'heads');
  assert.equal(await heads.locator('.head-maps').isVisible(), false, 'the heatmaps are held back');
  assert.equal(await heads.locator('.withheld').first().isVisible(), true);
  assert.equal(await answerExercise(page, 'which-head', 'same kind'), 'wrong');
  assert.equal(await heads.locator('.head-maps').isVisible(), true, 'an answer reveals the heatmaps');
  assert.equal(await answerExercise(page, 'which-head', 'previous word'), 'right');
  const mixture = widget(page, 'mixture');
  assert.equal(await mixture.locator('.entropy-table').isVisible(), false);
  assert.equal(await answerExercise(page, 'mixture-entropy', 'above the mean'), 'right');
  assert.equal(await mixture.locator('.entropy-table').isVisible(), true);
  const compare = widget(page, 'compare');
  assert.equal(await compare.locator('.retrieval-table').isVisible(), false);
  const revealed = page.evaluate(() => new Promise((resolve) => {
    document.addEventListener('evidencereveal', (event) => resolve(event.detail.name), { once: true });
  }));
  await compare.getByRole('button', { name: /^Show it now/ }).click();
  assert.equal(await revealed, 'retrieval');
  assert.equal(await compare.locator('.retrieval-table').isVisible(), true);
  assert.equal(await answerExercise(page, 'tied-previous', '0'), 'right');
  assert.equal(await answerExercise(page, 'tied-previous', '1'), 'wrong');
  await page.close();
});

for (const width of [360, 1280]) {
  test(`at ${width} px, light then dark: axe finds nothing, nothing scrolls sideways`, async () => {
    const page = await session.openPage('/lesson.html?lesson=multi-head', { viewport: { width, height: 900 }, colorScheme: 'light' });
    await page.locator('body[data-lesson-ready]').waitFor();
    await widget(page, 'compare').waitFor();
    await reveal(page);
    await assertNoAxeViolations(page);
    await assertNoHorizontalOverflow(page, width);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForFunction(() => matchMedia('(prefers-color-scheme: dark)').matches);
    await assertNoAxeViolations(page);
    await page.close();
  });
}
