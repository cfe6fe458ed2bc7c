/**
 * The static server the browser tests (and learners with a local copy) rely on: MIME
 * types the browser needs (WASM must be application/wasm), 404s, no way out of a
 * mount, no-cache headers, extra mounts, and the one-line banner when run directly.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../web/serve.mjs';

const serverScript = fileURLToPath(new URL('../../web/serve.mjs', import.meta.url));

let server;
let extraFolder;

before(async () => {
  extraFolder = await mkdtemp(join(tmpdir(), 'attention-lab-serve-'));
  await writeFile(join(extraFolder, 'core.wasm'), Buffer.from([0, 97, 115, 109]));
  await writeFile(join(extraFolder, 'data.json'), '{"ok":true}');
  server = await startServer({ port: 0, mounts: { '/extra/': extraFolder } });
});

after(async () => {
  await server?.close();
  await rm(extraFolder, { recursive: true, force: true });
});

/** A raw GET that sends the path exactly as written (fetch would normalise `..`). */
function rawGet(path) {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port: server.port, path, method: 'GET' }, (response) => {
      response.resume();
      response.on('end', () => resolve(response));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

test('serves the landing page and its modules with their MIME types and no-cache', async () => {
  const expected = {
    '/': 'text/html',
    '/style.css': 'text/css',
    '/app.mjs': 'text/javascript',
    '/favicon.svg': 'image/svg+xml',
    '/extra/core.wasm': 'application/wasm',
    '/extra/data.json': 'application/json',
  };
  for (const [path, type] of Object.entries(expected)) {
    const response = await rawGet(path);
    assert.equal(response.statusCode, 200, path);
    assert.equal(response.headers['content-type'].split(';')[0], type, path);
    assert.equal(response.headers['cache-control'], 'no-cache', path);
  }
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
});

test('answers 404 for missing files and for any path that leaves its mount', async () => {
  for (const path of [
    '/missing.html',
    '/../package.json',
    '/%2e%2e/package.json',
    '/..%2fpackage.json',
    '/lessons/..%2fpackage.json',
    '/lessons/%2e%2e%5cpackage.json',
    '/%00index.html',
  ]) {
    assert.equal((await rawGet(path)).statusCode, 404, path);
  }
});

test('run directly, it prints one line with its address and serves there', async () => {
  const child = spawn(process.execPath, [serverScript], { env: { ...process.env, PORT: '0' } });
  try {
    const banner = await new Promise((resolve, reject) => {
      child.stdout.once('data', (chunk) => resolve(chunk.toString()));
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    const match = banner.match(/^attention-lab is served at (http:\/\/127\.0\.0\.1:\d+\/)\n$/);
    assert.ok(match, `banner: ${JSON.stringify(banner)}`);
    const response = await fetch(match[1]);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /<attention-explorer>/);
  } finally {
    child.kill();
  }
});
