// Shared by the packaging tests: `npm pack` the repository, then install the tarball into
// a fresh, empty project the way a user would (offline, from the npm cache), so tests
// import the package exactly as published, never the working tree.
//
// Tools the tests drive (TypeScript, Vite) come from the repository's own node_modules;
// nothing but the tarball is installed into the temporary project.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const root = fileURLToPath(new URL('../..', import.meta.url));

/** An executable script of a package in the repository's node_modules (run it with `node`). */
export const tool = (path) => join(root, 'node_modules', path);

const npm = (args, cwd) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * Packs the repository into a temporary folder and installs the tarball into an empty
 * project `app` beside it (package.json with "type": "module" and `packageJson` merged in).
 * Returns { work, app, tarball, files (paths inside the tarball), remove() }.
 */
export function packAndInstall(name, packageJson = {}) {
  const work = mkdtempSync(join(tmpdir(), `attention-lab-${name}-`));
  try {
    const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], root));
    const tarball = join(work, packed.filename);
    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({
      name: `${name}-app`, version: '1.0.0', type: 'module', private: true, ...packageJson,
    }, null, 2));
    npm(['install', '--no-audit', '--no-fund', '--offline', tarball], app);
    return {
      work,
      app,
      tarball,
      files: packed.files.map((f) => f.path),
      remove: () => rmSync(work, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
}

/** Writes `files` ({ relative path: text }) into `folder`, creating subfolders. */
export function writeFiles(folder, files) {
  for (const [path, text] of Object.entries(files)) {
    const file = join(folder, path);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
  }
}
