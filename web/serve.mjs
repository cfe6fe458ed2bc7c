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
 * Run directly (`node web/serve.mjs`) it serves on PORT, or 8080, or a free port if
 * 8080 is taken, and prints the address in one line.
 */
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/**
 * Maps a URL path to a file inside one mount, or null when no mount holds it.
 * The longest matching prefix wins; a path that climbs out of the mount's folder
 * (`..`, encoded or not) maps to nothing.
 */
export function resolveRequestPath(urlPath, mounts) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  for (const prefix of prefixes) {
    const bare = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
    if (decoded !== bare && !decoded.startsWith(bare + '/')) continue;
    const root = resolve(mounts[prefix]);
    const file = resolve(root, '.' + decoded.slice(bare.length));
    if (file === root || file.startsWith(root + sep)) return file;
    return null;
  }
  return null;
}

/** Finds the file to send for a resolved path: the file itself, or a folder's index.html. */
async function findServableFile(file) {
  try {
    const info = await stat(file);
    if (info.isFile()) return { file, size: info.size };
    if (info.isDirectory()) return findServableFile(join(file, 'index.html'));
  } catch {
    return null;
  }
  return null;
}

function sendText(response, status, text, extraHeaders = {}) {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-cache',
    ...extraHeaders,
  });
  response.end(text);
}

function handleRequest(mounts) {
  return async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendText(response, 405, 'Method not allowed\n', { Allow: 'GET, HEAD' });
      return;
    }
    const urlPath = new URL(request.url, 'http://localhost').pathname;
    const resolved = resolveRequestPath(urlPath, mounts);
    const found = resolved && (await findServableFile(resolved));
    if (!found) {
      sendText(response, 404, 'Not found\n');
      return;
    }
    if (!urlPath.endsWith('/') && found.file !== resolved) {
      response.writeHead(301, { Location: urlPath + '/', 'Cache-Control': 'no-cache' });
      response.end();
      return;
    }
    response.writeHead(200, {
      'Content-Type': mimeTypeOf(found.file),
      'Content-Length': found.size,
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      'Access-Control-Allow-Origin': '*',
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    createReadStream(found.file)
      .on('error', () => response.destroy())
      .pipe(response);
  };
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
