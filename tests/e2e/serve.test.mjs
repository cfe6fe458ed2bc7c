/**
 * The static server the browser tests (and learners with a local copy) rely on: MIME
 * types the browser needs (WASM must be application/wasm), 404s, no way out of a mount,
 * no-cache headers, extra mounts, the one-line banner when run directly — and that it
 * survives hostile clients: a table of malformed and hostile requests, sent as raw bytes
 * over TCP to a server in its own process, each answered with the status it deserves and
 * followed by a normal request that must still succeed; and a table of redirect attempts,
 * every one of which must stay on the server's origin.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const serverScript = fileURLToPath(new URL('../../web/serve.mjs', import.meta.url));

let workFolder;
let extraFolder;
let rootFolder;
let served;

/**
 * Starts `web/serve.mjs` in a child process with extra mounts, so that a request that
 * killed the server would show as the child's exit rather than take the test down.
 * The child also ends when its stdin closes, so it never outlives the test.
 */
async function startChildServer(mounts) {
  const source = `import { startServer } from ${JSON.stringify(serverScript)};
const served = await startServer({ port: 0, mounts: ${JSON.stringify(mounts)} });
process.stdin.on('end', () => process.exit(0)).resume();
console.log(served.url);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', source], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr = [];
  child.stderr.on('data', (chunk) => stderr.push(chunk.toString()));
  const url = await new Promise((resolve, reject) => {
    child.stdout.once('data', (chunk) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr.join('')}`)));
  });
  return { child, url, port: Number(new URL(url).port), stderr };
}

before(async () => {
  workFolder = await mkdtemp(join(tmpdir(), 'attention-lab-serve-'));
  extraFolder = join(workFolder, 'extra');
  rootFolder = join(workFolder, 'root');
  const outside = join(workFolder, 'outside');
  await mkdir(join(extraFolder, 'sub', 'deeper'), { recursive: true });
  await mkdir(join(extraFolder, 'no-index'), { recursive: true });
  await mkdir(outside, { recursive: true });
  await writeFile(join(extraFolder, 'core.wasm'), Buffer.from([0, 97, 115, 109]));
  await writeFile(join(extraFolder, 'data.json'), '{"ok":true}');
  await writeFile(join(extraFolder, '.secret'), 'hidden');
  await writeFile(join(extraFolder, '%2e%2e'), 'a file whose name looks encoded');
  await writeFile(join(extraFolder, 'sub', 'index.html'), '<!doctype html><title>sub</title>');
  await writeFile(join(extraFolder, 'sub', 'deeper', 'index.html'), '<!doctype html><title>deeper</title>');
  await writeFile(join(outside, 'secret.txt'), 'outside the mount');
  await symlink(outside, join(extraFolder, 'link-out'));
  await symlink(join(outside, 'secret.txt'), join(extraFolder, 'secret-link.txt'));
  await symlink(join(extraFolder, 'data.json'), join(extraFolder, 'inside-link.json'));
  // A site root whose folders are named like hosts, for the redirect table.
  for (const name of ['evil.example', 'a', 'x%2F..', 'sp ace', 'ünï']) {
    await mkdir(join(rootFolder, name), { recursive: true });
    await writeFile(join(rootFolder, name, 'index.html'), '<!doctype html><title>folder</title>');
  }
  await writeFile(join(rootFolder, 'index.html'), '<!doctype html><title>root</title>');
  served = await startChildServer({ '/extra/': extraFolder, '/other-root/': rootFolder });
});

after(async () => {
  served?.child.kill();
  await rm(workFolder, { recursive: true, force: true });
});

/**
 * Sends `bytes` exactly as given over a new TCP connection and resolves to every byte
 * the server answered, once `responses` whole responses have come (`methods[i]` says
 * whether response i answers a HEAD), the server closed the connection, or 5 s passed.
 * With `abort`, the client closes the connection as soon as the bytes are written.
 */
