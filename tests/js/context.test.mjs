// The context API in Node: influence, receptiveField and pathLength of the four readers,
// and monotonicAlignment, against the float64 references of context-reference.mjs; and
// every bad argument giving an Error that names it, after which the lab is still exact.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import createAttentionLab from '../../dist/node.mjs';
import * as ref from './context-reference.mjs';

let lab, scalarLab;
before(async () => {
  lab = await createAttentionLab();
  scalarLab = await createAttentionLab({ variant: 'scalar' });
});

function assertClose(actual, expected, what, rel = 2e-6) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= rel * Math.abs(expected[i]) + 1e-40,
      `${what}[${i}] = ${actual[i]}, expected ${expected[i]}`);
  }
}

const SMALL_READERS = [
  { reader: 'conv', n: 9, position: 4, layers: 2, kernel: 3, seed: 3 },
  { reader: 'conv', n: 7, position: 0, layers: 1, kernel: 5, seed: 8 },
  { reader: 'conv', n: 6, position: 5 },
  { reader: 'rnn', n: 8, position: 6, hidden: 5, spectralNorm: 0.7, seed: 4 },
  { reader: 'rnn', n: 5, position: 4 },
  { reader: 'local', n: 9, position: 3, layers: 2, window: 1, seed: 5 },
  { reader: 'local', n: 6, position: 5, window: 2, seed: 6 },
  { reader: 'global', n: 7, position: 2, seed: 7 },
  { reader: 'global', n: 1, position: 0 },
];

/** A call whose exact answer the reference gives: checked after every error. */
const stillExact = () => {
  const options = SMALL_READERS[5];
  assertClose(lab.influence(options), ref.influence(options), 'influence after an error');
  // [0, 0] and [1, 1] both total 1: the tie goes to the leftmost path.
  assert.deepEqual([...lab.monotonicAlignment({ scores: [0, 1, 1, 0], rows: 2, cols: 2 }).path], [0, 0]);
};

describe('the reference draws the core\'s random numbers', () => {
  test('its PCG32 and polar normals equal randomNormal bit for bit', () => {
    for (const seed of [0, 1, 2, 12345, 2 ** 40 + 3]) {
      const random = new ref.Pcg32(seed);
      const expected = Float32Array.from({ length: 257 }, () => random.normal());
      assert.deepEqual(lab.randomNormal({ seed, count: 257 }), expected);
    }
  });
});

