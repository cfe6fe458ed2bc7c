/**
 * What every lesson test needs from a lesson page: opening one (with a state in the
 * hash), an axe-core audit, the overflow check for narrow screens, and reading a figure
 * the page offers as a download.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Opens `lesson.html?lesson=<slug><hash>` and waits until the lesson and its widgets are ready. */
export async function openLesson(session, slug, { hash = '', viewport } = {}) {
  const page = await session.openPage(`/lesson.html?lesson=${slug}${hash}`, { viewport });
  await page.locator('body[data-lesson-ready]').waitFor();
  await page.locator('.lesson-widget:not([data-ready])').first().waitFor({ state: 'detached', timeout: 180_000 }).catch(() => {});
  assert.equal(await page.locator('.lesson-widget:not([data-ready])').count(), 0, 'every widget is ready');
  return page;
}

/**
 * Runs axe-core on the page (shadow roots included) and fails listing any violation.
 * axe is evaluated through the DevTools protocol: the page's policy forbids inline
 * script, so it cannot be added as a <script> element.
 */
export async function assertNoAxeViolations(page) {
  await page.evaluate(await readFile(axePath, 'utf8'));
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document);
    return result.violations.map(({ id, help, nodes }) => ({ id, help, targets: nodes.map((node) => node.target.join(' ')) }));
  });
  assert.deepEqual(violations, []);
}

/** Fails if the page is wider than the window (something would need sideways scrolling). */
export async function assertNoHorizontalOverflow(page, width) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= width, `page is ${scrollWidth} px wide in a ${width} px window`);
}

/**
 * Opens the first visible "Download" menu in `scope` (when it is closed), picks `format`
 * (SVG or PNG) and resolves to the downloaded file's name and bytes.
 */
export async function downloadFrom(page, scope, format) {
  const menu = scope.locator('details.figure-export:visible').first();
  if (!(await menu.evaluate((details) => details.open))) await menu.locator('summary').click();
  const button = menu.getByRole('button', { name: new RegExp(`^Download ${format}`) });
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  return { name: download.suggestedFilename(), bytes: Buffer.concat(chunks) };
}

/** The first eight bytes of every PNG file. */
export const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Answers an exercise (a number typed, or a choice picked by its text), checks it, and resolves to the verdict. */
export async function answerExercise(page, id, answer) {
  const exercise = page.locator(`lesson-exercise[data-exercise-id="${id}"]`);
  const input = exercise.locator('input[type=text]');
  if (await input.count()) await input.fill(String(answer));
  else await exercise.getByLabel(String(answer), { exact: true }).check();
  await exercise.getByRole('button', { name: 'Check' }).click();
  return exercise.getAttribute('data-verdict');
}
