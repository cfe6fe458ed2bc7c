/**
 * Lesson 1, the library, in a real Chromium: every number it shows is the attention
 * core's (recomputed in Node for the state the page reports), the query follows the
 * mouse and the arrow keys, the soft/hard switch and the learner's own books work, the
 * state lives in the URL (a link reproduces the view; Back and Forward step through
 * it), a finger drags the query as well as a mouse, the figure exports as SVG and PNG, the exercises accept a right answer and reject
 * a wrong one, axe-core finds nothing, and a 360 px phone needs no sideways scrolling.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import createAttentionLab from '../../dist/node.mjs';
import { startBrowserSession } from './browser.mjs';
import {
  answerExercise, assertNoAxeViolations, assertNoHorizontalOverflow, downloadFrom, openLesson, pngSignature,
} from './lesson-page.mjs';

const tolerance = 1e-6;
const hardLookupTemperature = 1e-6;

let session;
let lab;
let page;

before(async () => {
  session = await startBrowserSession();
  lab = await createAttentionLab();
  page = await openLesson(session, 'library');
});

afterEach(() => session.assertNoProblems());

after(async () => {
  await session?.close();
});

/** Everything the explorer reports: its inputs and every number it shows. */
function readExplorer(target = page) {
  return target.locator('attention-explorer').evaluate((element) => ({
    q: [Number(element.dataset.qx), Number(element.dataset.qy)],
    temperature: Number(element.dataset.temperature),
    hard: element.dataset.hard === 'true',
    books: JSON.parse(element.dataset.keys),
    output: JSON.parse(element.dataset.output),
    rows: [...element.shadowRoot.querySelectorAll('tr[data-key-index]')].map((row) => ({
      title: row.querySelector('th').textContent,
      dot: Number(row.dataset.dot),
      score: Number(row.dataset.score),
      weight: Number(row.dataset.weight),
      shownDot: row.querySelector('td').textContent,
      shownWeight: row.querySelector('td:last-child').textContent.trim(),
    })),
  }));
}

function attend({ q, books }, temperature) {
  return lab.attention({
    q: Float32Array.from(q),
    k: Float32Array.from(books.flatMap((book) => book.key)),
    v: Float32Array.from(books.flatMap((book) => book.value)),
    nq: 1, nk: books.length, dk: 2, dv: 3, scaling: 'none', temperature, scores: true,
  });
}

const close = (shown, core, what) => assert.ok(Math.abs(shown - core) <= tolerance, `${what}: shown ${shown}, core ${core}`);

/** Asserts every number on the page equals the core's for the state the page reports. */
function assertMatchesCore(state) {
  const dots = attend(state, 1).scores;
  const expected = attend(state, state.hard ? hardLookupTemperature : state.temperature);
  assert.equal(state.rows.length, state.books.length);
  state.rows.forEach((row, index) => {
    assert.equal(row.title, state.books[index].title);
    close(row.dot, dots[index], `q·k of ${row.title}`);
    close(row.score, expected.scores[index], `logit of ${row.title}`);
    close(row.weight, expected.weights[index], `weight of ${row.title}`);
    assert.equal(row.shownDot, dots[index].toFixed(2));
    assert.equal(row.shownWeight, expected.weights[index].toFixed(3));
  });
  state.output.forEach((channel, index) => close(channel, expected.output[index], `output channel ${index}`));
}

const handle = () => page.locator('attention-explorer [role="slider"]');
const hashParams = async () => new URLSearchParams((await page.evaluate(() => location.hash)).slice(1));

test('the lesson renders its prose, typeset math, the widget and two exercises', async () => {
  assert.equal(await page.locator('h1').textContent(), 'The library: query, keys, values');
  assert.ok(await page.locator('.katex').count() > 5, 'math is typeset by KaTeX');
  assert.equal(await page.locator('lesson-exercise').count(), 2);
  const state = await readExplorer();
  assert.ok(state.books.length >= 6 && state.books.length <= 10, `${state.books.length} books`);
  assertMatchesCore(state);
  const resources = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name));
  assert.ok(resources.some((url) => url.includes('/vendor/katex/')), 'KaTeX came from our own server');
  for (const url of resources) assert.equal(new URL(url).hostname, '127.0.0.1', url);
});

