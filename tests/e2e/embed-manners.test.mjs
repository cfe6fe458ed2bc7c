/**
 * How the embedded elements behave on someone else's page, in a real Chromium:
 * - every check of an exercise fires `attention-lab:exercise`, which leaves the
 *   embedded lesson's shadow root (bubbling, composed) with { lesson, exercise, verdict,
 *   given, expected };
 * - a verdict whose live answer changes after the check says it is out of date;
 * - an embedded lesson takes its heading level from `heading-level` and adds no h1;
 * - the host page's inherited styles (font size and family, letter spacing, direction)
 *   stop at the element;
 * - a bad attribute value, or an attribute the widget does not take, is named in a
 *   visible message that says what it accepts, and the widget still works;
 * - in a frame sandboxed to scripts only (no storage, no form submission), a lesson
 *   still checks answers and takes new books.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserSession } from './browser.mjs';
import { buildWith } from './web-builds.mjs';
import { writeHostPages } from './host-pages.mjs';

const hostile = `
  html { font-size: 24px; letter-spacing: 0.3em; word-spacing: 1em; direction: rtl; text-transform: uppercase; }
  * { font-family: "Comic Sans MS", cursive !important; line-height: 3; }
  attention-lesson, attention-widget { font-style: italic; }`;

const fixtures = {
  'event.html': '<attention-lesson name="library" heading-level="3"></attention-lesson>',
  'headings.html': `<h1>Course</h1><attention-lesson id="default" name="library"></attention-lesson>
    <attention-lesson id="four" name="scaling" heading-level="4"></attention-lesson>
    <attention-lesson id="bad" name="library" heading-level="nine"></attention-lesson>`,
  'inherited.html': `<style>${hostile}</style><p dir="rtl">Host text</p>
    <attention-lesson name="library"></attention-lesson>
    <attention-widget type="attention-explorer"></attention-widget>`,
  'bad-values.html': `<attention-widget id="banana" type="attention-explorer" temperature="banana" query="9,9" books="nonsense"></attention-widget>
    <attention-widget id="typo" type="attention-explorer" temprature="0.5" hard="yes"></attention-widget>
    <attention-widget id="dk" type="scaling-experiment" dk="3" samples="10" row="l3"></attention-widget>`,
  'sandboxed-lesson.html': '<iframe sandbox="allow-scripts" src="event.html" title="embedded lesson" width="900" height="900"></iframe>',
};

let session;
let hosts;

before(async () => {
  await buildWith('build-web.mjs');
  hosts = await writeHostPages(fixtures);
  session = await startBrowserSession({ mounts: { '/fixtures/': hosts.folder } });
});

afterEach(() => session.assertNoProblems());

after(async () => {
  await session?.close();
  await hosts?.remove();
});

/** Picks `choice` (its value) in exercise `id` inside `scope` and checks it. */
async function answerChoice(scope, id, choice) {
  const exercise = scope.locator(`lesson-exercise[data-exercise-id="${id}"]`);
  await exercise.locator('input[type=radio]').evaluateAll((radios, wanted) => radios.find((radio) => radio.value === wanted).click(), choice);
  await exercise.getByRole('button', { name: 'Check' }).click();
  return exercise;
}

test('every check fires attention-lab:exercise, which leaves the embedded lesson', async () => {
  const page = await session.openPage('/fixtures/event.html');
  const lesson = page.locator('attention-lesson[data-ready]');
  await lesson.waitFor();
  await page.evaluate(() => {
    window.received = [];
    document.addEventListener('attention-lab:exercise', (event) => {
      window.received.push({ detail: event.detail, bubbles: event.bubbles, composed: event.composed, target: event.target.localName });
    });
  });
  const titles = await lesson.locator('attention-explorer').evaluate((element) => element.quantities.titles);
  const top = await lesson.locator('attention-explorer').evaluate((element) => element.quantities.topBook);
  const wrong = titles.find((title) => title !== top);
  await answerChoice(lesson, 'top-book', wrong);
  await answerChoice(lesson, 'top-book', top);
  await answerChoice(lesson, 'cold-limit', 'They all become equal, 1/n each');
  const received = await page.evaluate(() => window.received);
  assert.deepEqual(received, [
    { detail: { lesson: 'library', exercise: 'top-book', verdict: 'wrong', given: wrong, expected: top }, bubbles: true, composed: true, target: 'attention-lesson' },
    { detail: { lesson: 'library', exercise: 'top-book', verdict: 'right', given: top, expected: top }, bubbles: true, composed: true, target: 'attention-lesson' },
    { detail: { lesson: 'library', exercise: 'cold-limit', verdict: 'wrong', given: 'They all become equal, 1/n each', expected: 'All the weight goes to the book with the largest q·k' },
      bubbles: true, composed: true, target: 'attention-lesson' },
  ]);
  await page.evaluate(() => localStorage.clear());
  await page.close();
});

