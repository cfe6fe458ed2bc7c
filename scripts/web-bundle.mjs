/**
 * What the embed script (build-web.mjs) and the offline page (build-offline.mjs) share:
 * one esbuild bundle of the front end, with a generated module `attention-lab:assets`
 * holding what a page would otherwise fetch — the lesson texts, data files and images (as
 * data: URLs), the site's and KaTeX's CSS for the shadow roots, the theme's colours
 * (web/theme.css), KaTeX's @font-face rules, and how to create the attention core. The two builds differ only in where fonts and WASM come from: files beside the
 * bundle, or data inlined into it.
 */
import { build } from 'esbuild';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const katexDist = join(repoRoot, 'node_modules', 'katex', 'dist');

const fontFacePattern = /@font-face\{[^}]*\}/g;
const fontMarker = 'attention-lab-font:';

/** Every lesson file's text by slug (the lessons folder, without its README). */
export async function readLessonTexts() {
  const files = (await readdir(join(repoRoot, 'lessons'))).filter((file) => file.endsWith('.md') && file !== 'README.md');
  const entries = await Promise.all(files.sort().map(async (file) => [file.slice(0, -3), await readFile(join(repoRoot, 'lessons', file), 'utf8')]));
  return Object.fromEntries(entries);
}

const imageTypes = { '.png': 'image/png', '.svg': 'image/svg+xml', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.gif': 'image/gif' };

/** Every image under lessons/ as a data: URL, by its path there ("figures/a.png"). */
export async function readLessonImages() {
  const folder = join(repoRoot, 'lessons');
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const images = {};
  for (const entry of entries) {
    const type = imageTypes[extname(entry.name).toLowerCase()];
    if (!entry.isFile() || !type) continue;
    const file = join(entry.parentPath ?? entry.path, entry.name);
    images[relative(folder, file).split(sep).join('/')] = `data:${type};base64,${(await readFile(file)).toString('base64')}`;
  }
  return images;
}

/** Every lessons/data/*.json file, parsed, by file name: data lessons share (e.g. the vocabulary). */
export async function readLessonData() {
  const folder = join(repoRoot, 'lessons', 'data');
  const files = (await readdir(folder).catch(() => [])).filter((file) => file.endsWith('.json')).sort();
  const entries = await Promise.all(files.map(async (file) => [file, JSON.parse(await readFile(join(folder, file), 'utf8'))]));
  return Object.fromEntries(entries);
}

/** The KaTeX font files the pages use (WOFF2, which every browser that runs WASM SIMD reads). */
export async function katexFontFiles() {
  return (await readdir(join(katexDist, 'fonts'))).filter((file) => file.endsWith('.woff2')).sort();
}

/**
 * KaTeX's CSS split in two: its @font-face rules, each reduced to its WOFF2 source
 * written as `url("attention-lab-font:<file>")` for the build to point somewhere, and the rest.
 */
async function splitKatexCss() {
  const css = await readFile(join(katexDist, 'katex.min.css'), 'utf8');
  const fontFaces = (css.match(fontFacePattern) ?? []).map((rule) =>
    rule.replace(/src:[^;}]*url\(fonts\/([\w-]+\.woff2)\)[^;}]*/, (_, file) => `src:url("${fontMarker}${file}") format("woff2")`));
  return { fontFaceCss: fontFaces.join('\n'), rest: css.replace(fontFacePattern, '') };
}

/** The @font-face CSS with each font's URL given by `urlOf(file)`. */
export async function fontFaceCssWith(urlOf) {
  const { fontFaceCss } = await splitKatexCss();
  const replacements = await Promise.all([...fontFaceCss.matchAll(/attention-lab-font:([\w-]+\.woff2)/g)].map(([, file]) => urlOf(file)));
  let index = 0;
  return fontFaceCss.replace(/attention-lab-font:[\w-]+\.woff2/g, () => replacements[index++]);
}

/** The CSS inside every embedded element's shadow root: KaTeX (fonts aside), the site, the embed theme. */
async function shadowCss() {
  const { rest } = await splitKatexCss();
  const site = await readFile(join(repoRoot, 'web', 'style.css'), 'utf8');
  const embed = await readFile(join(repoRoot, 'web', 'embed', 'embed.css'), 'utf8');
  return [rest, site, embed].join('\n');
}

/**
 * The training worker (web/runtime/training-worker.mjs) bundled into one script with the
 * core's JavaScript: its code. 'esm' (a module worker, which finds the .wasm beside
 * itself) for dist/web/; 'iife' (a classic worker, which takes the core's bytes from the
 * page) for the offline file, since Chromium starts no module worker from a blob: URL in
 * a page opened from file://.
 */
export async function bundleTrainingWorker({ format = 'esm' } = {}) {
  const result = await build({
    entryPoints: [join(repoRoot, 'web', 'runtime', 'training-worker.mjs')],
    bundle: true,
    format,
    // A classic script has no import.meta; the core's loader still builds a URL from it,
    // which is never fetched, since this worker gets the core's bytes.
    define: format === 'iife' ? { 'import.meta.url': JSON.stringify('file:///attention-lab/training-worker.js') } : {},
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'warning',
    external: ['fs', 'path', 'crypto', 'module', 'url', 'worker_threads'],
  });
  return result.outputFiles[0].text;
}

/**
 * Bundles `entry` (a path under web/) into one ES module and resolves to its code.
 * `fontFaceCss` and `coreOptions` are JavaScript expressions for the generated module:
 * the @font-face CSS text, and the options passed to the Emscripten factory.
 * `extraAssets`: more statements for the generated module, placed before the exports
 * (coreOptions may use what they define).
 */
export async function bundleWeb({ entry, fontFaceCss, coreOptions, extraAssets = '' }) {
  const assetsSource = [
    `import createAttentionCore from ${JSON.stringify(join(repoRoot, 'dist', 'attention-core.mjs'))};`,
    `import { makeLab } from ${JSON.stringify(join(repoRoot, 'dist', 'lab.mjs'))};`,
    extraAssets,
    `export const lessonTexts = ${JSON.stringify(await readLessonTexts())};`,
    `export const lessonImages = ${JSON.stringify(await readLessonImages())};`,
    `export const themeCss = ${JSON.stringify(await readFile(join(repoRoot, 'web', 'theme.css'), 'utf8'))};`,
    `export const lessonData = ${JSON.stringify(await readLessonData())};`,
    `export const shadowCss = ${JSON.stringify(await shadowCss())};`,
    `export const fontFaceCss = ${fontFaceCss};`,
    `export const createLab = async () => makeLab(await createAttentionCore(${coreOptions}), 'simd');`,
  ].join('\n');
  const assets = {
    name: 'attention-lab-assets',
    setup(builder) {
      builder.onResolve({ filter: /^attention-lab:assets$/ }, () => ({ path: 'assets', namespace: 'attention-lab' }));
      builder.onLoad({ filter: /.*/, namespace: 'attention-lab' }, () => ({ contents: assetsSource, loader: 'js', resolveDir: repoRoot }));
    },
  };
  const result = await build({
    entryPoints: [join(repoRoot, 'web', entry)],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'warning',
    external: ['fs', 'path', 'crypto', 'module', 'url', 'worker_threads'],
    plugins: [assets],
  });
  return result.outputFiles[0].text;
}