describe('influence', () => {
  test('equals the forward-mode float64 reference for every reader', () => {
    for (const options of SMALL_READERS) {
      const got = lab.influence(options);
      assert.ok(got instanceof Float32Array && got.length === options.n);
      assertClose(got, ref.influence(options), JSON.stringify(options));
    }
  });

  test('is 0 exactly outside the receptive field and positive inside it', () => {
    for (const options of [
      { reader: 'conv', n: 40, position: 20, layers: 3, kernel: 5 },
      { reader: 'conv', n: 40, position: 2, layers: 16, kernel: 3 },
      { reader: 'conv', n: 40, position: 2, layers: 5, kernel: 1 },
      { reader: 'local', n: 40, position: 30, layers: 4, window: 2 },
      { reader: 'local', n: 40, position: 30, layers: 3, window: 0 },
      { reader: 'global', n: 40, position: 30 },
      { reader: 'rnn', n: 40, position: 25, hidden: 8 },
    ]) {
      const { first, last } = lab.receptiveField(options);
      const out = lab.influence(options);
      for (let j = 0; j < options.n; j++) {
        if (j >= first && j <= last) assert.ok(out[j] > 0, `${JSON.stringify(options)}: [${j}] = ${out[j]} inside [${first}, ${last}]`);
        else assert.equal(out[j], 0, `${JSON.stringify(options)}: [${j}] outside [${first}, ${last}]`);
      }
    }
    assert.deepEqual(lab.receptiveField({ reader: 'conv', n: 40, position: 20, layers: 3, kernel: 5 }), { first: 14, last: 26 });
    assert.deepEqual(lab.receptiveField({ reader: 'local', n: 40, position: 30, layers: 4, window: 2 }), { first: 22, last: 38 });
    assert.deepEqual(lab.receptiveField({ reader: 'rnn', n: 40, position: 25 }), { first: 0, last: 25 });
    assert.deepEqual(lab.receptiveField({ reader: 'global', n: 40, position: 25 }), { first: 0, last: 39 });
  });

  test('all readers with one seed read the same tokens: randomNormal of the seed', () => {
    // The first layer of a width-1 convolution sees only its own token: the influence of
    // token p is then a function of token p and the weights alone, the same for any n.
    const a = lab.influence({ reader: 'conv', n: 5, position: 3, kernel: 1, seed: 9 });
    const b = lab.influence({ reader: 'conv', n: 50, position: 3, kernel: 1, seed: 9 });
    assert.equal(a[3], b[3]);
    assert.deepEqual([...ref.tokens(4, 9)].map(Math.fround), [...lab.randomNormal({ seed: 9, count: 32 })]);
  });

  test('the same numbers from the SIMD and the scalar build, and from call to call', () => {
    for (const options of [...SMALL_READERS, { reader: 'local', n: 200, position: 100, layers: 6, window: 5 }]) {
      const first = lab.influence(options);
      assert.deepEqual(lab.influence(options), first);
      assert.deepEqual(scalarLab.influence(options), first);
    }
  });

  test('an RNN forgets at least as fast as spectralNorm^distance, and keeps more with a larger one', () => {
    const near = lab.influence({ reader: 'rnn', n: 60, position: 59, spectralNorm: 0.5 });
    const far = lab.influence({ reader: 'rnn', n: 60, position: 59, spectralNorm: 0.95 });
    for (let d = 1; d < 60; d++) assert.ok(near[59 - d] <= near[59] * 0.5 ** d * 4, `0.5: distance ${d}`);
    assert.ok(far[19] > 100 * near[19], 'spectralNorm 0.95 remembers 40 tokens back far better than 0.5');
  });

  test('the largest allowed calls finish with finite numbers', () => {
    const L = lab.influenceLimits;
    assert.deepEqual({ ...L }, { maxN: 1024, maxLayers: 16, maxKernel: 15, maxWindow: 16, maxHidden: 32, maxSpectralNorm: 1, tokenDim: 8 });
    for (const options of [
      { reader: 'conv', n: L.maxN, position: 512, layers: L.maxLayers, kernel: L.maxKernel },
      { reader: 'local', n: L.maxN, position: 512, layers: L.maxLayers, window: L.maxWindow },
      { reader: 'global', n: L.maxN, position: 0 },
      { reader: 'rnn', n: L.maxN, position: L.maxN - 1, hidden: L.maxHidden, spectralNorm: L.maxSpectralNorm },
    ]) {
      const out = lab.influence(options);
      assert.ok(out.every(Number.isFinite), options.reader);
      assert.ok(out[options.position] > 0, options.reader);
    }
  });
});

