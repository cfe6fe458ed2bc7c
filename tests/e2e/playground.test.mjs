/**
 * The attention playground (web/playground.html) in a real Chromium: every number shown
 * equals the attention core's in Node — random input, a sentence with one head per
 * relation, pasted numbers —; at n = 1024 the heatmap is a canvas whose cursor moves by
 * keyboard and whose table shows the focused row; "Download JSON" then "Import JSON" in a
 * fresh page gives back the same view and the same outputs bit for bit (and the same file,
 * byte for byte); a copied link reproduces the view; a bad paste says where it is wrong
 * and keeps the text; no console error, no foreign request, axe clean and no sideways
 * scrolling at 360 and 1280 px, light and dark.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserSession } from './browser.mjs';
import { assertNoAxeViolations, assertNoHorizontalOverflow, downloadFrom, pngSignature } from './lesson-page.mjs';
import { checkShownEqualsCore, computeInNode } from './self-attention-checks.mjs';
import { readPlaygroundDocument } from '../../web/playground/playground-json.mjs';
import { readView } from '../../web/widgets/self-attention-state.mjs';

/** Clicks a download button and resolves to the downloaded file's name and bytes. */
async function downloadFile(page, button) {
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  return { name: download.suggestedFilename(), bytes: Buffer.concat(chunks) };
}

let session;

before(async () => {
  session = await startBrowserSession();
});

afterEach(() => session.assertNoProblems());

after(async () => {
  await session?.close();
});

const widget = (page) => page.locator('self-attention#playground[data-ready]');

async function openPlayground(hash = '', viewport) {
  const page = await session.openPage(`/playground.html${hash}`, { viewport });
  await widget(page).waitFor();
  return page;
}

/** Waits until the widget's view has `values` (after a control changed it). */
async function viewHas(page, values) {
  await page.waitForFunction((wanted) => {
    const { view } = document.querySelector('#playground').snapshot;
    return Object.entries(wanted).every(([name, value]) => String(view[name]) === String(value));
  }, values);
}

test('random input: every number equals the core\'s; the settings change them as the core says', async () => {
  const page = await openPlayground();
  await checkShownEqualsCore(widget(page));
  const root = widget(page);
  await root.getByLabel('Heads').selectOption('2');
  await root.getByLabel('Scaling').selectOption('l2');
  await root.getByLabel('Mask', { exact: true }).selectOption('local');
  await root.getByLabel('Window (keys each side)').fill('1');
  await root.getByLabel('Window (keys each side)').press('Enter');
  await root.getByLabel('Temperature T').fill('0.5');
  await root.getByLabel('Temperature T').press('Enter');
  await viewHas(page, { heads: 2, scaling: 'l2', mask: 'local', window: 1, temperature: 0.5 });
  const { result } = await checkShownEqualsCore(root);
  assert.equal(result.heads, 2);
  assert.equal(result.weights[0 * 12 + 5], 0, 'a key outside the window gets no weight');
  await root.getByLabel('Heatmaps show').selectOption('scores');
  await viewHas(page, { shown: 'scores' });
  await checkShownEqualsCore(root);
  await page.close();
});

test('an attribute no parameter accepts is named on screen with what it accepts', async () => {
  const page = await openPlayground();
  const message = await page.evaluate(async () => {
    const element = document.createElement('self-attention');
    element.setAttribute('temperature', 'banana');
    element.setAttribute('mask', 'sideways');
    document.querySelector('main').append(element);
    await new Promise((resolve) => { setTimeout(resolve, 100); });
    return element.shadowRoot.querySelector('.attribute-problems').textContent;
  });
  assert.match(message, /The attribute temperature="banana" is not valid: it accepts a number from 0\.05 to 20\./);
  assert.match(message, /The attribute mask="sideways" is not valid: it accepts none, causal or local\./);
  await page.close();
});

test('a sentence with two heads: one per relation, numbers equal the core\'s', async () => {
  const page = await openPlayground('#attention.source=sentence&attention.heads=2');
  const { built, result } = await checkShownEqualsCore(widget(page));
  assert.equal(result.heads, 2);
  assert.equal(result.dk, 3);
  const it = built.labels.indexOf('it');
  const first = [...result.weights.subarray(it * 9, it * 9 + 9)];
  assert.equal(built.labels[first.indexOf(Math.max(...first))], 'cat', 'the coreference head takes "it" to "cat"');
  await page.close();
});

