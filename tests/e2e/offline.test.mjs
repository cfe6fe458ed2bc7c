/**
 * Offline, in a real Chromium: after one visit to the hosted site, with the network
 * off and the server stopped, every lesson still works (the service worker's copies);
 * and the single-file build (dist/attention-lab-offline.html, `npm run build:offline`)
 * opened from file:// shows every lesson working while requesting nothing but itself.
 * "Works" means the numbers shown are the attention core's (see lesson-checks.mjs).
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserSession } from './browser.mjs';
import { openLesson } from './lesson-page.mjs';
import { checkLessonWorks } from './lesson-checks.mjs';
import { buildWith } from './web-builds.mjs';
import { lessonCatalogue } from '../../web/runtime/lesson-catalogue.mjs';
import { lessonSlug } from '../../web/runtime/lesson-list.mjs';

const offlineFile = new URL('../../dist/attention-lab-offline.html', import.meta.url);
const slugs = lessonCatalogue.map(lessonSlug).filter(Boolean);

let session;

before(async () => {
  await buildWith('build-web.mjs');
  await buildWith('build-offline.mjs');
  session = await startBrowserSession();
});

afterEach(() => session.assertNoProblems());

after(async () => {
  await session?.close();
});

test('after one visit, every lesson works with the network off and the server gone', async () => {
  const page = await session.openPage('/');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  assert.ok(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), 'the service worker controls the page');
  await session.context.setOffline(true);
  await session.server.close();
  try {
    for (const slug of slugs) {
      const lessonPage = await openLesson(session, slug);
      await checkLessonWorks(lessonPage.locator('#lesson'));
      await lessonPage.close();
    }
    await page.reload();
    await page.locator('attention-explorer[data-ready]').waitFor();
  } finally {
    await session.context.setOffline(false);
  }
});

test('the single file works from file:// and requests nothing else', async () => {
  const page = await session.context.newPage();
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') session.problems.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => session.problems.pageErrors.push(error.stack ?? String(error)));
  await page.goto(offlineFile.href);
  for (const slug of slugs) {
    await page.locator(`a[href="#lesson=${slug}"]`).click();
    const lesson = page.locator(`attention-lesson[name="${slug}"][data-ready]`);
    await lesson.waitFor();
    await lesson.locator('.lesson-widget:not([data-ready])').first().waitFor({ state: 'detached' });
    await checkLessonWorks(lesson);
    assert.ok(await lesson.locator('.katex').count() > 0, `${slug}: math is typeset`);
    await page.getByRole('link', { name: 'attention-lab: all lessons' }).click();
  }
  const elsewhere = requests.filter((url) => url !== offlineFile.href && !/^(data|blob):/.test(url));
  assert.deepEqual(elsewhere, []);
});
