// 100,000 mixed calls, valid and hostile, with the WebAssembly memory, the bytes malloc
// has handed out and the JS heap measured before and after: no growth beyond the bounds
// stated below. The figures are printed as test diagnostics.
//   MEMORY_CALLS=1000000 node --test tests/js/memory.test.mjs   for a longer run
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';

import createAttentionCore from '../../dist/attention-core.mjs';
import { makeLab } from '../../dist/lab.mjs';
import * as ref from './reference.mjs';

const CALLS = Number(process.env.MEMORY_CALLS ?? 100000);
/** JS heap growth allowed over the whole run: 40 bytes per call would exceed it. */
const JS_HEAP_BOUND = 4 << 20;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

/** The calls, in a fixed cycle: each either returns or throws an Error (counted). */
function callsOf(lab) {
  const q = ref.normals(8 * 4, 1), k = ref.normals(10 * 4, 2), v = ref.normals(10 * 3, 3);
  const args = { q, k, v, nq: 8, nk: 10, dk: 4, dv: 3 };
  const d = 8;
  const mha = { x: ref.normals(6 * d, 4), n: 6, dModel: d, heads: 2, wq: ref.normals(64, 5), wk: ref.normals(64, 6), wv: ref.normals(64, 7), wo: ref.normals(64, 8) };
  const weights = lab.attention(args).weights;
  const out = new Float32Array(24);
  return [
    () => lab.attention(args),
    () => lab.attention({ ...args, weights: false, out }),
    () => lab.attention({ ...args, mask: 'local', window: 1, scores: true, temperature: 1e-45 }),
    () => lab.attention({ ...args, heads: 2 }), // hostile: arrays too short
    () => lab.attention({ ...args, temprature: 2 }), // hostile: unknown option
    () => lab.attention({ ...args, q: [...q.slice(0, 31), NaN] }), // hostile: NaN, found by the core
    () => lab.attention({ ...args, nq: 2 ** 31 }), // hostile: integer beyond the core
    () => lab.attention({ ...args, temperature: 1e-46 }), // hostile: below float32
    () => lab.multiHeadAttention(mha),
    () => lab.multiHeadAttention({ ...mha, weights: false, mask: 'causal' }),
    () => lab.multiHeadAttention({ ...mha, x: new Float32Array(48).fill(3e38) }), // hostile: overflow, found by the core
    () => lab.entropy({ weights, rows: 8, cols: 10 }),
    () => lab.effectiveTokens({ weights, rows: 8, cols: 10 }),
    () => lab.maxWeight({ weights: [2, -1], rows: 1, cols: 2 }), // hostile: not a distribution, found by the core
    () => lab.mixtureEntropy({ weights, heads: 2, rows: 4, cols: 10 }),
    () => lab.mixtureEntropy({ weights, heads: 0, rows: 4, cols: 10 }), // hostile
    () => lab.variance({ values: q }),
    () => lab.randomNormal({ seed: 3, count: 64 }),
    () => lab.scalingExperiment({ dk: 2, samples: 32, keys: 4 }),
    () => lab.scalingExperiment({ dk: 1, keys: 2 ** 26, samples: 2 ** 26 }), // hostile: aborted before
    // The lessons' later parts of the API, each with a hostile call.
    () => lab.project({ x: q, w: ref.normals(16, 9), n: 8, dIn: 4, dOut: 4, heads: 2 }),
    () => lab.project({ x: [3e38], w: [3e38], n: 1, dIn: 1, dOut: 1 }), // hostile: overflow, found by the core
    () => lab.attention({ ...args, dropout: 0.3, seed: 5 }),
    () => lab.attentionBackward({ ...args, gradOutput: ref.normals(24, 10), mask: 'causal' }),
    () => lab.attentionBackward({ ...args, gradOutput: [1] }), // hostile: wrong length
    () => lab.influence({ reader: 'local', n: 12, position: 5, layers: 2, window: 2, seed: 1 }),
    () => lab.influence({ reader: 'rnn', n: 12, position: 11, hidden: 8, seed: 2 }),
    () => lab.influence({ reader: 'conv', n: 12, position: 20, layers: 2, kernel: 3, seed: 1 }), // hostile: position past n
    () => lab.monotonicAlignment({ scores: ref.normals(20, 11), rows: 4, cols: 5 }),
    () => lab.monotonicAlignment({ scores: [1], rows: 2 ** 16, cols: 2 ** 16 }), // hostile: too large
    () => lab.pointerChase({ pointers: [1, 2, 3, 0, 2], layers: 3, sharpness: 20, dim: 3, seed: 4 }),
    () => lab.pointerChase({ pointers: [0, 9], layers: 2, sharpness: 4 }), // hostile: pointer out of range
    () => lab.retrieval({ output: out, values: ref.normals(30, 12), rows: 8, cols: 3, valueRows: 10, targets: [0, 1, 2, 3, -1, 5, 6, 7] }),
    () => {
      const trainer = lab.createTrainer({ task: 'noise', noiseTokens: 2, seed: 1 });
      try {
        trainer.step(2);
        return trainer.metrics();
      } finally {
        trainer.dispose();
      }
    },
    () => lab.createTrainer({ task: 'spurious', batch: 49 }), // hostile: batch too large
  ];
}

