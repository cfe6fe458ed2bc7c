/**
 * Embedding, in a real Chromium: the example course page shows its two lessons and its
 * widget; two embedded explorers on one page keep their own state and leave the page's
 * URL alone; the host page's custom properties theme what is inside the shadow roots;
 * `hide` hides a control, in a widget or in every widget of a lesson; with `sync-url` a
 * link sets a widget's state but not what its attributes fix; and an embed works inside
 * `<iframe sandbox="allow-scripts">`
 * (an opaque origin). Every test fails on a console error or a request off 127.0.0.1.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserSession } from './browser.mjs';
import { buildWith } from './web-builds.mjs';
import { writeHostPages } from './host-pages.mjs';

/** Host pages for the tests, served under /fixtures/; each loads the embed script with one tag. */
const fixtures = {
  'two-explorers.html': `
    <attention-widget id="first" type="attention-explorer" style="--attention-lab-accent: rgb(200, 30, 40)"></attention-widget>
    <attention-widget id="second" type="attention-explorer" query="-1,2" hide="temperature"></attention-widget>`,
  'widget.html': '<attention-widget type="attention-explorer" temperature="0.5"></attention-widget>',
  'synced.html': '<attention-widget id="w" type="attention-explorer" temperature="0.5" sync-url></attention-widget>',
  'lesson-hide.html': '<attention-lesson name="library" hide="temperature,books"></attention-lesson>',
  'sandboxed.html': '<iframe sandbox="allow-scripts" src="widget.html" title="embedded widget" width="900" height="700"></iframe>',
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

/** The weights an embedded explorer shows, in key order. */
const weightsOf = (widget) => widget.locator('tr[data-weight]').evaluateAll((rows) => rows.map((row) => Number(row.dataset.weight)));

test('the course page shows both lessons, with math and live widgets, and the themed widget', async () => {
  const page = await session.openPage('/examples/course-page.html');
  for (const name of ['library', 'scaling']) {
    const lesson = page.locator(`attention-lesson[name="${name}"]`);
    await lesson.and(page.locator('[data-ready]')).waitFor();
    assert.ok(await lesson.locator('.katex').count() > 0, `${name}: math is typeset inside the shadow root`);
    assert.ok(await lesson.locator('lesson-exercise').count() > 0, `${name}: exercises are shown`);
  }
  const scalingVariance = await page.locator('attention-lesson[name="scaling"] [data-variance]').first().getAttribute('data-variance');
  assert.ok(Number(scalingVariance) > 0, 'the scaling lesson shows measured variances');
  const widget = page.locator('attention-widget[data-ready]');
  await widget.waitFor();
  const weights = await weightsOf(widget);
  assert.ok(Math.abs(weights.reduce((sum, weight) => sum + weight, 0) - 1) < 1e-5, 'the widget shows softmax weights');
  assert.equal(await widget.locator('attention-explorer').getAttribute('data-temperature'), '0.5', 'the fixed temperature holds');
  assert.equal(await widget.locator('#temperature').isVisible(), false, 'the hidden temperature control is hidden');
  assert.equal(await page.evaluate(() => location.hash), '', 'the embeds leave the page URL alone');
});

test('two explorers on one page do not interfere, and hide only what each is told to', async () => {
  const page = await session.openPage('/fixtures/two-explorers.html');
  const first = page.locator('attention-widget#first[data-ready]');
  const second = page.locator('attention-widget#second[data-ready]');
  await first.waitFor();
  await second.waitFor();
  const secondBefore = await weightsOf(second);
  const firstBefore = await weightsOf(first);
  await first.locator('[role="slider"]').focus();
  await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('Shift+ArrowLeft');
  assert.notDeepEqual(await weightsOf(first), firstBefore, 'moving the first query changes the first weights');
  assert.deepEqual(await weightsOf(second), secondBefore, 'the second explorer is unchanged');
  assert.equal(await second.locator('attention-explorer').getAttribute('data-qx'), '-1');
  assert.equal(await page.evaluate(() => location.hash), '', 'neither writes the page URL');
  assert.equal(await first.locator('#temperature').isVisible(), true);
  assert.equal(await second.locator('#temperature').isVisible(), false);
});

test('the host page themes the inside of the shadow roots through custom properties', async () => {
  const page = await session.openPage('/fixtures/two-explorers.html');
  const first = page.locator('attention-widget#first[data-ready]');
  await first.waitFor();
  const accentOf = (widget) => widget.locator('#temperature').evaluate((slider) => getComputedStyle(slider).accentColor);
  assert.equal(await accentOf(first), 'rgb(200, 30, 40)');
  assert.equal(await accentOf(page.locator('attention-widget#second')), 'rgb(11, 87, 208)', 'the default accent elsewhere');
  await page.evaluate(() => {
    const second = document.querySelector('#second');
    second.style.setProperty('--attention-lab-text', 'rgb(10, 100, 20)');
    second.style.setProperty('--attention-lab-font', 'monospace');
  });
  const inner = page.locator('attention-widget#second .embed');
  assert.equal(await inner.evaluate((element) => getComputedStyle(element).color), 'rgb(10, 100, 20)');
  assert.equal(await inner.evaluate((element) => getComputedStyle(element).fontFamily), 'monospace');
});

test('a lesson hides the controls it is told to in all its widgets', async () => {
  const page = await session.openPage('/fixtures/lesson-hide.html');
  const lesson = page.locator('attention-lesson[data-ready]');
  await lesson.waitFor();
  const explorer = lesson.locator('attention-explorer');
  assert.ok(await explorer.count() > 0);
  assert.equal(await explorer.first().locator('#temperature').isVisible(), false);
  assert.equal(await explorer.first().locator('details.book-editor').isVisible(), false);
  assert.equal(await explorer.first().locator('#hard').isVisible(), true, 'what is not named stays');
});

test('with sync-url a link sets the widget, except the parameters its attributes fix', async () => {
  const page = await session.openPage('/fixtures/synced.html#w.T=2&w.q=-1,1.5');
  const explorer = page.locator('attention-widget[data-ready] attention-explorer');
  await explorer.waitFor();
  assert.equal(await explorer.getAttribute('data-qx'), '-1', 'the query comes from the link');
  assert.equal(await explorer.getAttribute('data-qy'), '1.5');
  assert.equal(await explorer.getAttribute('data-temperature'), '0.5', 'the fixed temperature holds');
  await explorer.locator('[role="slider"]').focus();
  await page.keyboard.press('Shift+ArrowRight');
  assert.match(await page.evaluate(() => location.hash), /^#w\.q=/, 'moving the query writes the hash');
});

test('an embed works inside an iframe sandboxed to scripts only', async () => {
  const page = await session.openPage('/fixtures/sandboxed.html');
  const frame = page.frameLocator('iframe');
  const widget = frame.locator('attention-widget[data-ready]');
  await widget.waitFor();
  const weights = await weightsOf(widget);
  assert.equal(weights.length, 6);
  assert.ok(Math.abs(weights.reduce((sum, weight) => sum + weight, 0) - 1) < 1e-5, 'weights from the core');
  assert.equal(await frame.locator('body').evaluate(() => window.origin), 'null', 'the frame has an opaque origin');
});
