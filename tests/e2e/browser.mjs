/**
 * A guarded browser session for end-to-end tests: the site served on a free local port,
 * Debian's headless Chromium driven by playwright-core, and a record of everything that
 * should never happen on a page — console errors, uncaught page errors, and requests
 * to any host other than 127.0.0.1 (those are aborted, so a page that would reach the
 * network fails the test instead of silently depending on it).
 *
 * Usage: `const session = await startBrowserSession();`, then `session.openPage('/')`,
 * `session.assertNoProblems()` after each test, and `session.close()` at the end.
 */
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer } from '../../web/serve.mjs';

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const localHost = '127.0.0.1';

/**
 * The host a request goes to; a blob: URL goes to the origin that created it, and
 * data: and file: URLs (a page opened from disk) stay on this machine.
 */
function requestHost(url) {
  const parsed = new URL(url.startsWith('blob:') ? url.slice('blob:'.length) : url);
  return parsed.protocol === 'data:' || parsed.protocol === 'file:' ? localHost : parsed.hostname;
}

/**
 * Serves the site (default mounts plus `mounts`) and launches Chromium.
 * Resolves to a session whose `problems` collects console errors, page errors and
 * foreign requests from every page it opened.
 */
export async function startBrowserSession({ mounts = {}, viewport = { width: 1280, height: 800 } } = {}) {
  const server = await startServer({ port: 0, mounts });
  let browser;
  try {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
  } catch (error) {
    await server.close();
    throw error;
  }
  const context = await browser.newContext({ viewport });
  // The machine is shared and noisy: a lesson's sweep can take tens of seconds of wall time.
  context.setDefaultTimeout(180_000);
  const problems = { consoleErrors: [], pageErrors: [], foreignRequests: [] };

  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (requestHost(url) === localHost) return route.continue();
    problems.foreignRequests.push(url);
    return route.abort('blockedbyclient');
  });

  return {
    server,
    browser,
    context,
    problems,

    /**
     * Opens `path` (relative to the server root) in a new page that reports problems;
     * `viewport` sizes it, `colorScheme` ('light' or 'dark') sets prefers-color-scheme.
     */
    async openPage(path = '/', { viewport: pageSize, colorScheme } = {}) {
      const page = await context.newPage();
      if (pageSize) await page.setViewportSize(pageSize);
      if (colorScheme) await page.emulateMedia({ colorScheme });
      page.on('console', (message) => {
        if (message.type() === 'error') {
          problems.consoleErrors.push(`${message.text()} (${message.location().url ?? 'unknown'})`);
        }
      });
      page.on('pageerror', (error) => problems.pageErrors.push(error.stack ?? String(error)));
      await page.goto(new URL(path, server.url).href);
      return page;
    },

    /**
     * Fails, listing them, if any console error, page error or foreign request was seen
     * since the last call; then starts a fresh record, so each test answers for its own.
     */
    assertNoProblems() {
      const seen = structuredClone(problems);
      for (const list of Object.values(problems)) list.length = 0;
      assert.deepEqual(seen, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
    },

    async close() {
      await browser.close();
      await server.close();
    },
  };
}
