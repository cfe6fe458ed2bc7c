/**
 * The Content-Security-Policy, in a real Chromium: every page the site has — the landing
 * page, every ready lesson of the catalogue, every web/*.html, every examples/*.html,
 * the embed in a sandboxed iframe and in another origin's page, the lesson pages framed
 * by another origin, and the offline file from file:// — runs with no CSP violation,
 * while the learner moves a control, checks an answer and exports a figure (so lazily
 * loaded code runs too). Violations are caught twice: by `securitypolicyviolation`
 * listeners that an init script adds to every frame, and by the console (browser.mjs
 * fails a test on any console error). A control page, top-level and in a sandboxed
 * iframe, proves both catch violations and that the policy stops inline script and
 * handlers, eval and new Function, remote script, <base>, <object> and fetches elsewhere.
 * The header carries the required directives on every response, and a lesson answered
 * from the service worker's cache keeps the policy.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBrowserSession } from './browser.mjs';
import { downloadFrom, openLesson, pngSignature } from './lesson-page.mjs';
import { buildWith } from './web-builds.mjs';
import { lessonCatalogue } from '../../web/runtime/lesson-catalogue.mjs';
import { lessonSlug } from '../../web/runtime/lesson-list.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const offlineFile = new URL('../../dist/attention-lab-offline.html', import.meta.url);
const readySlugs = lessonCatalogue.filter(({ status }) => status === 'ready').map(lessonSlug).filter(Boolean);
const widgetTimeout = 120_000;
const htmlFilesIn = async (folder) => (await readdir(join(repoRoot, folder))).filter((name) => name.endsWith('.html')).sort();

/** Host pages served by our own server under /fixtures/, as in embed.test.mjs. */
const fixtures = {
  'widget.html': '<attention-widget type="attention-explorer" temperature="0.5"></attention-widget>',
  'sandboxed.html': '<iframe sandbox="allow-scripts" src="widget.html" title="embedded widget" width="900" height="700"></iframe>',
};
/**
 * A page of our own that tries, in turn, everything the policy must stop: inline
 * script, an inline handler, a script from another site, <base>, <object>, and (from a
 * module of ours, which may run) eval, new Function, a string timer and fetch elsewhere.
 */
