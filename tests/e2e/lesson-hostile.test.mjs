/**
 * A lesson cannot run script, load from another site or send the learner off-site
 * (issue 13), tried in a real Chromium with the lessons of hostile-lessons.mjs:
 * - a widget block that sets a parameter its widget does not declare (`onmouseover:`,
 *   `onfocus:`, `style:`, `onload:`, …) stops the page with a message naming the line,
 *   and no widget is made;
 * - a lesson full of every other trick (script in links, entities and control
 *   characters before `javascript:`, `/\evil.example`, `\\evil.example`, raw HTML, images
 *   from elsewhere, KaTeX's \href and \includegraphics, footnotes, exercise fields, a
 *   forged placeholder, a quantity path into Object's prototype) renders inert: no
 *   payload runs (on load, hover, focus or click), no request leaves 127.0.0.1, every
 *   link stays on the site, no element carries an event handler.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowserSession } from './browser.mjs';
import { injectionCount, proseAttack, widgetAttacks } from './hostile-lessons.mjs';

let session;
let folder;

before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'attention-hostile-'));
  for (const attack of widgetAttacks) await writeFile(join(folder, `hostile-${attack.name}.md`), attack.text);
  await writeFile(join(folder, 'hostile-prose.md'), proseAttack);
  session = await startBrowserSession({ mounts: { '/lessons/': folder } });
});

afterEach(() => session.assertNoProblems());

after(async () => {
  await session?.close();
  await rm(folder, { recursive: true, force: true });
});

/** Opens a lesson page that records every payload that runs, every dialog and every request. */
async function openHostile(slug) {
  const page = await session.context.newPage();
  const requests = [];
  const dialogs = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss();
  });
  page.on('console', (message) => {
    if (message.type() === 'error') session.problems.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => session.problems.pageErrors.push(error.stack ?? String(error)));
  await page.addInitScript(() => { window.pwned = []; });
  await page.goto(new URL(`/lesson.html?lesson=${slug}`, session.server.url).href);
  return { page, requests, dialogs };
}

/** Everything under the lesson that could act: handlers, active elements, links, images, frames. */
const auditLesson = (page) => page.evaluate(() => {
  const all = [];
  const walk = (root) => {
    for (const element of root.querySelectorAll('*')) {
      all.push(element);
      if (element.shadowRoot) walk(element.shadowRoot);
    }
  };
  walk(document.querySelector('#lesson'));
  return {
    handlers: all.flatMap((element) => [...element.attributes].filter(({ name }) => name.startsWith('on')).map(({ name }) => `${element.localName}[${name}]`)),
    // In the lesson's own DOM (widgets' shadow roots hold the widgets' own forms and styles).
    active: all.filter((element) => !(element.getRootNode() instanceof ShadowRoot)
      && ['script', 'iframe', 'object', 'embed', 'style', 'link', 'base', 'meta', 'form', 'frame'].includes(element.localName)
      && !element.closest('lesson-exercise')).map((element) => element.localName),
    links: all.filter((element) => element.localName === 'a').map((anchor) => anchor.href),
    images: all.filter((element) => element.localName === 'img').map((image) => image.src),
    styled: all.filter((element) => /url\(/i.test(element.getAttribute('style') ?? '')).map((element) => element.getAttribute('style')),
    ids: all.map((element) => element.id).filter(Boolean),
  };
});

test(`the fixtures try ${injectionCount} injections`, () => {
  assert.ok(injectionCount >= 40, `${injectionCount}`);
});

for (const attack of widgetAttacks) {
  test(`a widget block with "${attack.name}" stops the page, naming line ${attack.line}`, async () => {
    const { page, requests, dialogs } = await openHostile(`hostile-${attack.name}`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), new RegExp(`^This lesson could not be shown: line ${attack.line}: `));
    assert.equal(await page.locator('attention-explorer, scaling-experiment, img, [onmouseover], [onfocus], [style*="url"]').count(), 0);
    await page.mouse.move(300, 300);
    await page.keyboard.press('Tab');
    assert.deepEqual(await page.evaluate(() => window.pwned), []);
    assert.deepEqual(dialogs, []);
    for (const url of requests) assert.equal(new URL(url).hostname, '127.0.0.1', url);
    const { consoleErrors } = session.problems;
    assert.ok(consoleErrors.length <= 1, consoleErrors.join('\n'));
    consoleErrors.length = 0;
    await page.close();
  });
}

test('a lesson full of every other trick renders, inert', async () => {
  const { page, requests, dialogs } = await openHostile('hostile-prose');
  await page.locator('body[data-lesson-ready]').waitFor();
  await page.locator('attention-explorer[data-ready]').waitFor();
  const audit = await auditLesson(page);
  assert.deepEqual(audit.handlers, [], 'no element has an event handler attribute');
  assert.deepEqual(audit.active, [], 'no script, frame, object, style or form came from the lesson');
  assert.deepEqual(audit.styled, [], 'no inline style fetches anything');
  const origin = new URL(session.server.url).origin;
  for (const href of audit.links) {
    const url = new URL(href);
    assert.equal(url.origin, origin, `link ${href} stays on the site`);
    assert.match(url.protocol, /^https?:$/, href);
  }
  assert.ok(audit.links.some((href) => href.endsWith('/lesson.html?lesson=library')), 'an ordinary link is kept');
  for (const src of audit.images) assert.ok(src.startsWith(`${origin}/lessons/`), `image ${src}`);
  assert.equal(new Set(audit.ids).size, audit.ids.length, 'no id is forged twice');
  assert.equal(await page.locator('#lesson [data-lesson-block]').count(), 0, 'a forged placeholder stays code');
  assert.match(await page.locator('#lesson pre code').first().textContent(), /^0\s*$/);
  assert.match(await page.locator('h1').textContent(), /^Hostile <img src=x onerror="window\.pwned\.push\(38\)"> /, 'the title shows its markup as text');
  assert.equal(await page.locator('h1 .katex').count(), 1, 'and typesets its math');
  assert.match(await page.title(), /^Hostile <img src=x onerror="window\.pwned\.push\(38\)"> x — attention-lab$/);

  // Act on everything a learner could: hover, focus and click every element (links excepted: they stay on the site).
  await page.evaluate(() => {
    for (const element of document.querySelectorAll('#lesson *')) {
      for (const type of ['mouseover', 'mouseenter', 'focus', 'focusin', 'load', 'error']) element.dispatchEvent(new Event(type));
      if (element.localName !== 'a' && !element.closest('a')) element.click?.();
    }
  });
  const prompt = page.locator('lesson-exercise[data-exercise-id="hostile-prompt"]');
  assert.equal(await prompt.locator('input[type=radio]').count(), 2);
  await prompt.locator('input[type=radio]').last().check();
  await prompt.getByRole('button', { name: 'Check' }).click();
  assert.equal(await prompt.getAttribute('data-verdict'), 'right');
  const quantity = page.locator('lesson-exercise[data-exercise-id="hostile-quantity"]');
  await quantity.locator('input').fill('1');
  await quantity.getByRole('button', { name: 'Check' }).click();
  assert.match(await quantity.locator('.verdict').textContent(), /has not computed its numbers yet/, 'no path into Object.prototype resolves');
  await page.waitForTimeout(300);

  assert.deepEqual(await page.evaluate(() => window.pwned), [], 'no payload ran');
  assert.deepEqual(dialogs, []);
  for (const url of requests) {
    assert.equal(new URL(url).hostname, '127.0.0.1', url);
    assert.doesNotMatch(url, /evil|javascript/i, url);
  }
  await page.close();
});
