/**
 * The landing page in a real Chromium: it lists the eight lessons of the design, links
 * those that are written to their lesson pages, marks the rest "coming soon" without a link, marks a lesson
 * done once every exercise in it has been answered right (and how far the learner is
 * before that), links the playground, and fits a 360 px wide phone screen without
 * sideways scrolling.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserSession } from './browser.mjs';

const designLessons = [
  'The library: query, keys, values',
  'Self-attention: a sentence reads itself',
  'Why 1/√dₖ',
  'Global and local context',
  'Stacking layers',
  'Multi-head attention',
  'Taming attention: dropout and entropy',
  'Attending to tasks',
];
const designSlugs = ['library', 'self-attention', 'scaling', 'context', 'stacking', 'multi-head', 'regularisation', 'tasks'];

let session;

before(async () => {
  session = await startBrowserSession();
});

afterEach(() => session.assertNoProblems());

after(async () => {
  await session?.close();
});

test('the landing page lists the eight lessons, in order, each with a summary', async () => {
  const page = await session.openPage('/');
  const lessons = page.locator('#lessons > li');
  await lessons.first().locator('h3').waitFor();
  assert.equal(await lessons.count(), 8);
  assert.deepEqual(await lessons.evaluateAll((items) => items.map((item) => item.dataset.slug)), designSlugs);
  const titles = await lessons.locator('h3').allTextContents();
  designLessons.forEach((title, index) => {
    assert.ok(titles[index].includes(title), `lesson ${index + 1} is "${title}", found "${titles[index]}"`);
  });
  for (const summary of await lessons.locator('p').allTextContents()) {
    assert.ok(summary.trim().length > 20, `summary "${summary}"`);
  }
  await page.close();
});

test('the written lessons are ready and link to their lesson pages', async () => {
  const readyLessons = [0, 1, 2, 6, 7]; // lessons 1, 2, 3, 7 and 8, by index
  const page = await session.openPage('/');
  const ready = page.locator('#lessons > li[data-status="ready"]');
  await ready.first().waitFor();
  assert.equal(await ready.count(), readyLessons.length);
  const links = ready.locator('h3 a');
  assert.deepEqual(await links.allTextContents(), readyLessons.map((index) => designLessons[index]));
  assert.deepEqual(await links.evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href'))),
    readyLessons.map((index) => `lesson.html?lesson=${designSlugs[index]}`));
  assert.equal(await ready.filter({ hasText: 'Coming soon' }).count(), 0);
  await links.first().click();
  await page.locator('body[data-lesson-ready]').waitFor();
  assert.equal(await page.locator('h1').textContent(), designLessons[0]);
  await page.close();
});

test('the playground is linked and opens with the core\'s numbers', async () => {
  const page = await session.openPage('/');
  const link = page.getByRole('link', { name: 'the attention playground' });
  assert.equal(await link.getAttribute('href'), 'playground.html');
  await link.click();
  await page.locator('self-attention[data-ready]').waitFor();
  assert.equal(await page.locator('h1').textContent(), 'Attention playground');
  await page.close();
});

test('lessons not yet written say so and are not links', async () => {
  const page = await session.openPage('/');
  const comingSoon = page.locator('#lessons > li[data-status="coming-soon"]');
  await comingSoon.first().waitFor();
  const count = await comingSoon.count();
  assert.equal(count, 3); // lessons 4, 5 and 6
  assert.equal(await comingSoon.filter({ hasText: 'Coming soon' }).count(), count);
  assert.equal(await comingSoon.locator('a').count(), 0);
  await page.close();
});

test('a lesson is marked done once every exercise in it has been answered right', async () => {
  const page = await session.openPage('/lesson.html?lesson=library');
  await page.locator('body[data-lesson-ready]').waitFor();
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.locator('attention-explorer[data-ready]').waitFor();
  const library = (target) => target.locator('#lessons > li[data-slug="library"]');
  const topBook = await page.locator('attention-explorer').evaluate((element) => element.quantities.topBook);
  const answer = async (id, choice) => {
    const exercise = page.locator(`lesson-exercise[data-exercise-id="${id}"]`);
    await exercise.locator('input[type=radio]').evaluateAll((radios, wanted) => radios.find((radio) => radio.value === wanted).click(), choice);
    await exercise.getByRole('button', { name: 'Check' }).click();
    return exercise.getAttribute('data-verdict');
  };
  assert.equal(await answer('top-book', topBook), 'right');
  const landing = await session.openPage('/');
  await library(landing).locator('h3').waitFor();
  assert.equal(await library(landing).getAttribute('data-done'), null);
  assert.equal(await library(landing).locator('.progress').textContent(), '1 of 3 exercises answered right');
  assert.equal(await answer('cold-limit', 'All the weight goes to the book with the largest q·k'), 'right');
  assert.equal(await answer('length-and-temperature', 'They are the same'), 'right');
  await landing.reload();
  await library(landing).locator('h3').waitFor();
  assert.equal(await library(landing).getAttribute('data-done'), '');
  assert.equal(await library(landing).locator('.badge').textContent(), 'Done');
  assert.equal(await landing.locator('#lessons > li[data-slug="scaling"]').getAttribute('data-done'), null, 'only that lesson');
  await page.reload();
  await page.locator('attention-explorer[data-ready]').waitFor();
  const restored = page.locator('lesson-exercise[data-exercise-id="cold-limit"]');
  await restored.locator('.verdict').waitFor();
  assert.equal(await restored.getAttribute('data-verdict'), 'right', 'the answers come back with the lesson');
  assert.equal(await page.locator('attention-explorer th[data-column="weight"]').isVisible(), true, 'and so does what they held back');
  await page.evaluate(() => localStorage.clear());
  await Promise.all([page.close(), landing.close()]);
});

for (const width of [360, 1280]) {
  test(`the page has no horizontal overflow at ${width} px`, async () => {
    const page = await session.openPage('/', { viewport: { width, height: 800 } });
    await page.locator('attention-explorer[data-ready]').waitFor();
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= width, `page is ${scrollWidth} px wide in a ${width} px window`);
    await page.close();
  });
}

test('the page loads nothing from another origin', async () => {
  const page = await session.openPage('/');
  await page.locator('attention-explorer[data-ready]').waitFor();
  const resources = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name));
  assert.ok(resources.some((url) => url.endsWith('.wasm')), 'the WASM core was fetched');
  for (const url of resources) assert.equal(new URL(url).hostname, '127.0.0.1', url);
  await page.close();
});
