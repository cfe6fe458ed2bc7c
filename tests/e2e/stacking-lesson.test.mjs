/**
 * Lesson 5, stacking layers, in a real Chromium: every number the pointer chase shows
 * (every start's landing and true target, the accuracy, the path of the chosen start,
 * every weight of every layer's heatmap, every point of both plots) equals the attention
 * core's in Node for the same row and settings; with sharp attention L = k is exact and
 * L < k is visibly wrong; halving the sharpness lowers the plotted accuracy; arrows are
 * redirected by pointer and by keyboard alone; the view lives in the URL (a link
 * reproduces it, Back restores it); the exercises hold back their evidence until
 * answered and accept the core's answers; axe-core finds nothing and nothing scrolls
 * sideways at 360 and 1280 px, light and dark; no request leaves 127.0.0.1.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import createAttentionLab from '../../dist/node.mjs';
import { startBrowserSession } from './browser.mjs';
import { answerExercise, assertNoAxeViolations, assertNoHorizontalOverflow, openLesson } from './lesson-page.mjs';
import { checkChaseEqualsCore, readChase } from './pointer-chase-checks.mjs';

let session;
let lab;
let page;

before(async () => {
  session = await startBrowserSession();
  lab = await createAttentionLab();
  page = await openLesson(session, 'stacking');
  await page.evaluate(() => localStorage.clear());
});

afterEach(() => session.assertNoProblems());

after(async () => {
  await session?.close();
});

const chase = (target = page) => target.locator('pointer-chase#chase[data-ready]');
const soft = (target = page) => target.locator('pointer-chase#soft[data-ready]');
const hashParams = async (target = page) => new URLSearchParams((await target.evaluate(() => location.hash)).slice(1));
const visible = (widget, view) => widget.locator(`[data-view="${view}"]`).first().isVisible();

/** Picks a value in one of the widget's button rows (a radio group named by its legend). */
async function choose(widget, legend, value) {
  await widget.getByRole('group', { name: legend }).getByRole('radio', { name: String(value), exact: true }).check();
}

test('the exercises hold back the path, the landings and the hops plot until answered, and accept the core’s answers', async () => {
  assert.equal(await visible(chase(), 'path'), false, 'the path waits for the first exercise');
  assert.equal(await visible(chase(), 'landings'), false, 'the landings wait too');
  assert.equal(await visible(chase(), 'heatmaps'), true, 'the heatmaps show');
  const highlighted = () => chase().locator('.pointer-row-arrows g.on-path').evaluateAll((arrows) => arrows.map((arrow) => `${arrow.dataset.from}${arrow.dataset.to}`));
  assert.deepEqual(await highlighted(), [], 'nor does the row highlight the path it asks for');
  assert.equal(await soft().locator('figure[data-plot="hops"]').isVisible(), false, 'the hops plot waits');
  assert.equal(await soft().locator('figure[data-plot="crowding"]').isVisible(), true);
  assert.equal(await page.locator('lesson-exercise[data-exercise-id="two-layers"] input[type=radio]').count(), 6, 'one choice per token');
  assert.equal(await answerExercise(page, 'two-layers', 'C'), 'wrong');
  assert.equal(await answerExercise(page, 'two-layers', 'F'), 'right', 'A → C → F');
  assert.equal(await visible(chase(), 'path'), true, 'answered: the path shows');
  assert.deepEqual((await highlighted()).sort(), ['AC', 'CF'], 'and the row highlights A → C → F');
  assert.equal(await visible(chase(), 'landings'), false, 'the landings wait for the 4-hop exercise as well');
  assert.equal(await answerExercise(page, 'four-hops', '2'), 'wrong');
  assert.equal(await answerExercise(page, 'four-hops', '4'), 'right');
  assert.equal(await visible(chase(), 'landings'), true);
  const measured = lab.pointerChaseAccuracy({ n: 6, layers: 6, sharpness: 2, trials: 400, seed: 1 }).accuracy[3];
  assert.equal(await answerExercise(page, 'half-sharpness', '1'), 'wrong', 'nothing left as it was');
  assert.equal(await answerExercise(page, 'half-sharpness', measured.toFixed(2)), 'right');
  const exercise = page.locator('lesson-exercise[data-exercise-id="half-sharpness"]');
  assert.ok(Math.abs(Number(await exercise.getAttribute('data-expected')) - measured) < 1e-6, 'judged against the core’s mean');
  assert.equal(await soft().locator('figure[data-plot="hops"]').isVisible(), true);
});

