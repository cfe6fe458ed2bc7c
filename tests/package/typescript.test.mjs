// Packaging, TypeScript: the installed tarball's hand-written types (dist/attention-lab.d.ts,
// found through the `types` condition of the exports map) check strict typed programs
// for Node (moduleResolution nodenext) and for a bundled page (moduleResolution bundler),
// the Node one runs, and wrong calls fail to compile, so the check can fail.
//
// tsc comes from the repository's node_modules; the typed programs are in ./typed/.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { packAndInstall, root, tool, writeFiles } from './packed.mjs';

const tsc = tool('typescript/bin/tsc');
const typed = join(root, 'tests', 'package', 'typed');
const example = (name) => readFileSync(join(typed, name), 'utf8');

const strict = {
  strict: true,
  target: 'es2022',
  skipLibCheck: false, // check the package's .d.ts too
  forceConsistentCasingInFileNames: true,
};

let installed;
before(() => {
  installed = packAndInstall('typescript');
  writeFiles(installed.app, {
    'node-example.ts': example('node-example.ts'),
    'browser-example.ts': example('browser-example.ts'),
    'wrong-calls.ts': example('wrong-calls.ts'),
    'tsconfig.node.json': JSON.stringify({
      compilerOptions: {
        ...strict, module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022'],
        types: ['node'], typeRoots: [join(root, 'node_modules', '@types')], outDir: 'build',
        skipLibCheck: true, // @types/node is large; the other two programs check the package's .d.ts
      },
      files: ['node-example.ts'],
    }),
    'tsconfig.browser.json': JSON.stringify({
      compilerOptions: {
        ...strict, module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'], types: [],
      },
      files: ['browser-example.ts'],
    }),
    'tsconfig.wrong.json': JSON.stringify({
      compilerOptions: {
        ...strict, module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'], types: [],
      },
      files: ['wrong-calls.ts'],
    }),
  });
});
after(() => installed?.remove());

/** Runs tsc in the app; resolves to { status, output }. */
function runTsc(args) {
  const r = spawnSync(process.execPath, [tsc, ...args], { cwd: installed.app, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

test('the tarball ships the types and the exports map points TypeScript at them', () => {
  assert.ok(installed.files.includes('dist/attention-lab.d.ts'), `ships the .d.ts: ${installed.files}`);
  const manifest = JSON.parse(readFileSync(join(installed.app, 'node_modules', 'attention-lab', 'package.json'), 'utf8'));
  assert.equal(manifest.types, './dist/attention-lab.d.ts');
  assert.equal(Object.keys(manifest.exports['.'])[0], 'types', 'the types condition comes first');
  assert.equal(manifest.exports['.'].types, './dist/attention-lab.d.ts');
});

test('tsc --noEmit passes on a strict typed Node program, which then compiles and runs', () => {
  const check = runTsc(['--noEmit', '-p', 'tsconfig.node.json']);
  assert.equal(check.status, 0, check.output);

  const build = runTsc(['-p', 'tsconfig.node.json', '--noCheck']); // just checked: emit only
  assert.equal(build.status, 0, build.output);
  const result = JSON.parse(execFileSync(process.execPath, [join('build', 'node-example.js')], { cwd: installed.app, encoding: 'utf8' }));
  const e = Math.E;
  assert.equal(result.variant, 'simd');
  assert.equal(result.simd, true);
  assert.equal(result.scalarVariant, 'scalar');
  assert.equal(result.scalarSimd, false);
  assert.ok(Math.abs(result.weights[0] - e / (e + 1)) < 1e-6, `weights ${result.weights}`);
  assert.ok(Math.abs(result.output[0] - (10 * e + 20) / (e + 1)) < 1e-4, `output ${result.output}`);
  assert.ok(Math.abs(result.fusedOutput[0] - result.output[0]) < 1e-4);
  assert.deepEqual(result.scores, [1, null], 'causal: key 1 is masked (-Infinity, null in JSON)');
  assert.equal(result.maybe, 2);
  assert.equal(result.mhaOutput, 4);
  assert.equal(result.headEntropy, 2);
  assert.equal(result.tiedOutput, 4);
  assert.equal(result.experimentWeights, 16);
  assert.ok(result.logitVariance > 0.8 && result.logitVariance < 1.2, `scaled logit variance ${result.logitVariance}`);
  assert.equal(result.noise, 4);
  assert.equal(result.scratch, 'number');
  assert.equal(result.makeLab, 'function');
  assert.equal(result.mixtureOfActive, 2);
  assert.equal(result.retrievalCount, 1);
  assert.equal(result.chasePositions, 15);
  assert.equal(result.answerAccuracy, 'number');
  assert.equal(result.curve, 4);
  assert.equal(result.dropped, 2);
  assert.equal(result.gradK, 4);
  assert.equal(result.stepsTaken, 3);
  assert.equal(result.seenLength, 6, '[CLS], the signal and 4 noise tokens');
  assert.equal(result.taskWeights, 60);
  assert.deepEqual(result.tasks, ['easy', 'medium', 'hard']);
});

test('tsc --noEmit passes on a strict typed page script (moduleResolution bundler, DOM)', () => {
  const check = runTsc(['--noEmit', '-p', 'tsconfig.browser.json']);
  assert.equal(check.status, 0, check.output);
});

test('tsc --noEmit rejects every wrong call, and only those', () => {
  const source = example('wrong-calls.ts').split('\n');
  const expected = source.flatMap((line, i) => (/;\s*\/\/ wrong:/.test(line) ? [i + 1] : []));
  assert.ok(expected.length >= 10);
  const check = runTsc(['--noEmit', '-p', 'tsconfig.wrong.json']);
  assert.notEqual(check.status, 0, 'tsc accepted the wrong calls');
  const errorLines = new Set(
    [...check.output.matchAll(/^wrong-calls\.ts\((\d+),\d+\): error TS\d+/gm)].map((m) => Number(m[1])),
  );
  const missed = expected.filter((line) => !errorLines.has(line)).map((line) => `${line}: ${source[line - 1].trim()}`);
  assert.deepEqual(missed, [], `no error for:\n${missed.join('\n')}\n\ntsc said:\n${check.output}`);
  const unexpected = [...errorLines].filter((line) => !expected.includes(line));
  assert.deepEqual(unexpected, [], `errors on lines not marked wrong:\n${check.output}`);
  assert.ok(!/attention-lab\.d\.ts/.test(check.output), `errors inside the package's types:\n${check.output}`);
});
