// How every API call reads its options (src/bindings/arguments.mjs): unknown names are
// errors that suggest the nearest known one, null is not "the default", BigInts are named,
// integers stay in the core's 32-bit range, and every input is read exactly once.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import createAttentionLab from '../../dist/node.mjs';
import * as ref from './reference.mjs';

let lab;
before(async () => {
  lab = await createAttentionLab();
});

const small = () => ({ q: [1, 0], k: [1, 0, 0, 1], v: [10, 20], nq: 1, nk: 2, dk: 2, dv: 1, scaling: 'none' });
const exact = () => {
  const e = Math.E;
  return (10 * e + 20) / (e + 1);
};
const stillExact = () => assert.ok(Math.abs(lab.attention(small()).output[0] - exact()) < 1e-4, 'the lab is still exact');

describe('option names', () => {
  for (const [typo, meant] of [['scalling', 'scaling'], ['temprature', 'temperature'], ['Window', 'window'], ['wieghts', 'weights']]) {
    test(`attention: '${typo}' is refused, suggesting '${meant}'`, () => {
      assert.throws(() => lab.attention({ ...small(), [typo]: 1 }),
        (e) => e.message.includes(`unknown option '${typo}'`) && e.message.includes(`did you mean '${meant}'`));
      stillExact();
    });
  }

  test("multiHeadAttention: 'tieKv' is refused, suggesting 'tieKV'", () => {
    const d = 2;
    const args = { x: [1, 0, 0, 1], n: 2, dModel: d, heads: 1, wq: [1, 0, 0, 1], wk: [1, 0, 0, 1], wo: [1, 0, 0, 1], tieKv: true };
    assert.throws(() => lab.multiHeadAttention(args), /unknown option 'tieKv' \(did you mean 'tieKV'\?\)/);
  });

  test('every call refuses unknown names', () => {
    assert.throws(() => lab.entropy({ weights: [1, 0], rows: 1, cols: 2, colz: 2 }), /unknown option 'colz'.*'cols'/);
    assert.throws(() => lab.variance({ values: [1, 2], vals: 1 }), /unknown option 'vals'/);
    assert.throws(() => lab.randomNormal({ seed: 1, count: 2, sead: 2 }), /unknown option 'sead'.*'seed'/);
    assert.throws(() => lab.scalingExperiment({ dk: 2, sample: 100 }), /unknown option 'sample'.*'samples'/);
  });
});

describe('null is not the default', () => {
  for (const name of ['scaling', 'temperature', 'mask', 'weights', 'scores', 'heads', 'window', 'out']) {
    test(`attention: ${name}: null is an error naming it`, () => {
      assert.throws(() => lab.attention({ ...small(), [name]: null }), (e) => e.message.includes(`${name} `) && e.message.includes('null'));
      stillExact();
    });
  }
  test('scalingExperiment: seed: null is an error', () => {
    assert.throws(() => lab.scalingExperiment({ dk: 2, seed: null }), /seed must be .* got null/);
  });
});

describe('BigInt', () => {
  test('a BigInt size says BigInt', () => {
    assert.throws(() => lab.attention({ ...small(), nq: 1n }), /nq must be a positive integer, got a BigInt \(1n\)/);
    assert.throws(() => lab.randomNormal({ seed: 1n, count: 2 }), /seed .*BigInt/);
  });
  test('a BigInt array or element says BigInt', () => {
    assert.throws(() => lab.attention({ ...small(), v: new BigInt64Array([1n, 2n]) }), /v must hold Numbers, got a BigInt64Array: BigInt/);
    assert.throws(() => lab.attention({ ...small(), v: [1n, 2] }), /v\[0\] must be a finite number, got a BigInt/);
    stillExact();
  });
});

describe('integers the core cannot represent', () => {
  test('a window of 2^32 is refused, not wrapped to 0', () => {
    assert.throws(() => lab.attention({ ...small(), mask: 'local', window: 2 ** 32 }), /window must be at most 2147483647/);
    stillExact();
  });
  test('a window as large as the core allows sees every key', () => {
    const r = lab.attention({ ...small(), mask: 'local', window: 2 ** 31 - 1 });
    assert.ok(Math.abs(r.output[0] - exact()) < 1e-4);
  });
  test('sizes above 2^31 - 1 are refused by name', () => {
    assert.throws(() => lab.attention({ ...small(), nq: 2 ** 32 + 1 }), /nq must be at most 2147483647/);
    assert.throws(() => lab.entropy({ weights: [1], rows: 1, cols: 1, heads: 2 ** 33 }), /heads must be at most/);
  });
});

describe('inputs are read exactly once', () => {
  test('a getter on an option runs once', () => {
    let reads = 0;
    const args = small();
    const v = args.v;
    Object.defineProperty(args, 'v', { enumerable: true, get: () => { reads += 1; return v; } });
    lab.attention(args);
    assert.equal(reads, 1);
  });

  test('a Proxy array that grows after its length was read cannot write past the buffer', () => {
    let lengthReads = 0;
    const target = [10, 20];
    const v = new Proxy(target, {
      get(t, key) {
        if (key === 'length') {
          lengthReads += 1;
          return lengthReads === 1 ? 2 : 1e6; // honest once, then lies
        }
        return key in t ? t[key] : 3;
      },
    });
    const r = lab.attention({ ...small(), v });
    assert.ok(Math.abs(r.output[0] - exact()) < 1e-4);
    stillExact();
  });

  test('a length-tracking Float32Array over a resizable buffer, grown by a getter, cannot overflow', () => {
    const buffer = new ArrayBuffer(8, { maxByteLength: 1 << 24 });
    const v = new Float32Array(buffer); // tracks the buffer's length
    v.set([10, 20]);
    const args = small();
    args.v = v;
    Object.defineProperty(args, 'scaling', { enumerable: true, get: () => { buffer.resize(1 << 24); return 'none'; } });
    // The getters run first, when the options are read: v is then 4M long and is refused.
    assert.throws(() => lab.attention(args), /v must have nk\*dv = 2 elements, got 4194304/);
    stillExact();
  });

  test('each element of a plain array is read once', () => {
    let reads = 0;
    const q = new Proxy([1, 0], { get: (t, key) => { if (key !== 'length') reads += 1; return t[key]; } });
    lab.attention({ ...small(), q });
    assert.equal(reads, 2);
  });
});

test('the float64 reference still matches after all of the above', () => {
  const args = { q: ref.normals(12, 1), k: ref.normals(20, 2), v: ref.normals(15, 3), nq: 3, nk: 5, dk: 4, dv: 3 };
  const got = lab.attention(args).output;
  const want = ref.attention(args).output;
  for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i] - want[i]) < 1e-5);
});
