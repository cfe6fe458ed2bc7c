/**
 * Builds what the hosted site adds to dist/web/:
 * - attention-lab-embed.js, the embed script (see web/embed/embed-entry.mjs), with
 *   attention-core.wasm and KaTeX's fonts (fonts/) beside it, and the training worker
 *   attention-lab-training-worker.js (web/runtime/training-worker.mjs, bundled);
 * - precache.json, every file the site's pages and lessons need, for the service worker
 *   (web/sw.js) to keep, as paths relative to the site root where web/ is mounted
 *   (the vendored modules are those of web/lesson.html's import map).
 * Run: node scripts/build-web.mjs (after the WASM build).
 */
import { copyFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { bundleTrainingWorker, bundleWeb, fontFaceCssWith, katexDist, katexFontFiles, readLessonData, readLessonTexts, repoRoot } from './web-bundle.mjs';
import { vendorPackages } from '../web/serve.mjs';

const outDir = join(repoRoot, 'dist', 'web');

/** Files under `folder` (recursively) whose names end in one of `extensions`. */
async function filesUnder(folder, extensions) {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && extensions.some((extension) => entry.name.endsWith(extension)))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

/**
 * The vendored files the pages load: every module of the lesson page's import map (the
 * one list of them) and KaTeX's stylesheet; each must be a package the server serves.
 */
async function vendorFilesOfPages() {
  const page = await readFile(join(repoRoot, 'web', 'lesson.html'), 'utf8');
  const { imports } = JSON.parse(page.match(/<script type="importmap">([\s\S]*?)<\/script>/)[1]);
  const files = [...Object.values(imports), './vendor/katex/dist/katex.min.css'].map((path) => path.replace(/^\.\//, ''));
  for (const file of files) {
    const name = file.split('/')[1];
    if (!vendorPackages.includes(name)) throw new Error(`web/lesson.html loads ${file}, but web/serve.mjs does not serve ${name}`);
  }
  return files;
}

/** The site's files as the service worker requests them (relative to the site root). */
async function precacheList() {
  const web = join(repoRoot, 'web');
  const siteFiles = (await filesUnder(web, ['.html', '.css', '.mjs', '.svg']))
    .map((file) => relative(web, file))
    .filter((file) => !file.startsWith('embed/') && !file.startsWith('offline/') && !file.startsWith('server/') && file !== 'serve.mjs' && file !== 'sw.js');
  const vendorFiles = await vendorFilesOfPages();
  for (const file of await filesUnder(join(katexDist, 'fonts'), ['.woff2'])) vendorFiles.push(`vendor/katex/dist/fonts/${relative(join(katexDist, 'fonts'), file)}`);
  const lessons = [
    ...Object.keys(await readLessonTexts()).map((slug) => `lessons/${slug}.md`),
    ...Object.keys(await readLessonData()).map((file) => `lessons/data/${file}`),
  ];
  const core = [...(await readdir(join(repoRoot, 'dist'))).filter((file) => file.endsWith('.mjs')).sort(), 'attention-core.wasm']
    .map((file) => `dist/${file}`);
  return ['./', ...siteFiles.sort(), ...vendorFiles.sort(), ...core, ...lessons];
}

await rm(outDir, { recursive: true, force: true });
await mkdir(join(outDir, 'fonts'), { recursive: true });
const code = await bundleWeb({
  entry: 'embed/embed-entry.mjs',
  fontFaceCss: `${JSON.stringify(await fontFaceCssWith((file) => file))}.replace(/url\\("([\\w-]+\\.woff2)"\\)/g, (_, file) => \`url("\${new URL('./fonts/' + file, import.meta.url).href}")\`)`,
  coreOptions: `{ locateFile: () => new URL('./attention-core.wasm', import.meta.url).href }`,
});
await writeFile(join(outDir, 'attention-lab-embed.js'), code);
await writeFile(join(outDir, 'attention-lab-training-worker.js'), await bundleTrainingWorker());
await copyFile(join(repoRoot, 'dist', 'attention-core.wasm'), join(outDir, 'attention-core.wasm'));
for (const file of await katexFontFiles()) await copyFile(join(katexDist, 'fonts', file), join(outDir, 'fonts', file));
const files = await precacheList();
await writeFile(join(outDir, 'precache.json'), `${JSON.stringify({ files }, null, 2)}\n`);
console.log(`build-web: ok (${code.length} bytes dist/web/attention-lab-embed.js, ${files.length} files to precache)`);
