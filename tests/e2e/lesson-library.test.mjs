/**
 * Lesson 1, the library, in a real Chromium: every number it shows is the attention
 * core's (recomputed in Node for the state the page reports), the chain of numbers of
 * one book leads from q·k to the output, the blend is shown as contributions α_j v_j,
 * the query follows the mouse and the arrow keys, the hard lookup is a true argmax with
 * its tie rule, the learner's own books work (duplicate titles refused, distinct
 * colours), labels never overlap, the state lives in the URL (a link reproduces the
 * view; Back and Forward step through it), a finger drags the query as well as a mouse,
 * the figure exports as SVG and PNG from its menu, the scores and weights are held back
 * until the first exercise is answered, the exercises accept a right answer and reject a
 * wrong one, axe-core finds nothing, and a 360 px phone needs no sideways scrolling.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import createAttentionLab from '../../dist/node.mjs';
import { startBrowserSession } from './browser.mjs';
import {
  answerExercise, assertNoAxeViolations, assertNoHorizontalOverflow, downloadFrom, openLesson, pngSignature,
} from './lesson-page.mjs';

const tolerance = 1e-6;

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
      shownDot: row.querySelector('td[data-column="dot"]').textContent,
      shownWeight: row.querySelector('td[data-column="weight"]').textContent.trim(),
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

/** The hard lookup from the core's q·k: all weight on the largest, a tie going to the book listed first. */
function hardLookup(state) {
  const dots = attend(state, 1).scores;
  const winner = dots.indexOf(Math.max(...dots));
  return { scores: dots, weights: dots.map((_, index) => (index === winner ? 1 : 0)), output: state.books[winner].value, winner };
}

/** Asserts every number on the page equals the core's for the state the page reports. */
function assertMatchesCore(state) {
  const dots = attend(state, 1).scores;
  const expected = state.hard ? hardLookup(state) : attend(state, state.temperature);
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

/** The chain of numbers the page shows: step name → value. */
const readChain = (target = page) => target.locator('attention-explorer').evaluate((element) => Object.fromEntries(
  [...element.shadowRoot.querySelectorAll('.chain-steps li')].map((step) => [step.dataset.step, step.dataset.value])));

/** The label boxes of the plane (arrow labels and the query's), and the query dot's box, in screen pixels. */
const readLabelBoxes = (target = page) => target.locator('attention-explorer').evaluate((element) => {
  const box = (node) => {
    const { x, y, width, height } = node.getBoundingClientRect();
    return { x, y, width, height, text: node.textContent };
  };
  const root = element.shadowRoot;
  return {
    labels: [...root.querySelectorAll('.arrow-label, .point-label')].map(box),
    dot: box(root.querySelector('.point-dot')),
  };
});

const overlapArea = (a, b) => Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x))
  * Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));

function assertNoLabelOverlap({ labels, dot }, where) {
  for (const [index, label] of labels.entries()) {
    for (const other of labels.slice(index + 1)) {
      assert.ok(overlapArea(label, other) < 1, `${where}: "${label.text}" overlaps "${other.text}"`);
    }
    if (label.text !== 'query') assert.ok(overlapArea(label, dot) < 1, `${where}: "${label.text}" covers the query`);
  }
}

const handle = () => page.locator('attention-explorer [role="slider"]');
const hashParams = async () => new URLSearchParams((await page.evaluate(() => location.hash)).slice(1));