test('every number shown equals the core’s: sharp attention with L = k is exact, L < k visibly wrong', async () => {
  const { view, result } = await checkChaseEqualsCore(chase(), lab, { heatmaps: true });
  assert.deepEqual([view.pointers, view.layers, view.hops, view.sharpness, view.dim, view.start], ['CEFBAD', 2, 2, 128, 'one-hot', 'A']);
  assert.equal(result.answerAccuracy, 1, 'two sharp layers answer every 2-hop question');
  await choose(chase(), 'Hops k the question asks for', 4);
  const short = await checkChaseEqualsCore(chase(), lab);
  assert.equal(short.view.correct, 0, 'two layers on a 4-hop question: no start is right on this loop of six');
  await choose(chase(), 'Layers L stacked', 4);
  const { view: matched } = await checkChaseEqualsCore(chase(), lab, { heatmaps: true });
  assert.equal(matched.accuracy, 1, 'four layers: every start right');
  assert.equal((await hashParams()).get('chase.layers'), '4');
  await page.goBack();
  assert.equal((await readChase(chase())).layers, 2, 'Back restores the view before');
  await page.goForward();
  assert.equal((await readChase(chase())).layers, 4);
});

test('both plots are the core’s averages, and halving the sharpness costs accuracy as the hops grow', async () => {
  const tables = await soft().evaluate((element) => Object.fromEntries([...element.shadowRoot.querySelectorAll('figure[data-plot]')].map((figure) => [
    figure.dataset.plot,
    [...figure.querySelectorAll('tbody tr')].map((row) => ({
      x: Number(row.querySelector('th').textContent),
      values: Object.fromEntries([...row.querySelectorAll('td')].map((cell) => [cell.dataset.series, Number(cell.dataset.value)])),
    })),
  ])));
  const mean = (options) => lab.pointerChaseAccuracy({ n: 6, trials: 400, seed: 1, ...options }).accuracy;
  const [chosen, half] = [mean({ layers: 6, sharpness: 4 }), mean({ layers: 6, sharpness: 2 })];
  assert.deepEqual(tables.hops.map((row) => row.x), [1, 2, 3, 4, 5, 6]);
  tables.hops.forEach(({ values }, index) => {
    assert.equal(values.chosen, chosen[index], `sharpness 4, ${index + 1} hops`);
    assert.equal(values.half, half[index], `sharpness 2, ${index + 1} hops`);
  });
  assert.ok(chosen.every((value) => value === 1), 'at sharpness 4 every start of every row is right');
  assert.equal(half[0], 1, 'at sharpness 2 one hop is still exact');
  assert.ok(half[3] < half[1] - 0.2, `and 4 hops (${half[3]}) lose far more than 2 (${half[1]})`);
  assert.deepEqual(tables.crowding.map((row) => row.x), [1, 1.2, 1.5, 2, 3, 6]);
  tables.crowding.forEach(({ x, values }) => {
    const dim = Math.round(6 / x);
    const expected = mean({ layers: 4, sharpness: 4, ...(dim < 6 ? { dim } : {}) });
    for (const hops of [1, 2, 4]) assert.equal(values[`hops${hops}`], expected[hops - 1], `n/dim ${x}, ${hops} hops`);
  });
  assert.ok(tables.crowding.at(-1).values.hops4 < 0.5 && tables.crowding[0].values.hops4 === 1, 'crowded codes go wrong, one-hot ones do not');
  await checkChaseEqualsCore(soft(), lab);
});

