/**
 * A small static file server for attention-lab, with no dependencies beyond Node.
 *
 * The site is a handful of mounts: URL prefixes, each backed by one folder on disk
 * (the front end, the built WASM module, the lessons). The server answers GET and HEAD,
 * sends files with their MIME type (WASM as application/wasm, so the browser can compile
 * it while streaming), never looks outside a mount's folder, and tells the browser to
 * revalidate every time (`Cache-Control: no-cache`) so a rebuild shows on reload. Files
 * are readable from any origin (`Access-Control-Allow-Origin: *`): the embed script runs
 * in other sites' pages and in sandboxed iframes, whose origin is opaque.
 *
 * It is built to face hostile clients: a request-target is read strictly before use
 * (server/request-target.mjs), every failure is answered with a 4xx (or a 500) and never
 * ends the process, a redirect only ever points to a path on this origin, and every
 * response carries the site's Content-Security-Policy (server/content-security-policy.mjs).
 *
 * Run directly (`node web/serve.mjs`) it serves on PORT, or 8080, or a free port if
 * 8080 is taken, and prints the address in one line.
 */
import { STATUS_CODES, createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy, importMapHashes } from './server/content-security-policy.mjs';
import { BadRequestError, parseRequestTarget, sameOriginPath } from './server/request-target.mjs';

const webRoot = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(webRoot, '..');

/**
 * The npm packages the pages use at run time (math typesetting, plotting scales and
 * their dependencies), each served from its own folder under /vendor/, so a lesson
 * never needs another origin. Only these packages are reachable, not all of node_modules.
 */
export const vendorPackages = Object.freeze([
  'katex', 'd3-array', 'd3-color', 'd3-format', 'd3-interpolate', 'd3-path', 'd3-scale', 'd3-shape',
  'd3-time', 'd3-time-format', 'markdown-it', 'markdown-it-footnote',
]);

/** The folders served by default, keyed by URL prefix. */
export const defaultMounts = Object.freeze({
  '/': webRoot,
  '/dist/': join(repoRoot, 'dist'),
  '/lessons/': join(repoRoot, 'lessons'),
  '/examples/': join(repoRoot, 'examples'),
  ...Object.fromEntries(vendorPackages.map((name) => [`/vendor/${name}/`, join(repoRoot, 'node_modules', name)])),
});

