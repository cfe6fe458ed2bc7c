/**
 * Builds what the hosted site adds to dist/web/:
 * - attention-lab-embed.js, the embed script (see web/embed/embed-entry.mjs), with
 *   attention-core.wasm and KaTeX's fonts (fonts/) beside it;
 * - precache.json, every file the site's pages and lessons need, for the service worker
 *   (web/sw.js) to keep, as paths relative to the site root where web/ is mounted.
 * Run: node scripts/build-web.mjs (after the WASM build).
 */
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { bundleWeb, fontFaceCssWith, katexDist, katexFontFiles, readLessonData, readLessonTexts, repoRoot } from './web-bundle.mjs';
import { vendorPackages } from '../web/serve.mjs';

const outDir = join(repoRoot, 'dist', 'web');

/** Files under `folder` (recursively) whose names end in one of `extensions`. */
async function filesUnder(folder, extensions) {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && extensions.some((extension) => entry.name.endsWith(extension)))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

/** The site's files as the service worker requests them (relative to the site root). */
async function precacheList() {
  const web = join(repoRoot, 'web');
  const siteFiles = (await filesUnder(web, ['.html', '.css', '.mjs', '.svg']))
    .map((file) => relative(web, file))
    .filter((file) => !file.startsWith('embed/') && !file.startsWith('offline/') && file !== 'serve.mjs' && file !== 'sw.js');
  const vendorFiles = [];
  for (const name of vendorPackages) {
    const dist = join(repoRoot, 'node_modules', name, 'dist');
    const wanted = name === 'katex' ? ['katex.mjs', 'katex.min.css', '.woff2'] : [`${name}.mjs`];
    for (const file of await filesUnder(dist, wanted)) vendorFiles.push(`vendor/${name}/${relative(join(repoRoot, 'node_modules', name), file)}`);
  }
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
await copyFile(join(repoRoot, 'dist', 'attention-core.wasm'), join(outDir, 'attention-core.wasm'));
for (const file of await katexFontFiles()) await copyFile(join(katexDist, 'fonts', file), join(outDir, 'fonts', file));
const files = await precacheList();
await writeFile(join(outDir, 'precache.json'), `${JSON.stringify({ files }, null, 2)}\n`);
console.log(`build-web: ok (${code.length} bytes dist/web/attention-lab-embed.js, ${files.length} files to precache)`);
