/**
 * The landing page's live widget, `<attention-explorer>`, in a real Chromium: it shows
 * weights, answers to mouse drags and arrow keys, and shows exactly the numbers the
 * attention core computes in Node for the same query, keys and temperature.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import createAttentionLab from '../../dist/node.mjs';
import { startBrowserSession } from './browser.mjs';

const tolerance = 1e-6;

let session;
let lab;

before(async () => {
  session = await startBrowserSession();
  lab = await createAttentionLab();
});

afterEach(() => session.assertNoProblems());

after(async () => {
  await session?.close();
});

async function openExplorer() {
  const page = await session.openPage('/');
  const explorer = page.locator('attention-explorer[data-ready]');
  await explorer.waitFor();
  return { page, explorer, handle: explorer.locator('[role="slider"]') };
}

/** What the widget says it passed to the core and what it shows, read from its data attributes. */
function readExplorer(explorer) {
  return explorer.evaluate((element) => ({
    qx: Number(element.dataset.qx),
    qy: Number(element.dataset.qy),
    temperature: Number(element.dataset.temperature),
    library: JSON.parse(element.dataset.keys),
    rows: [...element.shadowRoot.querySelectorAll('tr[data-key-index]')].map((row) => ({
      index: Number(row.dataset.keyIndex),
      score: Number(row.dataset.score),
      weight: Number(row.dataset.weight),
      shownWeight: row.querySelector('td[data-column="weight"]').textContent.trim(),
    })),
  }));
}

/** The attention core's answer, computed in Node, for the state the widget reports. */
function expectedFor({ qx, qy, temperature, library }) {
  return lab.attention({
    q: Float32Array.of(qx, qy),
    k: Float32Array.from(library.flatMap((book) => book.key)),
    v: Float32Array.from(library.flatMap((book) => book.value)),
    nq: 1,
    nk: library.length,
    dk: 2,
    dv: 3,
    scaling: 'none',
    temperature,
    scores: true,
  });
}

function assertMatchesCore(state) {
  const expected = expectedFor(state);
  assert.equal(state.rows.length, state.library.length, 'one table row per key');
  state.rows.forEach((row, position) => {
    assert.equal(row.index, position);
    assert.ok(Math.abs(row.score - expected.scores[position]) <= tolerance,
      `score of key ${position}: shown ${row.score}, core ${expected.scores[position]}`);
    assert.ok(Math.abs(row.weight - expected.weights[position]) <= tolerance,
      `weight of key ${position}: shown ${row.weight}, core ${expected.weights[position]}`);
  });
}

function maxWeightChange(before, after) {
  return Math.max(...before.rows.map((row, index) => Math.abs(row.weight - after.rows[index].weight)));
}

test('the explorer renders a weights table for five or six keys', async () => {
  const { page, explorer } = await openExplorer();
  const state = await readExplorer(explorer);
  assert.ok(state.library.length >= 5 && state.library.length <= 6, `${state.library.length} keys`);
  assert.equal(state.rows.length, state.library.length);
  for (const row of state.rows) {
    assert.ok(row.weight > 0 && row.weight < 1, `weight ${row.weight} is a proper probability`);
    assert.match(row.shownWeight, /^\d\.\d{3}$/, 'the weight is shown as text');
  }
  await assert.doesNotReject(explorer.locator('svg').waitFor({ state: 'visible' }));
  assert.match(await explorer.locator('.output').textContent(), /Output: the colour rgb\(/);
  await page.close();
});

test('dragging the query with the mouse moves it and changes the weights', async () => {
  const { page, explorer, handle } = await openExplorer();
  const before = await readExplorer(explorer);
  await handle.scrollIntoViewIfNeeded();
  const box = await handle.boundingBox();
  const start = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(start.x - 160, start.y + 60, { steps: 8 });
  await page.mouse.up();
  const after = await readExplorer(explorer);
  assert.ok(after.qx < before.qx - 0.5, `qx moved left: ${before.qx} → ${after.qx}`);
  assert.ok(after.qy < before.qy - 0.2, `qy moved down: ${before.qy} → ${after.qy}`);
  assert.ok(maxWeightChange(before, after) > 0.01, 'the weights changed');
  assertMatchesCore(after);
  await page.close();
});

test('arrow keys on the focused query move it by 0.1, or 0.5 with Shift', async () => {
  const { page, explorer, handle } = await openExplorer();
  const before = await readExplorer(explorer);
  await handle.focus();
  await page.keyboard.press('ArrowRight');
  const stepped = await readExplorer(explorer);
  assert.ok(Math.abs(stepped.qx - (before.qx + 0.1)) <= tolerance, `qx ${before.qx} → ${stepped.qx}`);
  assert.equal(stepped.qy, before.qy);
  assert.ok(maxWeightChange(before, stepped) > 1e-4, 'the weights changed');
  await page.keyboard.press('Shift+ArrowDown');
  const bigStep = await readExplorer(explorer);
  assert.ok(Math.abs(bigStep.qy - (before.qy - 0.5)) <= tolerance, `qy ${before.qy} → ${bigStep.qy}`);
  assert.match(await handle.getAttribute('aria-valuetext'), new RegExp(`x ${stepped.qx.toFixed(2)}, y ${bigStep.qy.toFixed(2)}`));
  await page.close();
});

test('shown scores and weights equal the core in Node, at any query and temperature', async () => {
  const { page, explorer, handle } = await openExplorer();
  assertMatchesCore(await readExplorer(explorer));
  await handle.focus();
  await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('ArrowUp');
  assertMatchesCore(await readExplorer(explorer));
  const temperature = explorer.getByLabel('Temperature', { exact: true });
  await temperature.focus();
  await page.keyboard.press('Home');
  const cold = await readExplorer(explorer);
  assert.equal(cold.temperature, 0.1);
  assertMatchesCore(cold);
  await page.keyboard.press('End');
  const hot = await readExplorer(explorer);
  assert.ok(hot.temperature > 1, `temperature ${hot.temperature}`);
  assertMatchesCore(hot);
  assert.ok(Math.max(...cold.rows.map((row) => row.weight)) > Math.max(...hot.rows.map((row) => row.weight)),
    'a colder softmax is sharper');
  await page.close();
});

test('the weights sum to 1', async () => {
  const { page, explorer, handle } = await openExplorer();
  await handle.focus();
  for (const key of ['ArrowRight', 'ArrowLeft', 'Shift+ArrowUp', 'Shift+ArrowUp']) {
    await page.keyboard.press(key);
    const { rows } = await readExplorer(explorer);
    const total = rows.reduce((sum, row) => sum + row.weight, 0);
    assert.ok(Math.abs(total - 1) <= tolerance, `weights sum to ${total}`);
  }
  await page.close();
});