const probeFiles = {
  'probe.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>probe</title><link rel="icon" href="data:,">
<base href="https://evil.example/">
<script>document.documentElement.dataset.inlineScript = 'ran';</script>
<script src="https://evil.example/remote.js"></script>
<script type="module" src="/fixtures/probe.mjs"></script></head>
<body><img alt="" src="data:," onload="document.documentElement.dataset.inlineHandler = 'ran'" onerror="document.documentElement.dataset.inlineHandler = 'ran'">
<object data="/favicon.svg" type="image/svg+xml" title="object"></object></body></html>`,
  'probe.mjs': `const outcome = (attempt) => { try { attempt(); return 'ran'; } catch (error) { return error.name; } };
const root = document.documentElement.dataset;
root.eval = outcome(() => (0, eval)('1'));
root.newFunction = outcome(() => new Function('return 1')());
setTimeout('document.documentElement.dataset.stringTimer = "ran"', 0);
root.fetchElsewhere = await fetch('https://evil.example/data').then(() => 'ran', (error) => error.name);
setTimeout(() => { root.probed = ''; }, 50);`,
  'probe-sandboxed.html': '<!doctype html><title>sandboxed probe</title><link rel="icon" href="data:,"><iframe sandbox="allow-scripts" src="probe.html" title="probe"></iframe>',
};
const fixturePage = (body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title>
<link rel="icon" href="data:,"><script type="module" src="../dist/web/attention-lab-embed.js"></script></head>
<body>${body}</body></html>`;

let session;
let fixtureFolder;
let otherOrigin;
/** Every violation any frame of any page reported, as its listener saw it. */
const violations = [];

/**
 * A second origin (another port on 127.0.0.1) serving pages of someone else's site,
 * each with the policy that site chose: `pages` maps a path to `{ html, policy }`.
 */
async function startOtherOrigin(pages) {
  const server = createServer((request, response) => {
    const page = pages[request.url];
    if (!page) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': page.policy });
    response.end(page.html);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Adds, to every frame of every page of `context`, a listener reporting CSP violations to `violations`. */
async function watchViolations(context) {
  await context.exposeBinding('reportCspViolation', ({ frame }, violation) => violations.push({ frame: frame.url(), ...violation }));
  await context.addInitScript(() => {
    addEventListener('securitypolicyviolation', (event) => {
      const { effectiveDirective, blockedURI, sourceFile, lineNumber, sample, documentURI } = event;
      globalThis.reportCspViolation?.({ effectiveDirective, blockedURI, sourceFile, lineNumber, sample, documentURI });
    }, true);
  });
}

/**
 * A new browser context (no service worker, no caches yet) under the same guard as the
 * session's: violations, console errors and page errors recorded, other hosts refused.
 */
async function freshContext() {
  const context = await session.browser.newContext();
  context.setDefaultTimeout(widgetTimeout);
  await watchViolations(context);
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
    session.problems.foreignRequests.push(url.href);
    return route.abort('blockedbyclient');
  });
  context.on('page', (page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') session.problems.consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => session.problems.pageErrors.push(error.stack ?? String(error)));
  });
  return context;
}

before(async () => {
  await buildWith('build-web.mjs');
  await buildWith('build-offline.mjs');
  fixtureFolder = await mkdtemp(join(tmpdir(), 'attention-csp-'));
  for (const [name, body] of Object.entries(fixtures)) await writeFile(join(fixtureFolder, name), fixturePage(body));
  for (const [name, text] of Object.entries(probeFiles)) await writeFile(join(fixtureFolder, name), text);
  session = await startBrowserSession({ mounts: { '/fixtures/': fixtureFolder } });
  await watchViolations(session.context);
  // The scaling lesson's 20,000 samples take well over 30 s when the machine's cores are busy.
  session.context.setDefaultTimeout(widgetTimeout);
  const site = session.server.url;
  const siteOrigin = new URL(site).origin;
  otherOrigin = await startOtherOrigin({
    '/framed.html': {
      policy: `default-src 'none'; frame-src ${siteOrigin}; img-src data:`,
      html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>framing</title><link rel="icon" href="data:,"></head><body>
<iframe src="${site}lesson.html?lesson=${readySlugs[0]}" title="lesson" width="1000" height="800"></iframe>
<iframe src="${site}examples/course-page.html" title="course page" width="1000" height="800"></iframe></body></html>`,
    },
    // What a course site with a strict policy of its own must allow to embed a lesson.
    '/embedded.html': {
      policy: `default-src 'none'; script-src ${siteOrigin} 'wasm-unsafe-eval'; connect-src ${siteOrigin}; font-src ${siteOrigin}; style-src 'unsafe-inline'; img-src data: blob:`,
      html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>course</title><link rel="icon" href="data:,">
<script type="module" src="${site}dist/web/attention-lab-embed.js"></script></head><body>
<attention-lesson name="${readySlugs[0]}"></attention-lesson>
<attention-widget type="attention-explorer"></attention-widget></body></html>`,
    },
  });
});

afterEach(() => {
  const seen = violations.splice(0);
  session.assertNoProblems();
  assert.deepEqual(seen, [], 'no CSP violation');
});

after(async () => {
  await otherOrigin?.close();
  await session?.close();
  await rm(fixtureFolder, { recursive: true, force: true });
});

/** The policy header split into directives: { 'script-src': ["'self'", …], … }. */
function directivesOf(policy) {
  return Object.fromEntries(policy.split(';').map((part) => part.trim().split(/\s+/)).filter(([name]) => name).map(([name, ...sources]) => [name, sources]));
}

/** The directives the issue requires of every policy we send, checked one by one. */
function assertRequiredDirectives(policy, what) {
  const directives = directivesOf(policy);
  const scripts = directives['script-src'] ?? [];
  assert.ok(scripts.includes("'wasm-unsafe-eval'"), `${what}: script-src allows WebAssembly`);
  for (const forbidden of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'blob:', 'http:', 'https:']) {
    assert.ok(!scripts.includes(forbidden), `${what}: script-src has no ${forbidden}`);
  }
  assert.deepEqual(directives['connect-src'], ["'self'"], `${what}: connect-src 'self'`);
  assert.deepEqual(directives['object-src'], ["'none'"], `${what}: object-src 'none'`);
  assert.deepEqual(directives['base-uri'], ["'none'"], `${what}: base-uri 'none'`);
  assert.deepEqual(directives['worker-src'], ["'self'"], `${what}: worker-src 'self'`);
  assert.deepEqual(directives['default-src'], ["'none'"], `${what}: default-src 'none'`);
  assert.ok(!('frame-ancestors' in directives), `${what}: frame-ancestors is unset, so any site may frame the lessons`);
  return directives;
}

/** The CSP hash of every inline import map in an HTML text, computed here independently of the server. */
function importMapHashesOf(html) {
  return [...html.matchAll(/<script type="importmap">([\s\S]*?)<\/script>/g)]
    .map(([, text]) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`);
}

/**
 * Gives a page time to run what it loads late: a quiet network (waited for at most 10 s:
 * a service worker filling its cache may keep it busy longer), then every lesson widget ready.
 */
async function settle(page) {
  await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => {});
  await page.locator('.lesson-widget:not([data-ready])').waitFor({ state: 'detached' });
}

/**
 * Does what a learner does, inside `scope` (a page or frame): moves the first slider,
 * checks the first exercise, and (if `exportFigure`) downloads the first figure as PNG,
 * which draws an SVG from a blob: URL into a canvas.
 */
async function exerciseControls(page, scope, { exportFigure = true } = {}) {
  const slider = scope.locator('[role="slider"]').first();
  if (await slider.count()) {
    await slider.focus();
    await page.keyboard.press('ArrowRight');
  }
  const check = scope.getByRole('button', { name: 'Check', exact: true }).first();
  if (await check.count()) await check.click();
  if (exportFigure && (await scope.locator('details.figure-export:visible').count())) {
    const { bytes } = await downloadFrom(page, scope, 'PNG');
    assert.deepEqual(bytes.subarray(0, 8), pngSignature, 'a PNG was made');
  }
}

test('the header carries the required directives on every page, file and error', async () => {
  const pages = [...(await htmlFilesIn('web')), ...(await htmlFilesIn('examples')).map((name) => `examples/${name}`)];
  for (const path of ['', ...pages, 'app.mjs', 'style.css', 'sw.js', 'dist/attention-core.wasm', 'dist/web/attention-lab-embed.js', 'missing.html', '..%2f']) {
    const response = await fetch(new URL(path, session.server.url));
    const policy = response.headers.get('content-security-policy');
    assert.ok(policy, `/${path}: a policy`);
    const directives = assertRequiredDirectives(policy, `/${path}`);
    if (!path.endsWith('.html')) continue;
    const expectedHashes = importMapHashesOf(await response.text());
    const sentHashes = directives['script-src'].filter((source) => source.startsWith("'sha256-"));
    assert.deepEqual(sentHashes, expectedHashes, `/${path}: script-src allows exactly the page's import maps`);
  }
  const lessonPage = await readFile(join(repoRoot, 'web', 'lesson.html'), 'utf8');
  assert.equal(importMapHashesOf(lessonPage).length, 1, 'the lesson page has its import map (this test checks its hash)');
});