/** A call whose scratch (32 MiB) is more than the workspace keeps: made every 10,000 calls. */
function hugeCall(lab) {
  const dk = 2 ** 22;
  return () => lab.attention({ q: new Float32Array(dk), k: new Float32Array(2 * dk), v: [1, 2], nq: 1, nk: 2, dk, dv: 1 });
}

test(`${CALLS} mixed calls leak nothing: WASM memory, malloc'd bytes and the JS heap`, async (t) => {
  const wasmBinary = await readFile(new URL('../../dist/attention-core.wasm', import.meta.url));
  const core = await createAttentionCore({ wasmBinary });
  const lab = makeLab(core);
  const calls = callsOf(lab);
  const huge = hugeCall(lab);
  let failed = 0;
  const run = (i) => {
    try {
      (i % 10000 === 5000 ? huge : calls[i % calls.length])();
    } catch (e) {
      if (!(e instanceof Error)) throw e;
      failed += 1;
    }
  };
  const measure = () => {
    gc();
    return { wasm: core.HEAP8.buffer.byteLength, malloc: core.heapBytesInUse(), js: process.memoryUsage().heapUsed };
  };

  // Warm up: every call, the huge one, every call again (as the run ends).
  for (let i = 0; i < calls.length; i++) run(i);
  run(5000);
  for (let i = 0; i < calls.length; i++) run(i);
  const before = measure();
  failed = 0;
  for (let i = 0; i < CALLS; i++) run(i);
  const after = measure();

  const mib = (x) => `${(x / 2 ** 20).toFixed(2)} MiB`;
  t.diagnostic(`calls: ${CALLS} (${failed} threw an Error, ${CALLS - failed} returned)`);
  t.diagnostic(`WASM memory: ${mib(before.wasm)} -> ${mib(after.wasm)}`);
  t.diagnostic(`malloc'd bytes in use: ${before.malloc} -> ${after.malloc}`);
  t.diagnostic(`JS heap used: ${mib(before.js)} -> ${mib(after.js)} (bound: +${mib(JS_HEAP_BOUND)})`);
  assert.ok(failed > CALLS / 3 && failed < CALLS, 'the mix holds both kinds of call');
  assert.ok(before.malloc > 0, 'malloc reports the scratch the workspace keeps');
  assert.equal(after.wasm, before.wasm, 'WASM memory grew');
  assert.equal(after.malloc, before.malloc, 'bytes in use by malloc changed');
  assert.ok(after.js - before.js <= JS_HEAP_BOUND, `JS heap grew by ${mib(after.js - before.js)}`);
  assert.ok(lab.retainedScratchBytes() <= 16 << 20);
});
