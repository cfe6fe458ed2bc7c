/**
 * Themes, in a real Chromium and in the source:
 * - no colour is written anywhere in web/ except as the light fallback of a theme
 *   property (`var(--attention-lab-text, #1b1b1f)`), in web/theme.css, and in the books'
 *   own colours (data: a book's value is its colour);
 * - the site follows the reader's light or dark preference, and axe-core (colour
 *   contrast included) finds nothing on the landing page and both lessons in either;
 * - the dark course page (examples/dark-course-page.html) and the light one embed the
 *   lessons and a widget, whose insides take the colours the host sets on an ancestor,
 *   and axe-core finds nothing there either, with the reader in light or dark mode;
 * - a figure downloaded in the dark carries the dark colours it showed.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBrowserSession } from './browser.mjs';
import { assertNoAxeViolations, downloadFrom, openLesson } from './lesson-page.mjs';
import { buildWith } from './web-builds.mjs';
import { lightColours } from '../../web/runtime/theme-colours.mjs';

const webFolder = fileURLToPath(new URL('../../web/', import.meta.url));
/** Files that may write colours: the theme itself, and the books' colours (lesson data, not theme). */
const colourSources = new Set(['theme.css', 'runtime/theme-colours.mjs', 'figures/theme-colours.mjs', 'widgets/book-shelf.mjs', 'favicon.svg']);

let session;

before(async () => {
  await buildWith('build-web.mjs');
  session = await startBrowserSession();
});

afterEach(() => session.assertNoProblems());

after(async () => {
  await session?.close();
});

test('no colour is written in web/ but as a theme property’s light fallback', async () => {
  const entries = await readdir(webFolder, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile() && /\.(mjs|css|html)$/.test(entry.name))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
  const found = [];
  for (const file of files) {
    const name = relative(webFolder, file);
    if (colourSources.has(name) || name === 'serve.mjs' || name === 'sw.js') continue;
    let text = await readFile(file, 'utf8');
    for (const [whole, token, value] of text.matchAll(/var\(--attention-lab-([a-z0-9-]+),\s*(#[0-9a-f]{3,8})\)/gi)) {
      assert.equal(value.toLowerCase(), lightColours[token], `${name}: ${whole} falls back to the light value`);
    }
    text = text.replace(/var\(--attention-lab-([a-z0-9-]+),\s*(#[0-9a-f]{3,8})\)/gi, 'var(--theme)');
    const literals = [...text.matchAll(/(?<![\w$.])#(?:[0-9a-f]{6}|[0-9a-f]{3})(?![\w-])|\b(?:rgba?|hsla?)\((?!\$\{)|:\s*(?:white|black|red|green|blue|gr[ae]y|silver|yellow|orange|purple)\b/gi)];
    for (const [literal] of literals) found.push(`${name}: ${literal}`);
  }
  assert.deepEqual(found, []);
});

for (const scheme of ['light', 'dark']) {
  test(`the site in the ${scheme}: axe-core, colour contrast included, finds nothing at 1280 and 360 px`, async () => {
    for (const width of [1280, 360]) {
      const landing = await session.openPage('/', { viewport: { width, height: 800 } });
      await landing.emulateMedia({ colorScheme: scheme });
      await landing.locator('attention-explorer[data-ready]').waitFor();
      const background = await landing.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      assert.equal(background, scheme === 'dark' ? 'rgb(20, 20, 24)' : 'rgb(255, 255, 255)');
      await assertNoAxeViolations(landing);
      await landing.close();
      for (const slug of ['library', 'scaling']) {
        const page = await openLesson(session, slug, { viewport: { width, height: 800 } });
        await page.emulateMedia({ colorScheme: scheme });
        const texts = await page.locator('.lesson-widget').first().evaluate((widget) => {
          const root = widget.shadowRoot;
          return [getComputedStyle(root.querySelector('figure, .controls')).color, getComputedStyle(document.body).color];
        });
        assert.equal(texts[0], texts[1], `${slug}: the widget's text is the page's`);
        await assertNoAxeViolations(page);
        await page.close();
      }
    }
  });
}

/** Opens a course page with every embed ready, in `scheme`. */
async function openCoursePage(path, scheme) {
  const page = await session.openPage(path);
  await page.emulateMedia({ colorScheme: scheme });
  for (const lesson of await page.locator('attention-lesson').all()) await lesson.and(page.locator('[data-ready]')).waitFor();
  await page.locator('attention-widget[data-ready]').waitFor();
  await page.locator('scaling-experiment[data-ready]').first().waitFor();
  return page;
}

for (const scheme of ['light', 'dark']) {
  test(`the dark course page, with the reader in ${scheme} mode: the host's colours reach inside, and axe-core finds nothing`, async () => {
    const page = await openCoursePage('/examples/dark-course-page.html', scheme);
    const inside = await page.locator('attention-lesson[name="library"]').evaluate((lesson) => {
      const explorer = lesson.shadowRoot.querySelector('attention-explorer').shadowRoot;
      const exercise = lesson.shadowRoot.querySelector('.exercise');
      return {
        text: getComputedStyle(lesson.shadowRoot.querySelector('.embed')).color,
        panel: getComputedStyle(exercise).backgroundColor,
        plane: getComputedStyle(explorer.querySelector('.vector-plane')).backgroundColor,
        grid: getComputedStyle(explorer.querySelector('.grid-line')).stroke,
        track: getComputedStyle(explorer.querySelector('.bar')).backgroundColor,
        check: getComputedStyle(exercise.querySelector('button')).backgroundColor,
      };
    });
    assert.deepEqual(inside, {
      text: 'rgb(236, 231, 220)', panel: 'rgb(35, 37, 43)', plane: 'rgb(35, 37, 43)', grid: 'rgb(47, 49, 56)',
      track: 'rgb(52, 54, 61)', check: 'rgb(240, 163, 94)',
    });
    const series = await page.locator('attention-lesson[name="scaling"] scaling-experiment').evaluate((widget) =>
      getComputedStyle(widget.shadowRoot.querySelector('figure[data-measure="entropy"] g[data-series="sqrt"] .series')).stroke);
    assert.equal(series, 'rgb(127, 182, 255)', 'plot series take the course’s series colours');
    await assertNoAxeViolations(page);
    await page.close();
  });

  test(`the light course page, with the reader in ${scheme} mode: axe-core finds nothing`, async () => {
    const page = await openCoursePage('/examples/course-page.html', scheme);
    await assertNoAxeViolations(page);
    await page.close();
  });
}

test('a figure downloaded in the dark carries the colours it showed', async () => {
  const page = await openLesson(session, 'library');
  await page.emulateMedia({ colorScheme: 'dark' });
  const { bytes } = await downloadFrom(page, page.locator('attention-explorer'), 'SVG');
  const svg = bytes.toString('utf8');
  assert.match(svg, /--attention-lab-panel: #202027;/);
  assert.match(svg, /--attention-lab-text: #e8e8ee;/);
  await page.close();
});