test('the policy stops inline script, handlers, eval, <base>, <object> and other sites, and both watchers report it', async () => {
  for (const path of ['/fixtures/probe.html', '/fixtures/probe-sandboxed.html']) {
    const page = await session.openPage(path);
    const probe = path.endsWith('sandboxed.html') ? page.frameLocator('iframe') : page;
    const probed = probe.locator('html[data-probed]');
    await probed.waitFor();
    const outcome = await probed.evaluate((root) => ({ ...root.dataset }));
    assert.deepEqual(outcome, { eval: 'EvalError', newFunction: 'EvalError', fetchElsewhere: 'TypeError', probed: '' }, `${path}: nothing ran`);
    // An opaque (sandboxed) frame is told only the origin of a blocked URL of ours.
    const ours = new URL(session.server.url).origin;
    const seen = violations.splice(0)
      .map(({ effectiveDirective, blockedURI }) => `${effectiveDirective} ${blockedURI.startsWith(ours) ? ours : blockedURI}`).sort();
    assert.deepEqual(seen, [
      'base-uri https://evil.example/',
      'connect-src https://evil.example/data',
      `object-src ${ours}`,
      'script-src eval',
      'script-src eval',
      'script-src eval',
      'script-src-attr inline',
      'script-src-attr inline',
      'script-src-elem https://evil.example/remote.js',
      'script-src-elem inline',
    ], `${path}: the listener saw every violation`);
    const refusals = session.problems.consoleErrors.filter((message) => /Content Security Policy/.test(message));
    assert.ok(refusals.length >= seen.length - 2, `${path}: the console reported them too: ${refusals.join(' | ')}`);
    session.problems.consoleErrors.splice(0, Infinity, ...session.problems.consoleErrors.filter((message) => !refusals.includes(message)));
    await page.close();
  }
});