test('pasted numbers: plain or JSON; a bad paste says where, keeps the text, and the view keeps the last good input', async () => {
  const page = await openPlayground('#attention.source=numbers');
  const root = widget(page);
  await root.getByLabel('Q (one row per query)').fill('[[1, 0], [0, 2], [1, 1]]');
  await root.getByLabel('K (one row per key)').fill('1 0\n0 1\n-1 1');
  await root.getByLabel('V (one row per key)').fill('1 2 3\n4 5 6\n7 8 9');
  await root.getByLabel('V (one row per key)').press('Tab');
  await viewHas(page, { pq: '[[1, 0], [0, 2], [1, 1]]' });
  const good = await checkShownEqualsCore(root);
  const bad = root.getByLabel('K (one row per key)');
  await bad.fill('1 0\n0 one\n-1 1');
  await bad.press('Tab');
  const message = root.locator('[data-paste="pk"] .field-message');
  assert.match(await message.textContent(), /K, line 2, number 2: "one" is not a number/);
  assert.equal(await bad.getAttribute('aria-invalid'), 'true');
  assert.equal(await bad.inputValue(), '1 0\n0 one\n-1 1', 'the text typed is kept');
  const shownWeights = await root.locator('rect.heatmap-cell').evaluateAll((cells) => cells.map((cell) => Number(cell.dataset.value)));
  assert.deepEqual(shownWeights, [...good.result.weights], 'the heatmap still shows the last good input');
  assert.match(decodeURIComponent(page.url()), /attention\.pk=1 0\n0 one/, 'the text is in the URL too');
  const reloaded = await session.openPage(`/playground.html${new URL(page.url()).hash}`);
  const reloadedMessage = reloaded.locator('#playground [data-paste="pk"] .field-message');
  await reloadedMessage.filter({ hasText: '"one" is not a number' }).waitFor();
  assert.equal(await reloaded.locator('#playground').getByLabel('K (one row per key)').inputValue(), '1 0\n0 one\n-1 1');
  await root.getByLabel('V (one row per key)').fill('1 2 3\n4 5 6');
  await bad.fill('1 0\n0 1\n-1 1');
  await bad.press('Tab');
  assert.match(await root.locator('[data-paste="pv"] .field-message').textContent(), /K has 3 rows but V has 2: every key needs one value row/);
  await page.close();
  await reloaded.close();
});

test('n = 1024: a canvas heatmap, moved by keyboard, its table the focused row, the numbers the core\'s', async () => {
  const page = await openPlayground('#attention.n=1024&attention.dk=16&attention.dv=4');
  const root = widget(page);
  const plot = root.locator('.head-map .heatmap-plot');
  assert.equal(await root.locator('.head-map .heatmap canvas').evaluate((canvas) => [canvas.width, canvas.height].join('x')), '1024x1024');
  await plot.focus();
  for (const key of ['ArrowDown', 'ArrowDown', 'PageDown', 'ArrowRight', 'End']) await plot.press(key);
  const details = root.locator('.cell-details');
  assert.equal(await details.getAttribute('data-row'), '10');
  assert.equal(await details.getAttribute('data-col'), '1023');
  assert.match(await root.locator('.head-map .heatmap .visually-hidden[aria-live]').textContent(), /query 11, key 1024: /);
  await root.locator('.head-map .heatmap details summary', { hasText: 'as a table' }).click();
  const row = await root.locator('.head-map .heatmap-table-scroll td[data-value]').evaluateAll((cells) => cells.map((cell) => Number(cell.dataset.value)));
  const { result } = await checkShownEqualsCore(root);
  assert.deepEqual(row, [...result.weights.subarray(10 * 1024, 11 * 1024)]);
  await page.close();
});