function exchange(bytes, { port = served.port, abort = false, responses = 1, methods = [] } = {}) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks = [];
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      if (readResponses(Buffer.concat(chunks), methods).length >= responses) socket.destroy();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    socket.write(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'latin1'), () => abort && socket.destroy());
  });
}

/**
 * The whole HTTP/1.x responses at the start of `raw`, as `{ status, headers, body }`, each
 * body read by its Content-Length (to the end of `raw` without one).
 */
function readResponses(raw, methods = []) {
  const responses = [];
  let offset = 0;
  while (offset < raw.length) {
    const headEnd = raw.indexOf('\r\n\r\n', offset);
    if (headEnd < 0) break;
    const [statusLine, ...lines] = raw.subarray(offset, headEnd).toString('latin1').split('\r\n');
    const headers = Object.fromEntries(lines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    }));
    const status = Number(/^HTTP\/1\.[01] (\d{3}) /.exec(statusLine)?.[1]);
    const hasBody = methods[responses.length] !== 'HEAD' && status !== 304 && status >= 200;
    const length = hasBody ? Number(headers['content-length'] ?? raw.length - headEnd - 4) : 0;
    if (headEnd + 4 + length > raw.length) break;
    responses.push({ statusLine, status, headers, body: raw.subarray(headEnd + 4, headEnd + 4 + length) });
    offset = headEnd + 4 + length;
  }
  return responses;
}

/** Every response in `raw`, which must hold nothing else. */
function parseResponses(raw, methods = []) {
  const responses = readResponses(raw, methods);
  for (const { statusLine, status } of responses) assert.ok(status >= 100, `a status line: ${JSON.stringify(statusLine)}`);
  return responses;
}