test('the landing page runs with no violation while the explorer is moved', async () => {
  const page = await session.openPage('/');
  await page.locator('attention-explorer[data-ready]').waitFor();
  await exerciseControls(page, page);
  await page.close();
});

test(`every ready lesson (${readySlugs.join(', ')}) runs with no violation while used`, async () => {
  assert.ok(readySlugs.length >= 2);
  for (const slug of readySlugs) {
    const page = await openLesson(session, slug);
    await exerciseControls(page, page);
    await page.close();
  }
});

test('every web/*.html page loads with no violation', async (t) => {
  const pages = await htmlFilesIn('web');
  assert.ok(pages.includes('index.html') && pages.includes('lesson.html'));
  for (const name of pages) {
    const page = await session.openPage(`/${name}${name === 'lesson.html' ? `?lesson=${readySlugs[0]}` : ''}`);
    if (name === 'lesson.html') await page.locator('body[data-lesson-ready]').waitFor();
    await settle(page);
    await exerciseControls(page, page);
    await settle(page);
    await page.close();
  }
  t.diagnostic(`web pages: ${pages.join(', ')}`);
});

test('every examples/*.html page (the embed script on a course page) runs with no violation', async (t) => {
  const pages = await htmlFilesIn('examples');
  assert.ok(pages.includes('course-page.html'));
  for (const name of pages) {
    const page = await session.openPage(`/examples/${name}`);
    for (const embed of await page.locator('attention-lesson, attention-widget').all()) await embed.and(page.locator('[data-ready]')).waitFor();
    await settle(page);
    await exerciseControls(page, page);
    await page.close();
  }
  t.diagnostic(`example pages: ${pages.join(', ')}`);
});

test('the embed runs with no violation inside an iframe sandboxed to scripts only', async () => {
  const page = await session.openPage('/fixtures/sandboxed.html');
  const frame = page.frameLocator('iframe');
  await frame.locator('attention-widget[data-ready]').waitFor();
  await exerciseControls(page, frame, { exportFigure: false });
  assert.equal(await frame.locator('body').evaluate(() => window.origin), 'null', 'the frame has an opaque origin');
  await page.close();
});

test('another origin may frame the lesson and the course page, which run with no violation', async () => {
  const page = await session.openPage(new URL('framed.html', otherOrigin.url).href);
  const lesson = page.frameLocator('iframe[title="lesson"]');
  await lesson.locator('body[data-lesson-ready]').waitFor();
  await exerciseControls(page, lesson);
  const course = page.frameLocator('iframe[title="course page"]');
  await course.locator('attention-widget[data-ready]').waitFor();
  await course.locator('attention-lesson[data-ready]').first().waitFor();
  await exerciseControls(page, course);
  await page.close();
});

