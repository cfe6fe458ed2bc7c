/**
 * The Content-Security-Policy every page of attention-lab runs under: the browser runs
 * only our own script files (and WebAssembly compiled from our own bytes), never inline
 * script, eval or script from elsewhere, and the page talks to no one but its own origin.
 * A lesson that tried to inject script or load from another site would be stopped by the
 * browser even if our own checks missed it.
 *
 * Two places use it: the server sends it as a header with every response (web/serve.mjs),
 * and the single offline file carries it in a <meta> element (scripts/build-offline.mjs),
 * where the only script is inline and is allowed by its SHA-256 hash.
 */
import { createHash } from 'node:crypto';

/**
 * The policy text. `scriptHashes` are 'sha256-…' sources for the inline scripts the
 * page may run (the lesson page's import map; the offline file's one module). `page` is
 * 'site' for pages we serve, 'file' for the offline file, which loads nothing at all.
 *
 * Why each directive (for 'site'; 'file' swaps 'self' for the data: it inlines):
 * - default-src 'none': whatever is not listed below (media, manifests, …) is refused.
 * - script-src 'self' + hashes + 'wasm-unsafe-eval': our modules, the import map, and
 *   WebAssembly.compile of the core; no 'unsafe-inline', no 'unsafe-eval'.
 * - style-src 'self' 'unsafe-inline': KaTeX writes style attributes and the embed adds
 *   <style> elements to shadow roots; styles cannot run script.
 * - img-src 'self' data: blob:: the favicon, data: icons, and figure exports (a PNG is
 *   drawn from a blob: SVG).
 * - font-src 'self': KaTeX's fonts, served from /vendor/ and beside the embed script.
 * - connect-src 'self': fetches of the WASM core, lessons and the service worker's copies.
 * - worker-src 'self': the service worker and lesson Web Workers, from our origin only
 *   ('file': blob:, the training worker the offline file starts from its own inlined code).
 * - frame-src 'self': our pages may frame our own pages (an embed demo), nothing else.
 * - object-src 'none', base-uri 'none', form-action 'none': no plugins, no <base>
 *   hijacking relative URLs, no form posting anywhere (forms are handled in script).
 * - frame-ancestors is deliberately absent: any site may embed a lesson in an iframe.
 */
export function contentSecurityPolicy({ scriptHashes = [], page = 'site' } = {}) {
  if (page !== 'site' && page !== 'file') throw new Error(`contentSecurityPolicy: page must be 'site' or 'file', not ${JSON.stringify(page)}`);
  const own = page === 'site' ? ["'self'"] : [];
  const ownOrNone = own.length ? own : ["'none'"];
  const directives = {
    'default-src': ["'none'"],
    'script-src': [...own, ...scriptHashes.map((hash) => `'${hash}'`), "'wasm-unsafe-eval'"],
    'style-src': [...own, "'unsafe-inline'"],
    'img-src': [...own, 'data:', 'blob:'],
    'font-src': page === 'site' ? own : ['data:'],
    'connect-src': ownOrNone,
    'worker-src': page === 'site' ? own : ['blob:'],
    'frame-src': ownOrNone,
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
  };
  return Object.entries(directives).map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

/**
 * The CSP hash source of an inline script's text ('sha256-<base64>'), as the browser
 * computes it: over the UTF-8 text after the HTML parser turned CR LF and CR into LF.
 */
export function scriptHash(text) {
  return `sha256-${createHash('sha256').update(text.replace(/\r\n?/g, '\n'), 'utf8').digest('base64')}`;
}

const inlineScriptPattern = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
const importMapType = /(?:^|\s)type\s*=\s*(["']?)importmap\1(?=\s|\/|$)/i;

/**
 * The hashes of the import maps written inline in an HTML page. Only import maps are
 * hashed: any other inline script stays refused, so the policy itself enforces the
 * house rule that pages carry no inline script.
 */
export function importMapHashes(html) {
  return [...html.matchAll(inlineScriptPattern)]
    .filter(([, attributes]) => importMapType.test(attributes) && !/(?:^|\s)src\s*=/i.test(attributes))
    .map(([, , text]) => scriptHash(text));
}