test('a heatmap exports as SVG and PNG, drawn in SVG (12 tokens) or on a canvas (1024)', async () => {
  for (const [hash, cells] of [['', 144], ['#attention.n=1024', 0]]) {
    const page = await openPlayground(hash);
    const root = widget(page);
    const svg = await downloadFrom(page, root.locator('.head-map .heatmap').first(), 'SVG');
    assert.equal(svg.name, 'attention-weights-head-1.svg');
    const text = svg.bytes.toString('utf8');
    assert.match(text, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    if (cells) assert.equal((text.match(/class="heatmap-cell"/g) ?? []).length, cells, 'one rectangle per cell');
    else assert.match(text, /<image[^>]*href="data:image\/png;base64,/, 'the canvas, embedded as an image');
    const png = await downloadFrom(page, root.locator('.head-map .heatmap').first(), 'PNG');
    assert.equal(png.name, 'attention-weights-head-1.png');
    assert.ok(png.bytes.subarray(0, 8).equals(pngSignature), 'a PNG file');
    await page.close();
  }
});

test('Download JSON, then Import JSON in a fresh page: the same view and outputs, bit for bit', async () => {
  const hash = '#attention.n=20&attention.heads=2&attention.dk=3&attention.dv=2&attention.mask=causal&attention.temperature=0.7&attention.seed=42';
  const page = await openPlayground(hash);
  const { name, bytes } = await downloadFile(page, page.getByRole('button', { name: 'Download JSON' }));
  assert.equal(name, 'attention-playground.json');
  const file = readPlaygroundDocument(bytes.toString('utf8'));
  const { result } = await computeInNode(readView([file.view]).view);
  for (const [output, values] of Object.entries(file.outputs)) {
    assert.deepEqual(new Uint32Array(values.buffer), new Uint32Array(result[output].buffer), `${output}: the file holds the core's bits`);
  }
  assert.ok(file.outputs.scores.includes(-Infinity), 'masked scores are in the file');
  const fresh = await openPlayground();
  await fresh.locator('#import-json').setInputFiles({ name: 'attention-playground.json', mimeType: 'application/json', buffer: bytes });
  await fresh.locator('#playground[data-imported]').waitFor();
  assert.equal(await fresh.locator('#playground').getAttribute('data-imported'), 'identical');
  assert.match(await fresh.locator('#share-message').textContent(), /equal the file's, bit for bit/);
  assert.equal(await fresh.locator('#playground').getAttribute('data-imported'), 'identical');
  assert.equal(new URL(fresh.url()).hash, new URL(page.url()).hash, 'the imported view is in the address');
  const again = await downloadFile(fresh, fresh.getByRole('button', { name: 'Download JSON' }));
  assert.ok(again.bytes.equals(bytes), 'the file written again is the same, byte for byte');
  await checkShownEqualsCore(widget(fresh));
  await fresh.locator('#import-json').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "attention-lab playground", "version": 1, "view": {"n": 3}}') });
  await fresh.locator('#share-message').filter({ hasText: 'broken.json' }).waitFor();
  assert.match(await fresh.locator('#share-message').textContent(), /Could not import broken\.json: view\.n must be text, got 3\. The view is unchanged\./);
  await page.close();
  await fresh.close();
});

test('a copied link reproduces the view', async () => {
  await session.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await openPlayground();
  const root = widget(page);
  await root.getByLabel('Mask', { exact: true }).selectOption('causal');
  await root.getByLabel('Seed', { exact: true }).fill('7');
  await root.getByLabel('Seed', { exact: true }).press('Enter');
  await root.getByLabel('Query', { exact: true }).selectOption('5');
  await viewHas(page, { mask: 'causal', seed: 7, query: 6 });
  await page.getByRole('button', { name: 'Copy link' }).click();
  assert.match(await page.locator('#share-message').textContent(), /The link is copied/);
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(link, await page.locator('#link').inputValue());
  const copy = await session.openPage(new URL(link).pathname + new URL(link).hash);
  await widget(copy).waitFor();
  const [before, after] = await Promise.all([page, copy].map((target) => widget(target).evaluate((element) => {
    const { view, result } = element.snapshot;
    return { view, weights: [...result.weights], details: element.shadowRoot.querySelector('.cell-details').textContent };
  })));
  assert.deepEqual(after, before);
  await page.close();
  await copy.close();
});

for (const width of [360, 1280]) {
  for (const scheme of ['light', 'dark']) {
    test(`at ${width} px, ${scheme}: axe finds nothing, nothing scrolls sideways (small and n = 1024)`, async () => {
      for (const hash of ['', '#attention.n=1024&attention.heads=2', '#attention.source=numbers']) {
        const page = await session.openPage(`/playground.html${hash}`, { viewport: { width, height: 900 }, colorScheme: scheme });
        await widget(page).waitFor();
        await assertNoAxeViolations(page);
        await assertNoHorizontalOverflow(page, width);
        await page.close();
      }
    });
  }
}