test('a verdict whose answer changes after the check says it is out of date, until the learner checks again', async () => {
  const page = await session.openPage('/fixtures/event.html');
  const lesson = page.locator('attention-lesson[data-ready]');
  await lesson.waitFor();
  const explorer = lesson.locator('attention-explorer');
  const top = await explorer.evaluate((element) => element.quantities.topBook);
  const exercise = await answerChoice(lesson, 'top-book', top);
  assert.equal(await exercise.getAttribute('data-verdict'), 'right');
  assert.equal(await exercise.getAttribute('data-stale'), null);
  await explorer.locator('[role="slider"]').focus();
  for (let step = 0; step < 8; step += 1) await page.keyboard.press('Shift+ArrowLeft');
  const now = await explorer.evaluate((element) => element.quantities.topBook);
  assert.notEqual(now, top, 'the query moved to another book');
  assert.equal(await exercise.getAttribute('data-stale'), '');
  assert.match(await exercise.locator('.stale').textContent(), new RegExp(`out of date: .*the answer is now ${now}\\. Check again`));
  await answerChoice(lesson, 'top-book', now);
  assert.equal(await exercise.getAttribute('data-stale'), null, 'checking again clears it');
  assert.equal(await exercise.locator('.stale').count(), 0);
  assert.equal(await exercise.getAttribute('data-verdict'), 'right');
  await page.evaluate(() => localStorage.clear());
  await page.close();
});