/** A GET request line and headers for `target` (HTTP/1.1, a Host header). */
const get = (target, headers = '') => `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`;
const withMethod = (method, target = '/') => `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;

/** The first response `bytes` gets, parsed. */
async function firstResponse(bytes, options) {
  const [response] = parseResponses(await exchange(bytes, options));
  return response;
}

/** A normal request that must still succeed after every hostile one. */
async function assertStillServing(afterWhat) {
  const response = await firstResponse(get('/'));
  assert.equal(response?.status, 200, `GET / after ${afterWhat}`);
  assert.match(response.body.toString(), /<attention-explorer>/);
}

const longPath = `/${'a'.repeat(3000)}`;
const hugePath = `/${'a'.repeat(20000)}`;

/**
 * Malformed and hostile requests, by class, with the status each must get. `null`
 * means the connection is simply dropped: the client closed it before any answer.
 */
const hostileRequests = [
  // The URL parser crash and its relatives: targets that start like a network path.
  ['//[ (the original crash)', get('//['), 400],
  ['//[::1', get('//[::1'), 400],
  ['//a//evil.example/x%2F..%2F.. (the original redirect)', get('//a//evil.example/x%2F..%2F..'), 400],
  ['//evil.example/', get('//evil.example/'), 404],
  ['/\\evil.example', get('/\\evil.example'), 400],
  ['//:@/', get('//:@/'), 404],
  // Bad percent-encoding and bytes that are not UTF-8 once decoded.
  ['lone %', get('/%'), 400],
  ['%zz', get('/%zz'), 400],
  ['short %2', get('/index.html%2'), 400],
  ['%u002e', get('/%u002e%u002e/package.json'), 400],
  ['%ff', get('/%ff'), 400],
  ['overlong UTF-8 dot %c0%ae', get('/%c0%ae%c0%ae/package.json'), 400],
  ['UTF-16 surrogate %ed%a0%80', get('/%ed%a0%80'), 400],
  ['truncated UTF-8 %e2%82', get('/%e2%82'), 400],
  ['bad % in the query', get('/?q=%'), 400],
  ['a raw "#" in the target', get('/#fragment'), 400],
  ['markup in the query', get('/?<script>'), 400],
  // Traversal with ".." in every encoding.
  ['..', get('/../package.json'), 400],
  ['. segment', get('/./index.html'), 400],
  ['%2e%2e', get('/%2e%2e/package.json'), 400],
  ['%2E%2E upper case', get('/%2E%2E/package.json'), 400],
  ['.%2e mixed', get('/.%2e/package.json'), 400],
  ['%2e. mixed', get('/%2e./package.json'), 400],
  ['..%2f', get('/..%2fpackage.json'), 400],
  ['..%2F', get('/..%2Fpackage.json'), 400],
  ['%2f..%2f inside a mount', get('/lessons/%2f..%2f..%2fpackage.json'), 400],
  ['..%5c', get('/lessons/..%5cpackage.json'), 400],
  ['%2e%2e%5C', get('/lessons/%2e%2e%5Cpackage.json'), 400],
  ['raw backslashes', get('/lessons/..\\..\\package.json'), 400],
  ['.. out of a vendor mount', get('/vendor/katex/../../package.json'), 400],
  ['%2e%2e out of a vendor mount', get('/vendor/katex/%2e%2e/%2e%2e/package.json'), 400],
  ['double-encoded %252e%252e is a name, not a step up', get('/%252e%252e/package.json'), 404],
  ['double-encoded %252e%252e%252f', get('/lessons/%252e%252e%252fpackage.json'), 404],
  ['..; (a Tomcat trick)', get('/dist/..;/package.json'), 404],
  ['full-width dots', get('/%ef%bc%8e%ef%bc%8e/package.json'), 404],
  ['.. after a NUL', get('/lessons/..%00/package.json'), 400],
  // NUL, control bytes, raw bytes that are not ASCII.
  ['%00', get('/%00index.html'), 400],
  ['%0d%0a (header injection)', get('/extra/sub%0d%0aSet-Cookie:%20x=1'), 400],
  ['%09 tab', get('/index%09.html'), 400],
  ['%7f DEL', get('/index%7f.html'), 400],
  ['%c2%85 (a C1 control)', get('/index%c2%85.html'), 400],
  ['raw NUL byte', get('/\u0000'), 400],
  ['raw DEL byte', get('/\u007f'), 400],
  ['raw bytes that are not UTF-8', get('/\u00ff\u00fe'), 400],
  ['raw UTF-8 (unencoded)', get('/caf\u00c3\u00a9'), 400],
  ['raw ESC byte', get('/\u001b[31m'), 400],
  ['NUL in a header value', get('/', 'X-Test: a\u0000b\r\n'), 400],
  ['a header name with a space', get('/', 'Bad Name: x\r\n'), 400],
  ['an obsolete folded header', get('/', 'X-Test: a\r\n folded\r\n'), 400],
  // Request-target forms other than a path.
  ['absolute-form with another host (served from here)', get('http://evil.example/index.html'), 200],
  ['absolute-form to a network path', get('http://evil.example//evil.example/'), 404],
  ['absolute-form ftp:', get('ftp://evil.example/'), 400],
  ['absolute-form with a bad host', get('http://[::1/'), 200],
  ['javascript: URL', get('javascript:alert(1)'), 400],
  ['http: without slashes', get('http:index.html'), 400],
  ['authority-form', get('127.0.0.1:80'), 400],
  ['authority-form of another host', get('evil.example:443'), 400],
  ['asterisk-form with GET', get('*'), 400],
  ['asterisk-form with OPTIONS', withMethod('OPTIONS', '*'), 405],
  ['an empty target', 'GET  HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', 400],
  // Sizes.
  ['a 3,000-character path', get(longPath), 414],
  ['a 20,000-character path', get(hugePath), 431],
  ['a 20,000-character header', get('/', `X-Big: ${'b'.repeat(20000)}\r\n`), 431],
  ['2,000 small headers', get('/', Array.from({ length: 2000 }, (_, i) => `X-${i}: ${i}\r\n`).join('')), 431],
  // Protocol versions and request lines.
  ['HTTP/1.0 without Host', 'GET / HTTP/1.0\r\n\r\n', 200],
  ['HTTP/1.1 without Host', 'GET / HTTP/1.1\r\n\r\n', 400],
  ['two Host headers', get('/', 'Host: evil.example\r\n'), 400],
  ['HTTP/0.9', 'GET /\r\n\r\n', 505],
  ['HTTP/2 preface over HTTP/1', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 400],
  ['HTTP/9.9', 'GET / HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n', 400],
  ['lower-case method', withMethod('get'), 400],
  ['unknown method', withMethod('FOO'), 400],
  ['bare LF line ends', 'GET / HTTP/1.1\nHost: 127.0.0.1\n\n', 400],
  ['garbage bytes', '\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003', 400],
  ['Content-Length and Transfer-Encoding (smuggling)', get('/', 'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n') + '0\r\n\r\n', 400],
  ['two different Content-Lengths', get('/', 'Content-Length: 1\r\nContent-Length: 2\r\n') + 'ab', 400],
  ['a negative Content-Length', get('/', 'Content-Length: -1\r\n'), 400],
  ['a GET with a chunked body', get('/', 'Transfer-Encoding: chunked\r\n') + '3\r\nabc\r\n0\r\n\r\n', 200],
  ['an Upgrade request', get('/', 'Connection: Upgrade\r\nUpgrade: websocket\r\n'), 200],
  // Every method but GET and HEAD.
  ...['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK',
    'UNLOCK', 'SEARCH', 'PURGE', 'REPORT', 'MKACTIVITY', 'CHECKOUT', 'MERGE', 'M-SEARCH', 'NOTIFY', 'SUBSCRIBE',
    'UNSUBSCRIBE', 'ACL', 'BIND', 'UNBIND', 'REBIND', 'LINK', 'UNLINK', 'SOURCE', 'QUERY']
    .map((method) => [`method ${method}`, withMethod(method, method === 'CONNECT' ? '127.0.0.1:80' : '/'), 405]),
  ['HEAD', withMethod('HEAD', '/index.html'), 200],
  // Range and conditional headers are ignored: the whole file, every time.
  ['Range bytes=0-10', get('/index.html', 'Range: bytes=0-10\r\n'), 200],
  ['Range beyond the file', get('/index.html', 'Range: bytes=99999999999999999999-\r\n'), 200],
  ['Range with many parts', get('/index.html', `Range: bytes=${Array.from({ length: 500 }, (_, i) => `${i}-${i}`).join(',')}\r\n`), 200],
  ['Range garbage', get('/index.html', 'Range: pages=-\r\n'), 200],
  ['If-None-Match *', get('/index.html', 'If-None-Match: *\r\n'), 200],
  ['If-Modified-Since in the future', get('/index.html', 'If-Modified-Since: Fri, 31 Dec 9999 23:59:59 GMT\r\n'), 200],
  ['If-Modified-Since garbage', get('/index.html', 'If-Modified-Since: yesterday\r\n'), 200],
  ['If-Match and If-Unmodified-Since', get('/index.html', 'If-Match: "nope"\r\nIf-Unmodified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n'), 200],
  // Folders, dotfiles and symbolic links.
  ['a folder without index.html', get('/runtime'), 404],
  ['a folder without index.html, with a slash', get('/runtime/'), 404],
  ['a mount folder without index.html', get('/extra/no-index/'), 404],
  ['a file asked for as a folder', get('/index.html/'), 404],
  ['a dotfile', get('/extra/.secret'), 404],
  ['an encoded dotfile', get('/extra/%2esecret'), 404],
  ['a file named "%2e%2e" (reached only by double encoding)', get('/extra/%252e%252e'), 200],
  ['a symbolic link to a folder outside the mount', get('/extra/link-out/secret.txt'), 404],
  ['a symbolic link to a file outside the mount', get('/extra/secret-link.txt'), 404],
  ['a symbolic link inside the mount', get('/extra/inside-link.json'), 200],
];

test(`survives ${hostileRequests.length} malformed and hostile requests, answering each with its status`, async (t) => {
  let refused = 0;
  const unexpected = [];
  for (const [name, bytes, expected] of hostileRequests) {
    const method = bytes.startsWith('HEAD') ? 'HEAD' : 'GET';
    const raw = await exchange(bytes, { methods: [method] });
    const [response] = raw.length ? parseResponses(raw, [method]) : [];
    if ((response?.status ?? null) !== expected) unexpected.push(`${name}: ${response?.status} instead of ${expected}: ${JSON.stringify(raw.toString('latin1').slice(0, 120))}`);
    if (response && response.status >= 400) refused += 1;
    if (response?.status === 200 && method === 'GET') assert.ok(response.body.length > 0, `${name}: a body`);
    if (response?.status === 200) assert.ok(!/outside the mount/.test(response.body.toString()), `${name}: nothing from outside`);
    if (response?.headers.location !== undefined) assert.fail(`${name}: an unexpected redirect to ${response.headers.location}`);
    await assertStillServing(name);
  }
  assert.deepEqual(unexpected, []);
  assert.equal(served.child.exitCode, null, 'the server process is alive');
  assert.deepEqual(served.stderr, [], 'nothing went wrong inside the server');
  t.diagnostic(`${hostileRequests.length} hostile requests, ${refused} refused with a 4xx or 5xx`);
});

test('answers every request the server itself refuses with the policy, and says why', async () => {
  for (const target of ['//[', '/%ff', '/../package.json', '/missing.html']) {
    const response = await firstResponse(get(target));
    assert.ok(response.status >= 400 && response.status < 500, target);
    assert.match(response.headers['content-security-policy'], /default-src 'none'/, target);
    assert.equal(response.headers['content-type'], 'text/plain; charset=utf-8', target);
    assert.equal(response.headers['x-content-type-options'], 'nosniff', target);
  }
  const bad = await firstResponse(get('/..%2fpackage.json'));
  assert.match(bad.body.toString(), /^Bad Request: .*"\/"/);
});

test('pipelined requests are answered in order, a bad one among them included', async () => {
  const methods = ['GET', 'HEAD', 'GET', 'GET'];
  const raw = await exchange(get('/style.css') + withMethod('HEAD', '/index.html') + get('//[') + get('/favicon.svg'), { methods, responses: 4 });
  const responses = parseResponses(raw, methods);
  assert.deepEqual(responses.map(({ status }) => status), [200, 200, 400, 200]);
  assert.match(responses[0].headers['content-type'], /^text\/css/);
  assert.equal(responses[1].body.length, 0, 'HEAD has no body');
  assert.ok(Number(responses[1].headers['content-length']) > 0, 'HEAD tells the length');
  assert.match(responses[3].headers['content-type'], /^image\/svg\+xml/);
});

test('a client that goes away early does not disturb the server', async () => {
  for (const bytes of [
    get('/dist/attention-core.wasm'),
    get('/vendor/katex/dist/katex.mjs'),
    'GET /index.html HTTP/1.1\r\nHost: 12',
    'GET /ind',
    '',
  ]) {
    await exchange(bytes, { abort: true });
  }
  const sockets = await Promise.all(Array.from({ length: 20 }, () => exchange(get('/vendor/katex/dist/katex.mjs'), { abort: true })));
  assert.equal(sockets.length, 20);
  await assertStillServing('clients that closed early');
  assert.equal(served.child.exitCode, null);
  assert.deepEqual(served.stderr, []);
});

/**
 * Requests that might make the server redirect somewhere else, through folders whose
 * names look like hosts (mounted at /other-root/ and, in a second server, at the site root).
 */
const redirectAttempts = [
  '//a//evil.example/x%2F..%2F..',
  '//evil.example',
  '///evil.example',
  '////evil.example',
  '/%2fevil.example',
  '/%2F%2Fevil.example',
  '/%5cevil.example',
  '/%5C%5Cevil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '/.//evil.example',
  '/%2e//evil.example',
  '//evil.example?',
  '//evil.example?//other.example',
  '//evil.example?\\\\other.example',
  'http://evil.example//evil.example',
  'http://evil.example/',
  'https://evil.example//a',
  '//%65vil.example',
  '//evil%2eexample',
  '//evil.example%2f',
  '//evil.example%09',
  '//evil.example%00',
  '//a',
  '//a?next=//evil.example',
  '//x%252F..',
  '//x%2F..',
  '//sp%20ace',
  '//%c3%bcn%c3%af',
  '/%09/evil.example',
  '/%0a/evil.example',
  '//other-root//evil.example',
  '/other-root///a',
  '//other-root/%2e%2e/evil.example',
  '//extra//sub',
  '//extra//sub//deeper',
  '/extra/sub?//evil.example',
  '/extra/%73ub',
  '/extra/sub/deeper',
  '/extra/sub/deeper?x=1&y=//evil.example/',
];

/** A redirect target is only acceptable as a path on this origin: one leading '/', never '//' or '/\'. */
function assertSameOrigin(location, serverUrl, what) {
  assert.match(location, /^\/(?![/\\])/, `${what}: Location ${JSON.stringify(location)} is a path`);
  assert.doesNotMatch(location, /[\u0000-\u0020\\]/, `${what}: Location ${JSON.stringify(location)} holds no space, control or backslash`);
  assert.equal(new URL(location, serverUrl).origin, new URL(serverUrl).origin, `${what}: Location ${JSON.stringify(location)} stays here`);
}

test(`${redirectAttempts.length} redirect attempts, against two servers, all stay on the origin`, async (t) => {
  const rootServed = await startChildServer({ '/': rootFolder, '/extra/': extraFolder });
  try {
    let redirects = 0;
    let tried = 0;
    for (const server of [served, rootServed]) {
      for (const target of redirectAttempts) {
        tried += 1;
        const response = await firstResponse(get(target), { port: server.port });
        assert.ok(response, `${target}: an answer`);
        assert.ok([200, 301, 400, 404].includes(response.status), `${target}: status ${response.status}`);
        if (response.status !== 301) continue;
        redirects += 1;
        assertSameOrigin(response.headers.location, server.url, target);
        const next = await firstResponse(get(response.headers.location), { port: server.port });
        assert.equal(next.status, 200, `${target} → ${response.headers.location} is served`);
      }
    }
    const folder = await firstResponse(get('//evil.example'), { port: rootServed.port });
    assert.equal(folder.status, 301);
    assert.equal(folder.headers.location, '/evil.example/', 'a folder named like a host: a path, not a network path');
    assert.equal((await firstResponse(get('/extra/sub/deeper?x=1'))).headers.location, '/extra/sub/deeper/?x=1', 'the query is kept');
    assert.equal((await firstResponse(get('//%c3%bcn%c3%af'), { port: rootServed.port })).headers.location, '/%C3%BCn%C3%AF/');
    assert.ok(redirects >= 10, `some attempts reached a redirect (${redirects})`);
    assert.equal(rootServed.child.exitCode, null);
    assert.deepEqual(rootServed.stderr, []);
    t.diagnostic(`${tried} redirect attempts (${redirectAttempts.length} targets × 2 servers), ${redirects} redirected, all to this origin`);
  } finally {
    rootServed.child.kill();
  }
});

test('serves the landing page and its modules with their MIME types, no-cache and the policy', async () => {
  const expected = {
    '/': 'text/html',
    '/style.css': 'text/css',
    '/app.mjs': 'text/javascript',
    '/favicon.svg': 'image/svg+xml',
    '/extra/core.wasm': 'application/wasm',
    '/extra/data.json': 'application/json',
  };
  for (const [path, type] of Object.entries(expected)) {
    const response = await firstResponse(get(path));
    assert.equal(response.status, 200, path);
    assert.equal(response.headers['content-type'].split(';')[0], type, path);
    assert.equal(response.headers['cache-control'], 'no-cache', path);
    assert.equal(response.headers['access-control-allow-origin'], '*', path);
    assert.match(response.headers['content-security-policy'], /script-src 'self'/, path);
  }
  assert.match(served.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
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