test('the scores and weights are held back until the first exercise is answered, or revealed on purpose', async () => {
  const explorer = page.locator('attention-explorer');
  const weightColumn = explorer.locator('th[data-column="weight"]');
  assert.equal(await weightColumn.isVisible(), false, 'the weight column is hidden');
  assert.equal(await explorer.locator('th[data-column="dot"]').isVisible(), false, 'so is q·k');
  assert.equal(await explorer.locator('.blend').isVisible(), false, 'and the blend');
  assert.equal(await explorer.locator('.chain-steps').isVisible(), false, 'and the chain');
  assert.match(await page.locator('lesson-exercise[data-exercise-id="top-book"] .withholds').textContent(), /holds back the dot products/);
  const placeholder = explorer.locator('.withheld[data-withheld="scores weights"]');
  assert.equal(await placeholder.isVisible(), true);
  assert.match(await placeholder.textContent(), /Held back until you answer the exercise about it: the dot products q·k and the weights/);
  assert.doesNotMatch(await explorer.locator('select#follow').textContent(), /now/, 'the menu does not name the top book');
  await page.evaluate(() => {
    window.revealed = [];
    document.addEventListener('evidencereveal', (event) => window.revealed.push({ name: event.detail.name, composed: event.composed }));
  });
  await placeholder.getByRole('button', { name: /^Show it now: the dot products q·k and the weights/ }).click();
  assert.deepEqual(await page.evaluate(() => window.revealed), [{ name: 'scores', composed: true }, { name: 'weights', composed: true }]);
  assert.equal(await weightColumn.isVisible(), true, 'revealed on purpose');
  assert.equal(await placeholder.isVisible(), false);
  assert.match(await explorer.locator('select#follow').textContent(), /the top book \(now /);
  await page.reload();
  await page.locator('attention-explorer[data-ready]').waitFor();
  assert.equal(await weightColumn.isVisible(), false, 'a fresh page holds it back again');
  assert.equal(await explorer.locator('th[data-column="dot"]').isVisible(), false);
  const { rows } = await readExplorer();
  const wrong = [...rows].sort((a, b) => a.weight - b.weight)[0].title;
  assert.equal(await answerExercise(page, 'top-book', wrong), 'wrong');
  for (const column of ['weight', 'dot']) assert.equal(await explorer.locator(`th[data-column="${column}"]`).isVisible(), true, column);
  assert.equal(await explorer.locator('.chain-steps').isVisible(), true, 'an answer, right or wrong, shows the evidence');
});

test('the lesson renders its prose, typeset math, the widget and three exercises', async () => {
  assert.equal(await page.locator('h1').textContent(), 'The library: query, keys, values');
  assert.ok(await page.locator('.katex').count() > 5, 'math is typeset by KaTeX');
  assert.equal(await page.locator('lesson-exercise').count(), 3);
  assert.equal(await page.locator('.lesson-body ol > li').count() >= 3, true, 'an ordered list');
  assert.equal(await page.locator('.footnotes li').count(), 1, 'a footnote');
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

test('the hard lookup is a true argmax of the core’s q·k', async () => {
  const explorer = page.locator('attention-explorer');
  await explorer.getByRole('switch').check();
  const hard = await readExplorer();
  assert.equal(hard.hard, true);
  assertMatchesCore(hard);
  const best = hard.rows.reduce((top, row) => (row.dot > top.dot ? row : top));
  assert.equal(best.weight, 1);
  for (const row of hard.rows) if (row !== best) assert.equal(row.weight, 0);
  assert.deepEqual(hard.output, hard.books[hard.rows.indexOf(best)].value.map((channel) => Math.fround(channel)));
  assert.equal((await hashParams()).get('library.hard'), '1');
  assert.equal(await explorer.getByLabel('Temperature', { exact: true }).isDisabled(), true, 'temperature does not matter for argmax');
  assert.match(await explorer.locator('.lookup').textContent(), /a tie goes to the book listed first/);
  const chain = await readChain();
  assert.equal(chain.winner, best.title);
  assert.equal(Number(chain.weight), 1);
  await explorer.getByRole('switch').uncheck();
  assert.equal((await readExplorer()).hard, false);
});

test('a tie in the hard lookup goes to the book listed first, as the page says', async () => {
  const hash = '#library.q=1,0&library.T=1&library.hard=1&library.books=late:0,1:%23aa0000;first:1,0:%2300aa00;second:1,0:%230000aa';
  const tied = await openLesson(session, 'library', { hash });
  const state = await readExplorer(tied);
  assert.equal(state.rows[1].dot, state.rows[2].dot, 'two books tie');
  assert.deepEqual(state.rows.map((row) => row.weight), [0, 1, 0]);
  assertMatchesCore(state);
  await tied.close();
});

test('the chain of numbers leads one book from q·k through ÷T, exp and ÷Σexp to the output', async () => {
  const state = await readExplorer();
  const explorer = page.locator('attention-explorer');
  const follow = explorer.getByLabel('Follow one book through the numbers:');
  for (const [index, book] of state.books.entries()) {
    await follow.selectOption(book.title);
    const chain = await readChain();
    const { scores, weights, output } = attend(state, state.temperature);
    const exps = Array.from(scores, Math.exp);
    const sum = exps.reduce((total, value) => total + value, 0);
    close(Number(chain.dot), attend(state, 1).scores[index], 'q·k');
    close(Number(chain.scaled), scores[index], 'q·k / T');
    assert.ok(Math.abs(Number(chain.exp) / exps[index] - 1) < 1e-6, 'exp');
    close(Number(chain.weight), weights[index], 'the weight');
    close(exps[index] / sum, weights[index], 'exp ÷ Σ exp is the weight the core computed');
    JSON.parse(chain.contribution).forEach((channel, at) => close(channel, weights[index] * book.value[at], 'α × value'));
    JSON.parse(chain.output).forEach((channel, at) => close(channel, output[at], 'the output'));
  }
  assert.equal((await hashParams()).get('library.follow'), state.books.at(-1).title, 'the followed book is in the link');
  await follow.selectOption('');
  const segments = await explorer.locator('.stacked-bar .segment').evaluateAll((nodes) => nodes.map((node) => node.style.width));
  const { weights } = attend(state, state.temperature);
  segments.forEach((width, index) => assert.ok(Math.abs(parseFloat(width) - 100 * weights[index]) < 0.01, `segment ${index}`));
});

test('labels overlap neither one another nor the query, wherever the query goes', async () => {
  assertNoLabelOverlap(await readLabelBoxes(), 'default shelf');
  const explorer = page.locator('attention-explorer');
  const state = await readExplorer();
  for (const book of state.books) {
    const hash = `#library.q=${book.key.map((value) => Math.max(-3, Math.min(3, value * 1.12)).toFixed(2)).join(',')}`;
    await page.evaluate((next) => { location.hash = next; }, hash);
    await explorer.locator('[role="slider"]').waitFor();
    assertNoLabelOverlap(await readLabelBoxes(), `query on ${book.title}'s label`);
  }
  const crowded = await openLesson(session, 'library', {
    hash: '#library.q=0.3,0.3&library.books=alpha:1,1:%23aa0000;beta:1.1,1:%2300aa00;gamma:1,1.1:%230000aa;delta:0.9,1:%23aaaa00;'
      + 'epsilon:1,0.9:%2300aaaa;zeta:-1,1:%23aa00aa;eta:-1.1,1:%23555555;theta:0.2,0.2:%23884400',
  });
  assertNoLabelOverlap(await readLabelBoxes(crowded), 'a crowded shelf');
  await crowded.close();
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
  assert.equal(await shared.locator('attention-explorer').getByLabel('Temperature', { exact: true }).inputValue(), '0.35');
  await shared.close();
});

test('the learner can add and remove books of their own, with titles of their own and distinct colours', async () => {
  const explorer = page.locator('attention-explorer');
  await explorer.getByText('Bring your own books').click();
  const count = (await readExplorer()).books.length;
  await explorer.getByRole('textbox', { name: 'Title' }).fill('Cats');
  await explorer.getByRole('button', { name: 'Add book' }).click();
  assert.equal((await readExplorer()).books.length, count, 'a title the shelf has is refused');
  assert.match(await explorer.locator('.book-message').textContent(), /Not added: there is already a book called "Cats"/);
  const suggested = await explorer.locator('input[name=colour]').inputValue();
  const used = (await readExplorer()).books.map((book) => book.value);
  const distance = (hex, rgb) => Math.hypot(...[1, 3, 5].map((at, channel) => parseInt(hex.slice(at, at + 2), 16) - 255 * rgb[channel]));
  for (const value of used) assert.ok(distance(suggested, value) > 60, `the new book's colour ${suggested} differs from the shelf's`);
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
  assert.equal(await answerExercise(page, 'length-and-temperature', 'They are the same'), 'right');
});

test('doubling the query gives the weights of halving the temperature, as the length exercise says', async () => {
  const pages = [await openLesson(session, 'library', { hash: '#library.q=2,2&library.T=1' }),
    await openLesson(session, 'library', { hash: '#library.q=1,1&library.T=0.5' })];
  const [far, cold] = await Promise.all(pages.map((target) => readExplorer(target)));
  far.rows.forEach((row, index) => close(row.weight, cold.rows[index].weight, `weight of ${row.title}`));
  await Promise.all(pages.map((target) => target.close()));
});

test('the figure downloads as SVG and as PNG', async () => {
  const explorer = page.locator('attention-explorer');
  const svg = await downloadFrom(page, explorer, 'SVG');
  assert.equal(await explorer.locator('details.figure-export').count(), 1, 'one download menu');
  assert.equal(svg.name, 'attention-library.svg');
  const text = svg.bytes.toString('utf8');
  assert.match(text, /^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(text, /<style>/);
  assert.match(text, />cats</);
  const png = await downloadFrom(page, explorer, 'PNG');
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