test('dragging the query changes the weights, and the numbers stay the core’s', async () => {
  const before = await readExplorer();
  await handle().scrollIntoViewIfNeeded();
  const box = await handle().boundingBox();
  const start = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const entries = await page.evaluate(() => history.length);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(start.x - 150, start.y + 40, { steps: 6 });
  await page.mouse.up();
  const after = await readExplorer();
  assert.ok(after.q[0] < before.q[0] - 0.5, `the query moved left: ${before.q} → ${after.q}`);
  assert.ok(Math.max(...after.rows.map((row, index) => Math.abs(row.weight - before.rows[index].weight))) > 0.01);
  assertMatchesCore(after);
  assert.equal(await page.evaluate(() => history.length), entries + 1, 'one drag is one history entry');
  assert.equal((await hashParams()).get('library.q'), after.q.join(','));
});

test('arrow keys move the query; Back and Forward step through the states', async () => {
  await handle().focus();
  const start = await readExplorer();
  await page.keyboard.press('ArrowUp');
  const up = await readExplorer();
  close(up.q[1], start.q[1] + 0.1, 'qy after ArrowUp');
  assert.notDeepEqual(up.rows.map((row) => row.weight), start.rows.map((row) => row.weight));
  assertMatchesCore(up);
  await page.keyboard.press('Shift+ArrowRight');
  const right = await readExplorer();
  close(right.q[0], up.q[0] + 0.5, 'qx after Shift+ArrowRight');
  await page.goBack();
  assert.deepEqual((await readExplorer()).q, up.q, 'Back restores the previous query');
  assertMatchesCore(await readExplorer());
  await page.goForward();
  assert.deepEqual((await readExplorer()).q, right.q, 'Forward restores the later one');
});

test('the hard lookup puts all the weight on the largest dot product', async () => {
  const explorer = page.locator('attention-explorer');
  await explorer.getByRole('switch').check();
  const hard = await readExplorer();
  assert.equal(hard.hard, true);
  assertMatchesCore(hard);
  const best = hard.rows.reduce((top, row) => (row.dot > top.dot ? row : top));
  assert.equal(best.weight, 1);
  for (const row of hard.rows) if (row !== best) assert.equal(row.weight, 0);
  assert.equal((await hashParams()).get('library.hard'), '1');
  assert.equal(await explorer.getByLabel('Temperature').isDisabled(), true, 'temperature does not matter for argmax');
  await explorer.getByRole('switch').uncheck();
  assert.equal((await readExplorer()).hard, false);
});

test('a link with state reproduces the exact view', async () => {
  const hash = '#library.q=-1.5,0.4&library.T=0.35&library.hard=0'
    + '&library.books=apples:1,1:%23aa0000;pears:-1,1:%2300aa00;plums:0,-2:%230000aa';
  const shared = await openLesson(session, 'library', { hash });
  const state = await readExplorer(shared);
  assert.deepEqual(state.q, [-1.5, 0.4]);
  assert.equal(state.temperature, 0.35);
  assert.deepEqual(state.books.map((book) => book.title), ['apples', 'pears', 'plums']);
  assertMatchesCore(state);
  assert.equal(await shared.locator('attention-explorer').getByLabel('Temperature').inputValue(), '0.35');
  await shared.close();
});