describe('pathLength', () => {
  test('the fewest layers at which the token starts to count', () => {
    for (const [reader, width] of [['conv', 1], ['conv', 3], ['local', 1], ['local', 2]]) {
      const size = reader === 'conv' ? { kernel: 2 * width + 1 } : { window: width };
      for (const distance of [-7, -1, 0, 1, 6, 9]) {
        const needed = lab.pathLength({ reader, distance, ...size });
        assert.equal(needed, Math.max(1, Math.ceil(Math.abs(distance) / width)));
        for (let layers = 1; layers <= needed; layers++) {
          const out = lab.influence({ reader, n: 30, position: 15, layers, ...size });
          assert.equal(out[15 - distance] > 0, layers === needed, `${reader} ${width} d=${distance} layers=${layers}`);
        }
      }
    }
  });

  test('global is always one layer, an RNN needs distance + 1 steps, and some never connect', () => {
    assert.equal(lab.pathLength({ reader: 'global', distance: 1000 }), 1);
    assert.equal(lab.pathLength({ reader: 'rnn', distance: 9 }), 10);
    assert.equal(lab.pathLength({ reader: 'rnn', distance: -1 }), Infinity);
    assert.equal(lab.pathLength({ reader: 'conv', distance: 9 }), 9); // default kernel 3
    assert.equal(lab.pathLength({ reader: 'conv', distance: 9, kernel: 1 }), Infinity);
    assert.equal(lab.pathLength({ reader: 'local', distance: -9, window: 0 }), Infinity);
    assert.equal(lab.pathLength({ reader: 'local', distance: 2 ** 31 - 1, window: 16 }), Math.ceil((2 ** 31 - 1) / 16));
  });
});

describe('monotonicAlignment', () => {
  test('equals brute force on every shape up to 5 x 5, ties to the leftmost path', () => {
    let seed = 1;
    for (let rows = 1; rows <= 5; rows++) {
      for (let cols = 1; cols <= 5; cols++) {
        for (const ties of [false, true]) {
          const random = new ref.Pcg32(seed++);
          const scores = Float32Array.from({ length: rows * cols }, () => (ties ? random.nextU32() % 3 : random.normal()));
          const want = ref.bruteMonotonicAlignment(scores, rows, cols);
          const got = lab.monotonicAlignment({ scores, rows, cols });
          const what = `${rows} x ${cols}${ties ? ' with ties' : ''}`;
          assert.ok(got.path instanceof Int32Array && got.misaligned instanceof Int32Array, what);
          assert.deepEqual([...got.path], want.path, what);
          assert.equal(got.total, want.total, what);
          assert.deepEqual([...got.misaligned], want.misaligned, what);
        }
      }
    }
  });

  test('large random matrices: the best total of an independent dynamic program', () => {
    for (const [rows, cols] of [[40, 60], [100, 7], [3, 500]]) {
      const random = new ref.Pcg32(rows * cols);
      const scores = Float32Array.from({ length: rows * cols }, () => random.normal());
      const got = lab.monotonicAlignment({ scores, rows, cols });
      let total = 0;
      for (let i = 0; i < rows; i++) {
        if (i > 0) assert.ok(got.path[i - 1] <= got.path[i]);
        total += scores[i * cols + got.path[i]];
      }
      assert.equal(got.total, total);
      assert.ok(Math.abs(got.total - ref.bestMonotonicTotal(scores, rows, cols)) < 1e-9);
    }
  });

  test('crossing word order: the words a monotonic alignment gets wrong', () => {
    // "the black cat" -> "le chat noir": target 1 (chat) is source 2 (cat), target 2 (noir)
    // source 1 (black). Keeping either costs the other; of the two best paths, [0, 0, 1]
    // (keep noir) comes before [0, 2, 2] (keep chat), so chat is the word it gets wrong.
    const scores = [1, 0, 0, 0, 0, 1, 0, 1, 0];
    const r = lab.monotonicAlignment({ scores, rows: 3, cols: 3 });
    assert.equal(r.total, 2);
    assert.deepEqual([...r.path], [0, 0, 1]);
    assert.deepEqual([...r.misaligned], [1]);
    // Plain arrays, Float64Array and Float32Array give the same answer.
    assert.deepEqual(lab.monotonicAlignment({ scores: Float64Array.from(scores), rows: 3, cols: 3 }), r);
  });
});

