// Packaging, bundlers: a minimal Vite app (./vite-app/) installed beside the packed
// tarball. `vite build` must emit the .wasm files the browser entry finds with
// new URL(..., import.meta.url); the built page, served locally and opened in Chromium,
// must compute attention in the WASM core with no console error and no request leaving
// 127.0.0.1. The dev server (`vite`, with the app's vite.config.js) must work too.
//
// Vite comes from the repository's node_modules, never installed into the app.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { createServer as createViteServer } from 'vite';
import { startBrowserSession } from '../e2e/browser.mjs';
import { packAndInstall, root, tool, writeFiles } from './packed.mjs';

const appFiles = ['index.html', 'main.js', 'vite.config.js'];
const e = Math.E;
const expectedOutput = (10 * e + 20) / (e + 1); // softmax([1, 0]) . [10, 20]

let installed;
let session;
let viteDist;

before(async () => {
  installed = packAndInstall('vite');
  writeFiles(installed.app, Object.fromEntries(appFiles.map((name) =>
    [name, readFileSync(join(root, 'tests', 'package', 'vite-app', name), 'utf8')])));
  viteDist = join(installed.app, 'dist');
  // The built page is served at / by web/serve.mjs (through the browser session).
  session = await startBrowserSession({ mounts: { '/': viteDist } });
});

afterEach(() => session?.assertNoProblems());

after(async () => {
  await session?.close();
  installed?.remove();
});

/** Opens `url` and resolves to the JSON the page shows, and the .wasm responses it got. */
async function runPage(url) {
  const wasm = [];
  const onResponse = (response) => {
    const { pathname } = new URL(response.url());
    if (pathname.endsWith('.wasm')) {
      wasm.push({ path: pathname, status: response.status(), type: response.headers()['content-type'] });
    }
  };
  session.context.on('response', onResponse);
  try {
    const page = await session.openPage(url); // records console errors, page errors, foreign requests
    await page.locator('#result[data-state]').waitFor({ timeout: 20_000 });
    const state = await page.locator('#result').getAttribute('data-state');
    const text = await page.locator('#result').textContent();
    await page.close();
    assert.equal(state, 'done', `the page failed: ${text}`);
    return { result: JSON.parse(text), wasm };
  } finally {
    session.context.off('response', onResponse);
  }
}

function assertComputed(result) {
  assert.ok(Math.abs(result.output - expectedOutput) < 1e-4, `output ${result.output}, expected ${expectedOutput}`);
  assert.ok(Math.abs(result.weights[0] - e / (e + 1)) < 1e-6, `weights ${result.weights}`);
  assert.ok(Math.abs(result.scalarOutput - result.output) < 1e-4, `scalar ${result.scalarOutput}`);
  assert.equal(result.simd, true);
  assert.equal(result.scalarSimd, false);
}

test('vite build emits the package\'s .wasm files, and the built page computes attention in Chromium', async () => {
  const build = spawnSync(process.execPath, [tool('vite/bin/vite.js'), 'build'], {
    cwd: installed.app, encoding: 'utf8', timeout: 60_000,
  });
  assert.equal(build.status, 0, `vite build failed:\n${build.stdout}${build.stderr}`);

  const assets = readdirSync(join(viteDist, 'assets'));
  const wasmAssets = assets.filter((name) => name.endsWith('.wasm'));
  const shipped = (path) => readFileSync(join(installed.app, 'node_modules', 'attention-lab', 'dist', path));
  const emitted = wasmAssets.map((name) => readFileSync(join(viteDist, 'assets', name)));
  assert.equal(wasmAssets.length, 2, `one .wasm per variant: ${assets}`);
  assert.ok(emitted.some((bytes) => bytes.equals(shipped('attention-core.wasm'))), 'the SIMD .wasm is emitted');
  assert.ok(emitted.some((bytes) => bytes.equals(shipped('scalar/attention-core.wasm'))), 'the scalar .wasm is emitted');

  const { result, wasm } = await runPage(session.server.url);
  assertComputed(result);
  assert.ok(wasm.length >= 2, `both .wasm files were fetched: ${JSON.stringify(wasm)}`);
  for (const response of wasm) {
    assert.match(response.path, /^\/assets\/attention-core-[\w-]+\.wasm$/);
    assert.equal(response.status, 200);
    assert.equal(response.type, 'application/wasm');
  }
});

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

test('the Vite dev server, with the documented optimizeDeps.exclude, serves a working page', async () => {
  const port = await freePort();
  const server = await createViteServer({
    root: installed.app, // loads the app's vite.config.js
    logLevel: 'warn',
    clearScreen: false,
    server: { host: '127.0.0.1', port, strictPort: true },
  });
  try {
    await server.listen();
    const { result, wasm } = await runPage(`http://127.0.0.1:${port}/`);
    assertComputed(result);
    assert.ok(wasm.length >= 2, `both .wasm files were fetched: ${JSON.stringify(wasm)}`);
    for (const response of wasm) {
      assert.match(response.path, /^\/node_modules\/attention-lab\/dist\/(scalar\/)?attention-core\.wasm$/);
      assert.equal(response.status, 200);
      assert.equal(response.type, 'application/wasm');
    }
  } finally {
    await server.close();
  }
});