test('an embedded lesson takes its heading level from heading-level and adds no h1 of its own', async () => {
  const page = await session.openPage('/fixtures/headings.html');
  for (const id of ['default', 'four', 'bad']) await page.locator(`attention-lesson#${id}[data-ready]`).waitFor();
  const levels = (id) => page.locator(`attention-lesson#${id}`).evaluate((lesson) =>
    [...lesson.shadowRoot.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((heading) => Number(heading.localName[1])));
  const byDefault = await levels('default');
  assert.equal(byDefault[0], 2, 'the title is an h2 by default');
  assert.ok(!byDefault.includes(1), 'no h1');
  assert.ok(byDefault.slice(1).every((level) => level >= 3), 'sections and exercises below it');
  const four = await levels('four');
  assert.equal(four[0], 4);
  assert.ok(four.slice(1).every((level) => level >= 5 && level <= 6));
  assert.equal(await page.locator('h1').count(), 1, 'the host page keeps the only h1');
  const message = page.locator('attention-lesson#bad .parameter-message:visible');
  assert.equal(await message.isVisible(), true);
  assert.match(await message.textContent(), /heading-level="nine" is not used: heading-level takes a whole number from 1 to 6/);
  assert.equal((await levels('bad'))[0], 2, 'and the default applies');
  await page.close();
});

test('the host page’s inherited styles stop at the element', async () => {
  const page = await session.openPage('/fixtures/inherited.html');
  await page.locator('attention-lesson[data-ready]').waitFor();
  await page.locator('attention-widget[data-ready]').waitFor();
  const styleOf = (host, selector) => page.locator(host).evaluate((element, inner) => {
    const find = (root) => root.querySelector(inner) ?? [...root.querySelectorAll('*')].map((node) => node.shadowRoot && find(node.shadowRoot)).find(Boolean);
    const target = find(element.shadowRoot);
    const style = getComputedStyle(target);
    return {
      fontSize: style.fontSize, letterSpacing: style.letterSpacing, wordSpacing: style.wordSpacing, direction: style.direction,
      textTransform: style.textTransform, fontStyle: style.fontStyle, comic: /comic/i.test(style.fontFamily),
    };
  }, selector);
  const expected = { fontSize: '16px', letterSpacing: 'normal', wordSpacing: '0px', direction: 'ltr', textTransform: 'none', fontStyle: 'normal', comic: false };
  assert.deepEqual(await styleOf('attention-lesson', '.lesson-body > p'), expected, 'lesson prose');
  assert.deepEqual(await styleOf('attention-lesson', '.hint'), expected, 'a widget inside the lesson');
  assert.deepEqual(await styleOf('attention-widget', '.hint'), expected, 'an embedded widget');
  assert.deepEqual(await styleOf('attention-widget', 'td'), expected, 'a table cell');
  await page.close();
});

test('a bad attribute value is named in a visible message that says what it accepts; the widget still works', async () => {
  const page = await session.openPage('/fixtures/bad-values.html');
  for (const id of ['banana', 'typo', 'dk']) await page.locator(`attention-widget#${id}[data-ready]`).waitFor();
  const message = (id) => page.locator(`attention-widget#${id}`).locator('.parameter-message:visible').allTextContents();
  const banana = (await message('banana')).join(' ');
  assert.match(banana, /temperature="banana" is not used: temperature takes a number from 0\.1 to 4\. The default applies\./);
  assert.match(banana, /query="9,9" is not used: query takes a point x,y with x and y from -3 to 3/);
  assert.match(banana, /books="nonsense" is not used: books takes a shelf of 1 to 10 books/);
  const explorer = page.locator('attention-widget#banana attention-explorer');
  assert.equal(await explorer.getAttribute('data-temperature'), '1', 'the default temperature, not a silent 1 from "banana"');
  assert.deepEqual([await explorer.getAttribute('data-qx'), await explorer.getAttribute('data-qy')], ['1', '1']);
  const typo = (await message('typo')).join(' ');
  assert.match(typo, /The attribute "temprature" is not used: attention-explorer has no such parameter; its parameters are books, query, temperature, hard, follow\./);
  assert.match(typo, /hard="yes" is not used: hard takes "true" \(the hard lookup, an argmax\) or "false"/);
  const dk = (await message('dk')).join(' ');
  assert.match(dk, /dk="3" is not used: dk takes a power of two from 1 to 1024/);
  assert.match(dk, /samples="10" is not used: samples takes a whole number from 1000 to 100000/);
  assert.match(dk, /row="l3" is not used: row takes "none", "sqrt" or "l2"/);
  assert.equal(await page.locator('attention-widget#dk scaling-experiment').getAttribute('data-dk'), '64');
  assert.equal(await page.locator('attention-widget#dk').locator('[role="alert"]:visible').count() >= 1, true, 'announced');
  await page.close();
});

test('with no storage (a frame sandboxed to scripts only), a lesson still checks answers', async () => {
  const page = await session.openPage('/fixtures/sandboxed-lesson.html');
  const frame = page.frameLocator('iframe');
  const lesson = frame.locator('attention-lesson[data-ready]');
  await lesson.waitFor();
  assert.equal(await frame.locator('body').evaluate(() => {
    try {
      return typeof window.localStorage;
    } catch (error) {
      return error.name;
    }
  }), 'SecurityError', 'the frame has no storage');
  const exercise = await answerChoice(lesson, 'cold-limit', 'All the weight goes to the book with the largest q·k');
  assert.equal(await exercise.getAttribute('data-verdict'), 'right', 'no form submission, which the sandbox would block');
  const explorer = lesson.locator('attention-explorer');
  await explorer.getByText('Bring your own books').click();
  await explorer.getByRole('textbox', { name: 'Title' }).fill('poems');
  await explorer.getByRole('textbox', { name: 'Title' }).press('Enter');
  assert.equal(JSON.parse(await explorer.getAttribute('data-keys')).at(-1).title, 'poems', 'a book is added by Enter too');
  await page.close();
});
