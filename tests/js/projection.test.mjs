// lab.project in Node: x W against a float64 reference written from the definition, the
// heads layout (column blocks one after the other) that attention({ heads }) reads, the
// SIMD and scalar builds agreeing, and every bad argument giving an Error that names it,
// after which the lab is still exact.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import createAttentionLab from '../../dist/node.mjs';
import * as ref from './reference.mjs';

let lab, scalarLab;
before(async () => {
  lab = await createAttentionLab();
  scalarLab = await createAttentionLab({ variant: 'scalar' });
});

/** float64 x w, n x dOut, row-major. */
function product(x, w, n, dIn, dOut) {
  const out = new Float64Array(n * dOut);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < dOut; c++) {
      let sum = 0;
      for (let d = 0; d < dIn; d++) sum += x[i * dIn + d] * w[d * dOut + c];
      out[i * dOut + c] = sum;
    }
  return out;
}

const exampleX = [1, 0, 0.5, 0, 1, -1];
const exampleW = [2, 0, 1, -1, 0.5, 3];
const stillExact = () => assert.deepEqual([...lab.project({ x: exampleX, w: exampleW, n: 2, dIn: 3, dOut: 2 })], [2.25, 1.5, 0.5, -4]);

describe('project', () => {
  test('equals x W within float rounding, block by block, for many shapes and head counts', () => {
    let seed = 5;
    for (const n of [1, 2, 7, 33]) {
      for (const dIn of [1, 3, 8, 65]) {
        for (const heads of [1, 2, 4]) {
          for (const width of [1, 3, 8, 17]) {
            const dOut = heads * width;
            const x = ref.normals(n * dIn, seed += 2), w = ref.normals(dIn * dOut, seed + 1);
            const want = product(x, w, n, dIn, dOut);
            const got = lab.project({ x, w, n, dIn, dOut, heads });
            assert.equal(got.length, n * dOut);
            const tol = 1e-5 * Math.max(1, ref.maxAbs(want)) * Math.sqrt(dIn);
            for (let b = 0; b < heads; b++)
              for (let i = 0; i < n; i++)
                for (let c = 0; c < width; c++) {
                  const shown = got[(b * n + i) * width + c], expected = want[i * dOut + b * width + c];
                  assert.ok(Math.abs(shown - expected) <= tol, `n=${n} dIn=${dIn} heads=${heads} width=${width} [${b}][${i}][${c}]: ${shown} vs ${expected}`);
                }
            assert.deepEqual(scalarLab.project({ x, w, n, dIn, dOut, heads }), got, 'the scalar build gives the same bits');
          }
        }
      }
    }
  });

  test('small integers and halves project exactly', () => {
    stillExact();
  });

  test('heads blocks feed attention({ heads }) as separate heads', () => {
    const n = 5, dIn = 4, heads = 2, dk = 3;
    const x = ref.normals(n * dIn, 40), wq = ref.normals(dIn * heads * dk, 41), wk = ref.normals(dIn * heads * dk, 42);
    const q = lab.project({ x, w: wq, n, dIn, dOut: heads * dk, heads });
    const k = lab.project({ x, w: wk, n, dIn, dOut: heads * dk, heads });
    const both = lab.attention({ q, k, v: k, nq: n, nk: n, dk, dv: dk, heads });
    for (let h = 0; h < heads; h++) {
      const block = (m) => m.subarray(h * n * dk, (h + 1) * n * dk);
      const alone = lab.attention({ q: block(q), k: block(k), v: block(k), nq: n, nk: n, dk, dv: dk });
      assert.deepEqual(both.weights.subarray(h * n * n, (h + 1) * n * n), alone.weights);
    }
  });

  const good = () => ({ x: exampleX, w: exampleW, n: 2, dIn: 3, dOut: 2 });
  const bad = [
    ['n', { n: 0 }, /project: n must be a positive integer, got 0/],
    ['dIn', { dIn: 2.5 }, /project: dIn must be a positive integer, got 2.5/],
    ['dOut', { dOut: 'two' }, /project: dOut must be a positive integer, got 'two'/],
    ['heads', { heads: 0 }, /project: heads must be a positive integer/],
    ['heads divides dOut', { heads: 3 }, /project: dOut \(2\) must be divisible by heads \(3\)/],
    ['x length', { x: [1, 2, 3] }, /project: x must have n\*dIn = 6 elements, got 3/],
    ['w length', { w: new Float32Array(5) }, /project: w must have dIn\*dOut = 6 elements, got 5/],
    ['x NaN', { x: [1, 0, NaN, 0, 1, -1] }, /project: x\[2\] must be a finite number, got NaN/],
    ['w Infinity', { w: new Float32Array([2, 0, 1, -1, Infinity, 3]) }, /project: w\[4\] must be a finite number, got Infinity/],
    ['x missing', { x: undefined }, /project: x is required/],
    ['unknown option', { dout: 2 }, /project: unknown option 'dout' \(did you mean 'dOut'\?\)/],
    ['too large', { n: 2 ** 30, x: [] }, /project: .*too large/],
  ];
  for (const [what, change, message] of bad) {
    test(`refuses a bad ${what} with an Error naming it, and stays exact`, () => {
      assert.throws(() => lab.project({ ...good(), ...change }), message);
      stillExact();
    });
  }
});