describe('bad arguments throw an Error naming them, then the lab is still exact', () => {
  const conv = { reader: 'conv', n: 10, position: 3 };
  const cases = [
    ['influence', undefined, /influence: expected one options object/],
    ['influence', { n: 10, position: 3 }, /reader is required \(one of 'conv', 'rnn', 'local', 'global'\)/],
    ['influence', { ...conv, reader: 'cnn' }, /reader must be one of 'conv', 'rnn', 'local', 'global', got 'cnn'/],
    ['influence', { ...conv, reader: null }, /reader must be one of .* got null/],
    ['influence', { reader: 'conv', position: 3 }, /influence: n is required/],
    ['influence', { ...conv, n: 0 }, /n must be an integer from 1 to 1024, got 0/],
    ['influence', { ...conv, n: 1025 }, /n must be an integer from 1 to 1024, got 1025/],
    ['influence', { ...conv, n: 2.5 }, /n must be an integer/],
    ['influence', { ...conv, n: 10n }, /n must be .*BigInt/],
    ['influence', { reader: 'conv', n: 10 }, /position is required \(an integer from 0 to 9\)/],
    ['influence', { ...conv, position: 10 }, /position must be an integer from 0 to 9, got 10/],
    ['influence', { ...conv, position: -1 }, /position must be an integer from 0 to 9, got -1/],
    ['influence', { ...conv, position: '3' }, /position must be an integer .* got '3'/],
    ['influence', { ...conv, layers: 0 }, /layers must be an integer from 1 to 16, got 0/],
    ['influence', { ...conv, layers: 17 }, /layers must be an integer from 1 to 16, got 17/],
    ['influence', { ...conv, layers: null }, /layers must be an integer .* got null/],
    ['influence', { ...conv, kernel: 4 }, /kernel must be odd .* got 4/],
    ['influence', { ...conv, kernel: 17 }, /kernel must be an integer from 1 to 15, got 17/],
    ['influence', { ...conv, kernel: 0 }, /kernel must be an integer from 1 to 15, got 0/],
    ['influence', { ...conv, window: 2 }, /window does not apply to reader 'conv' .* an option of 'local'/],
    ['influence', { ...conv, hidden: 8 }, /hidden does not apply to reader 'conv' .* an option of 'rnn'/],
    ['influence', { ...conv, spectralNorm: 0.5 }, /spectralNorm does not apply to reader 'conv'/],
    ['influence', { reader: 'local', n: 10, position: 3, kernel: 3 }, /kernel does not apply to reader 'local' .* an option of 'conv'/],
    ['influence', { reader: 'local', n: 10, position: 3, window: 17 }, /window must be an integer from 0 to 16, got 17/],
    ['influence', { reader: 'local', n: 10, position: 3, window: -1 }, /window must be an integer from 0 to 16, got -1/],
    ['influence', { reader: 'global', n: 10, position: 3, layers: 2 }, /layers does not apply to reader 'global' \(one layer of attention with no mask\); it is an option of 'conv' and 'local'/],
    ['influence', { reader: 'global', n: 10, position: 3, window: 2 }, /window does not apply to reader 'global'/],
    ['influence', { reader: 'rnn', n: 10, position: 3, layers: 2 }, /layers does not apply to reader 'rnn'/],
    ['influence', { reader: 'rnn', n: 10, position: 3, hidden: 0 }, /hidden must be an integer from 1 to 32, got 0/],
    ['influence', { reader: 'rnn', n: 10, position: 3, hidden: 33 }, /hidden must be an integer from 1 to 32, got 33/],
    ['influence', { reader: 'rnn', n: 10, position: 3, spectralNorm: 1.01 }, /spectralNorm must be a number from 0 to 1, got 1.01/],
    ['influence', { reader: 'rnn', n: 10, position: 3, spectralNorm: NaN }, /spectralNorm must be a number from 0 to 1, got NaN/],
    ['influence', { reader: 'rnn', n: 10, position: 3, spectralNorm: -0.1 }, /spectralNorm must be a number from 0 to 1/],
    ['influence', { reader: 'rnn', n: 10, position: 3, spectralNorm: '0.5' }, /spectralNorm must be a number from 0 to 1, got '0.5'/],
    ['influence', { ...conv, seed: -1 }, /seed must be a non-negative integer/],
    ['influence', { ...conv, seed: 1.5 }, /seed must be a non-negative integer/],
    ['influence', { ...conv, seed: 2 ** 53 }, /seed must be a non-negative integer/],
    ['influence', { ...conv, seed: null }, /seed must be .* got null/],
    ['influence', { ...conv, layer: 2 }, /unknown option 'layer' \(did you mean 'layers'\?\)/],
    ['influence', { ...conv, kernal: 3 }, /unknown option 'kernal' \(did you mean 'kernel'\?\)/],
    ['receptiveField', { ...conv, window: 1 }, /receptiveField: window does not apply to reader 'conv'/],
    ['receptiveField', { ...conv, position: 11 }, /receptiveField: position must be an integer from 0 to 9/],
    ['receptiveField', { reader: 'rnn', n: 5, position: 1, kernel: 3 }, /receptiveField: kernel does not apply to reader 'rnn'/],
    ['pathLength', { reader: 'conv' }, /pathLength: distance is required/],
    ['pathLength', { reader: 'conv', distance: 1.5 }, /distance must be an integer from -2147483647 to 2147483647, got 1.5/],
    ['pathLength', { reader: 'conv', distance: 2 ** 31 }, /distance must be an integer/],
    ['pathLength', { reader: 'conv', distance: 3, kernel: 2 }, /kernel must be odd/],
    ['pathLength', { reader: 'conv', distance: 3, window: 2 }, /window does not apply to reader 'conv'/],
    ['pathLength', { reader: 'rnn', distance: 3, hidden: 4 }, /unknown option 'hidden'/],
    ['pathLength', { reader: 'global', distance: 3, n: 4 }, /unknown option 'n'/],
    ['pathLength', { distance: 3 }, /reader is required/],
    ['monotonicAlignment', { rows: 2, cols: 2 }, /scores is required \(rows\*cols = 4 numbers\)/],
    ['monotonicAlignment', { scores: [1, 2, 3], rows: 2, cols: 2 }, /scores must have rows\*cols = 4 elements, got 3/],
    ['monotonicAlignment', { scores: [1, 2, NaN, 4], rows: 2, cols: 2 }, /scores\[2\] must be a finite number, got NaN/],
    ['monotonicAlignment', { scores: new Float32Array([1, Infinity, 0, 0]), rows: 2, cols: 2 }, /scores\[1\] must be a finite number, got Infinity/],
    ['monotonicAlignment', { scores: [1, 2, 3, 4], rows: 0, cols: 4 }, /rows must be a positive integer, got 0/],
    ['monotonicAlignment', { scores: [1, 2, 3, 4], rows: 2 }, /cols is required/],
    ['monotonicAlignment', { scores: [1, 2, 3, 4], rows: 2, cols: 2, rws: 2 }, /unknown option 'rws' \(did you mean 'rows'\?\)/],
    ['monotonicAlignment', { scores: 'abcd', rows: 2, cols: 2 }, /scores must be a Float32Array or an array of numbers/],
    ['monotonicAlignment', { scores: [], rows: 2 ** 20, cols: 2 ** 20 }, /rows \* cols \(1048576 x 1048576\) too large/],
  ];
  for (const [method, options, message] of cases) {
    test(`${method}(${JSON.stringify(options, (k, v) => (typeof v === 'bigint' ? `${v}n` : Number.isNaN(v) ? 'NaN' : v))})`, () => {
      assert.throws(() => lab[method](options), (e) => e instanceof Error && message.test(e.message),
        `expected ${message}`);
      stillExact();
    });
  }

  test('options of other readers that are undefined are simply absent', () => {
    assert.deepEqual(lab.influence({ ...conv, window: undefined, hidden: undefined }), lab.influence(conv));
  });
});
