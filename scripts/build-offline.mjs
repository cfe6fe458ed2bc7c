/**
 * Writes dist/attention-lab-offline.html: every lesson in one self-contained file that
 * works opened from disk (file://) with no network — the bundled runtime, lessons and
 * CSS (see web-bundle.mjs and web/offline/offline-page.mjs), KaTeX's fonts as data: URIs
 * and the WASM core as base64, handed to the core as `wasmBinary`, and the training
 * worker's code, which the page starts from a blob: URL with the same bytes. A <meta>
 * element gives it a strict Content-Security-Policy (web/server/content-security-policy.mjs,
 * 'file' form): its one inline script, allowed by SHA-256 hash, and nothing loaded from anywhere.
 * Run: npm run build:offline (after the WASM build).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleTrainingWorker, bundleWeb, fontFaceCssWith, katexDist, repoRoot } from './web-bundle.mjs';
import { contentSecurityPolicy, scriptHash } from '../web/server/content-security-policy.mjs';

const base64Of = async (path) => (await readFile(path)).toString('base64');

const wasm = await base64Of(join(repoRoot, 'dist', 'attention-core.wasm'));
const code = await bundleWeb({
  entry: 'offline/offline-page.mjs',
  fontFaceCss: JSON.stringify(await fontFaceCssWith(async (file) => `data:font/woff2;base64,${await base64Of(join(katexDist, 'fonts', file))}`)),
  extraAssets: [
    `export const wasmBytes = () => Uint8Array.from(atob(${JSON.stringify(wasm)}), (c) => c.charCodeAt(0));`,
    `export const trainingWorkerSource = ${JSON.stringify(await bundleTrainingWorker({ format: 'iife' }))};`,
  ].join('\n'),
  coreOptions: '{ wasmBinary: wasmBytes() }',
});
const siteCss = await readFile(join(repoRoot, 'web', 'style.css'), 'utf8');
const favicon = `data:image/svg+xml;base64,${await base64Of(join(repoRoot, 'web', 'favicon.svg'))}`;

/** Keeps the inlined code from closing its own <script> element. */
const inlineScript = (text) => text.replace(/<\/(script)/gi, '<\\/$1');

const script = inlineScript(code);
/** The page's policy, first in <head> so it covers everything after it: only this one script may run. */
const policy = contentSecurityPolicy({ page: 'file', scriptHashes: [scriptHash(script)] });

const html = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="${policy}">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>attention-lab (offline)</title>
  <link rel="icon" href="${favicon}" type="image/svg+xml">
  <style>${siteCss}
#page:focus { outline: none; }</style>
  <script type="module">${script}</script>
</head>
<body>
  <header class="site-header">
    <p class="site-nav"><a href="#">attention-lab: all lessons</a></p>
  </header>
  <main id="page" tabindex="-1">
    <p>Loading the lessons… (this page needs JavaScript)</p>
  </main>
  <footer class="site-footer">
    <p>attention-lab runs entirely in your browser, from this one file; it loads nothing from anywhere.</p>
  </footer>
</body>
</html>
`;
const out = join(repoRoot, 'dist', 'attention-lab-offline.html');
await writeFile(out, html);
console.log(`build-offline: ok (${html.length} bytes dist/attention-lab-offline.html)`);