test('the embed runs in another origin whose own strict policy allows only our origin', async () => {
  const page = await session.openPage(new URL('embedded.html', otherOrigin.url).href);
  await page.locator('attention-lesson[data-ready]').waitFor();
  await page.locator('attention-widget[data-ready]').waitFor();
  await page.locator('attention-lesson .lesson-widget:not([data-ready])').waitFor({ state: 'detached' });
  await exerciseControls(page, page.locator('attention-widget'));
  await exerciseControls(page, page.locator('attention-lesson'));
  await page.close();
});

test('the offline file carries its policy in a <meta> and runs every lesson from file:// with no violation', async () => {
  const html = await readFile(offlineFile, 'utf8');
  const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  assert.ok(policy, 'a <meta> policy');
  assert.ok(html.indexOf(policy) < html.indexOf('<script'), 'the policy comes before the script');
  const directives = directivesOf(policy);
  const scripts = [...html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)].map(([, text]) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`);
  assert.equal(scripts.length, 1);
  assert.deepEqual(directives['script-src'], [...scripts, "'wasm-unsafe-eval'"], 'only the file\'s own script, by hash');
  assert.deepEqual(directives['connect-src'], ["'none'"], 'the file fetches nothing');
  assert.deepEqual(directives['object-src'], ["'none'"]);
  assert.deepEqual(directives['base-uri'], ["'none'"]);

  const page = await session.context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') session.problems.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => session.problems.pageErrors.push(error.stack ?? String(error)));
  await page.goto(offlineFile.href);
  for (const slug of readySlugs) {
    await page.locator(`a[href="#lesson=${slug}"]`).click();
    const lesson = page.locator(`attention-lesson[name="${slug}"][data-ready]`);
    await lesson.waitFor();
    await lesson.locator('.lesson-widget:not([data-ready])').first().waitFor({ state: 'detached' });
    await exerciseControls(page, lesson);
    await page.getByRole('link', { name: 'attention-lab: all lessons' }).click();
  }
  await page.close();
});

test('the service worker works under the policy, drops copies from before it, and a lesson answered from its cache keeps the policy', async () => {
  const context = await freshContext();
  try {
    const site = session.server.url;
    const page = await context.newPage();
    await page.goto(new URL('favicon.svg', site).href);
    await page.evaluate(async () => (await caches.open('attention-lab')).put('/stale', new Response('a copy without the policy')));
    await page.goto(site);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    assert.ok(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), 'the service worker controls the page');
    assert.deepEqual(await page.evaluate(() => caches.keys()), ['attention-lab-v2'], 'the copies from before the policy are gone');
    await context.setOffline(true);
    const lesson = await context.newPage();
    const response = await lesson.goto(new URL(`lesson.html?lesson=${readySlugs[0]}`, site).href);
    assert.ok(response.fromServiceWorker(), 'the lesson page came from the service worker');
    const policy = response.headers()['content-security-policy'];
    assert.ok(policy, 'the cached page has its policy');
    assertRequiredDirectives(policy, 'the cached lesson page');
    await lesson.locator('body[data-lesson-ready]').waitFor();
    await lesson.locator('.lesson-widget:not([data-ready])').first().waitFor({ state: 'detached' });
    await exerciseControls(lesson, lesson, { exportFigure: false });
    const inlineScriptRan = await lesson.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.inlineScriptRan = true;';
      document.body.append(script);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return window.inlineScriptRan === true;
    });
    assert.equal(inlineScriptRan, false, 'the policy is enforced on the cached page');
    const seen = violations.splice(0).map(({ effectiveDirective, blockedURI }) => `${effectiveDirective} ${blockedURI}`);
    assert.deepEqual(seen, ['script-src-elem inline'], 'the one violation is the one provoked');
    const refusals = session.problems.consoleErrors.filter((message) => /Content Security Policy/.test(message));
    assert.equal(refusals.length, 1);
    session.problems.consoleErrors.splice(0, Infinity, ...session.problems.consoleErrors.filter((message) => !refusals.includes(message)));
  } finally {
    await context.close();
  }
});
