// Reads the generated WebAssembly (wasm2wat, from Debian's wabt) to check that the hot
// paths use SIMD128 and none of the SSE intrinsics Emscripten 3.1.6 emulates slowly:
// min/max (compare + bitselect), rcp (division), hadd/dp, float->int conversions.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const wat = (path) => execFileSync('wasm2wat', [fileURLToPath(new URL(path, import.meta.url))], { encoding: 'utf8', maxBuffer: 64 << 20 });
const count = (text, op) => text.split(op).length - 1;

test('the SIMD module multiplies and adds with f32x4 and uses no emulated intrinsic', () => {
  const text = wat('../../dist/attention-core.wasm');
  assert.ok(count(text, 'f32x4.mul') >= 24, 'vector multiplies in the kernels');
  assert.ok(count(text, 'f32x4.pmax') > 0, 'max is the one-instruction pmax');
  for (const op of ['f32x4.min', 'f32x4.max', 'f32x4.lt', 'f32x4.gt', 'f32x4.div', 'i32x4.trunc_sat_f32x4', 'i32.trunc_sat_f32', 'i32.trunc_f32', 'lrintf']) {
    assert.equal(count(text, op), 0, `${op} appears: an emulated SSE intrinsic reached the module`);
  }
});

test('the scalar module has no SIMD at all', () => {
  const text = wat('../../dist/scalar/attention-core.wasm');
  assert.equal(count(text, 'v128'), 0);
  assert.equal(count(text, 'f32x4'), 0);
});