test('keyboard only: an arrow is redirected, a setting changed, and the numbers follow the core', async () => {
  const widget = chase();
  const tokens = widget.locator('.pointer-tokens button');
  await tokens.first().focus();
  await page.keyboard.press('Enter');
  assert.equal(await tokens.first().getAttribute('aria-pressed'), 'true', 'A is picked');
  assert.match(await widget.locator('.pointer-row-status').textContent(), /Moving the arrow of A/);
  await page.keyboard.press('Escape');
  assert.equal(await tokens.first().getAttribute('aria-pressed'), 'false', 'Escape cancels');
  assert.equal((await readChase(widget)).pointers[0], 'C', 'and leaves the arrow');
  await page.keyboard.press('Enter');
  for (let step = 0; step < 3; step++) await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.shadowRoot.activeElement.dataset.token), 'D');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash.includes('chase.pointers=DEFBAD'));
  assert.equal(await tokens.first().getAttribute('aria-label'), 'A (the start): points at D');
  await checkChaseEqualsCore(widget, lab, { heatmaps: true });
  const layers = widget.getByRole('group', { name: 'Layers L stacked' });
  await layers.getByRole('radio', { checked: true }).focus();
  await page.keyboard.press('ArrowLeft');
  const { view } = await checkChaseEqualsCore(widget, lab);
  assert.equal(view.layers, 3);
});

test('a pointer press makes a loop, random arrows are the core’s, and a link with every setting reproduces the view', async () => {
  const tokens = chase().locator('.pointer-tokens button');
  await tokens.nth(1).click();
  await tokens.nth(1).click();
  await page.waitForFunction(() => /chase\.pointers=.B/.test(location.hash));
  assert.equal(await chase().locator('.pointer-row-arrows g[data-from="B"]').getAttribute('data-to'), 'B', 'B points at itself');
  await chase().getByRole('button', { name: 'Draw random arrows' }).click();
  const drawn = [...lab.randomPointers({ n: 6, seed: 1 })].map((index) => String.fromCharCode(65 + index)).join('');
  assert.equal((await readChase(chase())).pointers, drawn, 'random arrows are the core’s seeded row');
  await checkChaseEqualsCore(chase(), lab);
  const link = '#chase.pointers=BBAFCE&chase.hops=3&chase.layers=3&chase.sharpness=2&chase.dim=4&chase.start=C';
  const shared = await openLesson(session, 'stacking', { hash: link });
  const { view } = await checkChaseEqualsCore(chase(shared), lab, { heatmaps: true });
  assert.deepEqual([view.pointers, view.hops, view.layers, view.sharpness, view.dim, view.start], ['BBAFCE', 3, 3, 2, '4', 'C']);
  assert.equal(await chase(shared).getByRole('group', { name: 'Code length dim' }).getByRole('radio', { name: '4', exact: true }).isChecked(), true);
  await shared.close();
});

for (const width of [360, 1280]) {
  for (const scheme of ['light', 'dark']) {
    test(`at ${width} px, ${scheme}: axe finds nothing, nothing scrolls sideways`, async () => {
      const shown = await session.openPage('/lesson.html?lesson=stacking', { viewport: { width, height: 900 }, colorScheme: scheme });
      await shown.locator('body[data-lesson-ready]').waitFor();
      await soft(shown).waitFor();
      await chase(shown).waitFor();
      await assertNoAxeViolations(shown);
      await assertNoHorizontalOverflow(shown, width);
      if (width === 360) {
        const sizes = await chase(shown).locator('.pointer-tokens button, input[type=radio]').evaluateAll((elements) => elements.map((element) => {
          const box = (element.localName === 'input' ? element.parentElement : element).getBoundingClientRect();
          return Math.min(box.width, box.height);
        }));
        assert.ok(sizes.every((size) => size >= 44), `every token and button is 44 px: ${Math.min(...sizes)}`);
      }
      await shown.close();
    });
  }
}
