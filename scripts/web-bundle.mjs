/**
 * What the embed script (build-web.mjs) and the offline page (build-offline.mjs) share:
 * one esbuild bundle of the front end, with a generated module `attention-lab:assets`
 * holding what a page would otherwise fetch — the lesson texts and data files, the site's and KaTeX's
 * CSS for the shadow roots, KaTeX's @font-face rules, and how to create the attention
 * core. The two builds differ only in where fonts and WASM come from: files beside the
 * bundle, or data inlined into it.
 */
import { build } from 'esbuild';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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
 * Bundles `entry` (a path under web/) into one ES module and resolves to its code.
 * `fontFaceCss` and `coreOptions` are JavaScript expressions for the generated module:
 * the @font-face CSS text, and the options passed to the Emscripten factory.
 */
export async function bundleWeb({ entry, fontFaceCss, coreOptions }) {
  const assetsSource = [
    `import createAttentionCore from ${JSON.stringify(join(repoRoot, 'dist', 'attention-core.mjs'))};`,
    `import { makeLab } from ${JSON.stringify(join(repoRoot, 'dist', 'lab.mjs'))};`,
    `export const lessonTexts = ${JSON.stringify(await readLessonTexts())};`,
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
