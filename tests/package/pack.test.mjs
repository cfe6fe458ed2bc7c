// Packaging: `npm pack`, install the tarball into an empty folder, import it from Node
// the way a user would, and compute attention.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { packAndInstall } from './packed.mjs';

let installed;
after(() => installed?.remove());

test('the packed tarball installs into an empty project and computes attention', () => {
  installed = packAndInstall('pack');
  const { app, files } = installed;
  assert.ok(files.includes('dist/attention-core.wasm'), 'ships the wasm');
  assert.ok(files.includes('dist/node.mjs') && files.includes('dist/attention-lab.mjs'), 'ships both entries');
  assert.ok(files.includes('dist/attention-lab.d.ts'), 'ships the types');
  assert.ok(!files.some((f) => f.startsWith('web/') || f.startsWith('bench/') || f.startsWith('src/')), `ships only the module: ${files}`);
  assert.ok(files.includes('dist/web/attention-lab-embed.js') && files.includes('dist/web/attention-core.wasm'), 'ships the elements bundle');
  assert.ok(files.includes('dist/web/attention-lab-training-worker.js'), 'ships the training worker the elements start');
  assert.ok(files.some((f) => f.startsWith('dist/web/fonts/') && f.endsWith('.woff2')), 'ships the fonts the elements use');
  assert.ok(!files.includes('dist/web/precache.json'), 'not the hosted site\'s precache list');

  writeFileSync(join(app, 'main.mjs'), `
import createAttentionLab from 'attention-lab';
const lab = await createAttentionLab();
const { output, weights } = lab.attention({
  q: new Float32Array([1, 0]), k: new Float32Array([1, 0, 0, 1]), v: new Float32Array([10, 20]),
  nq: 1, nk: 2, dk: 2, dv: 1, scaling: 'none',
});
console.log(JSON.stringify({ elements: import.meta.resolve('attention-lab/elements'), output: [...output], weights: [...weights], simd: lab.simd }));
`);
  const result = JSON.parse(execFileSync('node', ['main.mjs'], { cwd: app, encoding: 'utf8' }));
  const e = Math.E;
  assert.ok(Math.abs(result.weights[0] - e / (e + 1)) < 1e-6);
  assert.ok(Math.abs(result.output[0] - (10 * e + 20) / (e + 1)) < 1e-4);
  assert.equal(result.simd, true);
  assert.ok(result.elements.endsWith('/node_modules/attention-lab/dist/web/attention-lab-embed.js'), result.elements);
});