test('the learner can add and remove books of their own', async () => {
  const explorer = page.locator('attention-explorer');
  await explorer.getByText('Bring your own books').click();
  const count = (await readExplorer()).books.length;
  await explorer.getByRole('textbox', { name: 'Title' }).fill('poems');
  await explorer.getByRole('spinbutton', { name: 'Key x' }).fill('-0.5');
  await explorer.getByRole('spinbutton', { name: 'Key y' }).fill('-2.5');
  await explorer.getByRole('button', { name: 'Add book' }).click();
  const added = await readExplorer();
  assert.equal(added.books.length, count + 1);
  assert.deepEqual(added.books.at(-1).key, [-0.5, -2.5]);
  assert.equal(added.rows.at(-1).title, 'poems');
  assertMatchesCore(added);
  assert.match((await hashParams()).get('library.books'), /poems:-0\.5,-2\.5:#/);
  const choices = page.locator('lesson-exercise[data-exercise-id="top-book"] input[type=radio]');
  assert.equal(await choices.count(), count + 1, 'the exercise offers the new book too');
  await explorer.getByRole('button', { name: 'Remove poems' }).click();
  assert.equal((await readExplorer()).books.length, count);
  await explorer.getByRole('spinbutton', { name: 'Key x' }).fill('9');
  await explorer.getByRole('textbox', { name: 'Title' }).fill('far');
  await explorer.getByRole('button', { name: 'Add book' }).click();
  assert.equal((await readExplorer()).books.length, count, 'a key off the plane is refused');
  assert.match(await explorer.locator('.book-message').textContent(), /Not added/);
});

test('the exercises accept a right answer and reject a wrong one', async () => {
  const { rows } = await readExplorer();
  const ranked = [...rows].sort((a, b) => b.weight - a.weight);
  assert.equal(await answerExercise(page, 'top-book', ranked.at(-1).title), 'wrong');
  assert.equal(await answerExercise(page, 'top-book', ranked[0].title), 'right');
  assert.match(await page.locator('lesson-exercise[data-exercise-id="top-book"] .explanation').textContent(), /dot product/);
  assert.equal(await answerExercise(page, 'cold-limit', 'They all become equal, 1/n each'), 'wrong');
  assert.equal(await answerExercise(page, 'cold-limit', 'All the weight goes to the book with the largest q·k'), 'right');
});

test('the figure downloads as SVG and as PNG', async () => {
  const explorer = page.locator('attention-explorer');
  const svg = await downloadFrom(page, explorer.getByRole('button', { name: /Download SVG/ }));
  assert.equal(svg.name, 'attention-library.svg');
  const text = svg.bytes.toString('utf8');
  assert.match(text, /^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(text, /<style>/);
  assert.match(text, />cats</);
  const png = await downloadFrom(page, explorer.getByRole('button', { name: /Download PNG/ }));
  assert.equal(png.name, 'attention-library.png');
  assert.deepEqual(png.bytes.subarray(0, 8), pngSignature);
  assert.ok(png.bytes.length > 2000, `${png.bytes.length} bytes`);
});

test('axe-core finds no accessibility violations', async () => {
  await page.locator('attention-explorer').getByText('Bring your own books').click();
  await assertNoAxeViolations(page);
});

test('at 360 px nothing overflows, a finger drags the query, and axe-core still finds nothing', async () => {
  const phone = await openLesson(session, 'library', { viewport: { width: 360, height: 740 } });
  await assertNoHorizontalOverflow(phone, 360);
  await phone.locator('attention-explorer').getByText('Bring your own books').click();
  await assertNoHorizontalOverflow(phone, 360);
  const point = phone.locator('attention-explorer [role="slider"]');
  await point.scrollIntoViewIfNeeded();
  const box = await point.boundingBox();
  const before = await readExplorer(phone);
  const touch = await phone.context().newCDPSession(phone);
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await touch.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  for (let step = 1; step <= 3; step += 1) {
    await touch.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: x + 10 * step, y: y + 20 * step }] });
  }
  await touch.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  const after = await readExplorer(phone);
  assert.ok(after.q[0] > before.q[0] && after.q[1] < before.q[1], `a finger moved the query: ${before.q} → ${after.q}`);
  assertMatchesCore(after);
  await assertNoAxeViolations(phone);
  await phone.close();
});