const mimeTypes = {
  '.html': 'text/html; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.md': 'text/markdown; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** The MIME type for a file name, by its extension. */
export function mimeTypeOf(fileName) {
  return mimeTypes[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/** The mounts as path segments (longest first) and absolute folders. */
function prepareMounts(mounts) {
  return Object.entries(mounts)
    .map(([prefix, folder]) => ({ segments: prefix.split('/').filter(Boolean), root: resolve(folder) }))
    .sort((a, b) => b.segments.length - a.segments.length);
}

/** Whether `file` is `root` or inside it. */
const isInside = (file, root) => file === root || file.startsWith(root + sep);

/**
 * Finds the file to send for decoded path segments (see server/request-target.mjs):
 * the longest mount whose prefix they start with, then the file, or a folder's
 * index.html. Names starting with '.' are never served, and a symbolic link may not lead
 * out of its mount. Resolves to `{ file, size, folderIndex }`, or null.
 */
async function findServableFile(segments, mounts) {
  const mount = mounts.find(({ segments: prefix }) => prefix.every((name, index) => segments[index] === name));
  if (!mount) return null;
  const rest = segments.slice(mount.segments.length);
  if (rest.some((name) => name.startsWith('.'))) return null;
  try {
    const root = await realpath(mount.root);
    let file = await realpath(join(mount.root, ...rest));
    let info = await stat(file);
    const folderIndex = info.isDirectory();
    if (folderIndex) {
      file = await realpath(join(file, 'index.html'));
      info = await stat(file);
    }
    if (!info.isFile() || !isInside(file, root)) return null;
    return { file, size: info.size, folderIndex };
  } catch {
    return null;
  }
}

/** Headers every response carries, whatever it is. */
function commonHeaders() {
  return {
    'Cache-Control': 'no-cache',
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
  };
}

function sendText(response, status, text, extraHeaders = {}) {
  response.writeHead(status, {
    ...commonHeaders(),
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...extraHeaders,
  });
  response.end(text);
}

/** Sends a found file: HTML is read whole, so the policy can hash its import map; the rest is streamed. */
async function sendFile(request, response, { file, size }) {
  const headers = {
    ...commonHeaders(),
    'Content-Type': mimeTypeOf(file),
    'Access-Control-Allow-Origin': '*',
    'Accept-Ranges': 'none',
  };
  if (extname(file).toLowerCase() === '.html') {
    const html = await readFile(file);
    headers['Content-Security-Policy'] = contentSecurityPolicy({ scriptHashes: importMapHashes(html.toString('utf8')) });
    response.writeHead(200, { ...headers, 'Content-Length': html.length });
    response.end(request.method === 'HEAD' ? undefined : html);
    return;
  }
  response.writeHead(200, { ...headers, 'Content-Length': size });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  await pipeline(createReadStream(file), response).catch(() => response.destroy());
}

/** Answers one request; throws a BadRequestError for a malformed one. */
async function respond(request, response, mounts) {
  if (request.httpVersionMajor !== 1) {
    sendText(response, 505, 'HTTP Version Not Supported: this server speaks HTTP/1.0 and HTTP/1.1\n');
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendText(response, 405, 'Method not allowed\n', { Allow: 'GET, HEAD' });
    return;
  }
  if ((request.headersDistinct.host?.length ?? 0) > 1) throw new BadRequestError(400, 'the request has more than one Host header');
  const target = parseRequestTarget(request.url);
  const found = await findServableFile(target.segments, mounts);
  if (!found || (target.trailingSlash && !found.folderIndex && target.segments.length)) {
    sendText(response, 404, 'Not found\n');
    return;
  }
  if (found.folderIndex && !target.trailingSlash) {
    const location = sameOriginPath(target.segments, { trailingSlash: true, query: target.query });
    response.writeHead(301, { ...commonHeaders(), Location: location, 'Content-Length': 0 });
    response.end();
    return;
  }
  await sendFile(request, response, found);
}

/** The request handler: every failure is answered (a 4xx for a bad request) and the server keeps serving. */
function handleRequest(mounts) {
  const prepared = prepareMounts(mounts);
  return (request, response) => {
    respond(request, response, prepared).catch((error) => {
      const expected = error instanceof BadRequestError;
      if (!expected) console.error(`serve: ${request.method} ${JSON.stringify(request.url)}: ${error.stack ?? error}`);
      try {
        if (response.headersSent) throw error;
        const status = expected ? error.status : 500;
        sendText(response, status, `${STATUS_CODES[status]}${expected ? `: ${error.message}` : ''}\n`);
      } catch {
        response.destroy();
      }
    });
  };
}

/** CONNECT (a proxy tunnel) reaches Node outside the request handler: refuse it there too. */
function refuseConnect(request, socket) {
  socket.on('error', () => socket.destroy());
  socket.end('HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
}

function listen(server, port, host) {
  return new Promise((resolveListen, rejectListen) => {
    const onError = (error) => {
      server.off('listening', onListening);
      rejectListen(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolveListen();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Starts serving. `port` 0 picks a free port; `mounts` adds to (or overrides) the
 * default mounts, e.g. `{ '/bench/': benchFolder }`.
 * Resolves to `{ url, port, close }`, where `close()` resolves once the server stopped.
 */
export async function startServer({ port = 0, host = '127.0.0.1', mounts = {} } = {}) {
  const allMounts = { ...defaultMounts, ...mounts };
  const server = createServer(handleRequest(allMounts));
  server.on('connect', refuseConnect);
  await listen(server, port, host);
  const actualPort = server.address().port;
  return {
    url: `http://${host}:${actualPort}/`,
    port: actualPort,
    close: () =>
      new Promise((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}

async function main() {
  const host = '127.0.0.1';
  const requested = process.env.PORT;
  let served;
  if (requested !== undefined && requested !== '') {
    served = await startServer({ port: Number(requested), host });
  } else {
    try {
      served = await startServer({ port: 8080, host });
    } catch (error) {
      if (error.code !== 'EADDRINUSE') throw error;
      served = await startServer({ port: 0, host });
    }
  }
  console.log(`attention-lab is served at ${served.url}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
