// Packaging: `npm pack`, install the tarball into an empty folder, import it from Node
// the way a user would, and compute attention.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'attention-lab-pack-'));
after(() => rmSync(work, { recursive: true, force: true }));

const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

test('the packed tarball installs into an empty project and computes attention', () => {
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], root));
  const files = packed.files.map((f) => f.path);
  assert.ok(files.includes('dist/attention-core.wasm'), 'ships the wasm');
  assert.ok(files.includes('dist/node.mjs') && files.includes('dist/attention-lab.mjs'), 'ships both entries');
  assert.ok(!files.some((f) => f.startsWith('web/') || f.startsWith('bench/') || f.startsWith('src/')), `ships only the module: ${files}`);

  const app = join(work, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', type: 'module', private: true }));
  npm(['install', '--no-audit', '--no-fund', '--offline', join(work, packed.filename)], app);
  writeFileSync(join(app, 'main.mjs'), `
import createAttentionLab from 'attention-lab';
const lab = await createAttentionLab();
const { output, weights } = lab.attention({
  q: new Float32Array([1, 0]), k: new Float32Array([1, 0, 0, 1]), v: new Float32Array([10, 20]),
  nq: 1, nk: 2, dk: 2, dv: 1, scaling: 'none',
});
console.log(JSON.stringify({ output: [...output], weights: [...weights], simd: lab.simd }));
`);
  const result = JSON.parse(execFileSync('node', ['main.mjs'], { cwd: app, encoding: 'utf8' }));
  const e = Math.E;
  assert.ok(Math.abs(result.weights[0] - e / (e + 1)) < 1e-6);
  assert.ok(Math.abs(result.output[0] - (10 * e + 20) / (e + 1)) < 1e-4);
  assert.equal(result.simd, true);
});
