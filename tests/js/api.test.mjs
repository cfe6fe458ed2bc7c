// The JS API in Node: results against the float64 reference, and every bad argument
// giving an Error that names it, after which the lab keeps working.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import createAttentionLab from '../../dist/node.mjs';
import * as ref from './reference.mjs';

let lab, scalarLab;
before(async () => {
  lab = await createAttentionLab();
  scalarLab = await createAttentionLab({ variant: 'scalar' });
});

const SHAPES = [
  [1, 1, 1, 1], [1, 6, 2, 3], [3, 1, 5, 7], [7, 7, 1, 9], [13, 11, 5, 3],
  [65, 70, 17, 6], [64, 64, 64, 64], [130, 129, 12, 13],
];

function inputs(nq, nk, dk, dv, seed, scale = 1) {
  return { q: ref.normals(nq * dk, seed, scale), k: ref.normals(nk * dk, seed + 1, scale), v: ref.normals(nk * dv, seed + 2), nq, nk, dk, dv };
}

function assertClose(actual, expected, tol, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Number.isFinite(actual[i]), `${what}[${i}] is ${actual[i]}`);
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}] = ${actual[i]}, expected ${expected[i]} (tol ${tol})`);
  }
}

describe('attention', () => {
  test('matches the float64 reference for every shape, mask and scaling, both kernels', () => {
    let seed = 1;
    for (const [nq, nk, dk, dv] of SHAPES) {
      for (const scaling of ['sqrt', 'none', 'l2']) {
        for (const mask of ['none', 'causal', 'local']) {
          const args = { ...inputs(nq, nk, dk, dv, seed += 3), scaling, mask, window: nq % 3, temperature: 0.7 };
          const want = ref.attention(args);
          const tol = 1e-5 * Math.max(1, ref.maxAbs(args.v));
          const what = `nq=${nq} nk=${nk} dk=${dk} dv=${dv} ${scaling} ${mask}`;
          const got = lab.attention(args);
          assertClose(got.output, want.output, tol, `${what} output`);
          assertClose(got.weights, want.weights, 1e-5, `${what} weights`);
          const fused = lab.attention({ ...args, weights: false });
          assert.equal(fused.weights, undefined);
          assertClose(fused.output, want.output, tol, `${what} fused output`);
        }
      }
    }
  });

  test('logits of 1e4 give finite, one-hot-like weights, no NaN', () => {
    const args = { ...inputs(9, 13, 6, 5, 77, 45), scaling: 'none' };
    const want = ref.attention(args);
    const got = lab.attention({ ...args, scores: true });
    assert.ok(Math.max(...got.scores.map(Math.abs)) > 1e4, 'the test really has logits above 1e4');
    assertClose(got.weights, want.weights, 1e-5, 'weights');
    assertClose(got.output, want.output, 1e-5 * ref.maxAbs(args.v), 'output');
  });

  test('scores are the scaled logits, -Infinity where masked', () => {
    const args = { ...inputs(4, 4, 3, 2, 5), mask: 'causal', temperature: 2 };
    const { scores } = lab.attention({ ...args, scores: true });
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) {
        let dot = 0;
        for (let d = 0; d < 3; d++) dot += args.q[i * 3 + d] * args.k[j * 3 + d];
        if (j > i) assert.equal(scores[i * 4 + j], -Infinity);
        else assert.ok(Math.abs(scores[i * 4 + j] - dot / Math.sqrt(3) / 2) < 1e-5);
      }
  });

  test('a query that sees no key gets a zero output row and zero weights', () => {
    const r = lab.attention({ ...inputs(6, 2, 3, 4, 9), mask: 'local', window: 1 });
    for (let i = 3; i < 6; i++) {
      assert.deepEqual([...r.weights.slice(i * 2, i * 2 + 2)], [0, 0]);
      assert.deepEqual([...r.output.slice(i * 4, i * 4 + 4)], [0, 0, 0, 0]);
    }
  });

  test('the SIMD and the scalar builds agree', () => {
    const args = inputs(100, 90, 33, 17, 21);
    const a = lab.attention(args), b = scalarLab.attention(args);
    assert.equal(lab.simd, true);
    assert.equal(scalarLab.simd, false);
    assertClose(a.output, b.output, 1e-5, 'output');
    assertClose(a.weights, b.weights, 1e-6, 'weights');
  });

  test('heads: several independent attentions in one call equal one call each', () => {
    const [heads, nq, nk, dk, dv] = [3, 5, 7, 4, 6];
    const q = ref.normals(heads * nq * dk, 1), k = ref.normals(heads * nk * dk, 2), v = ref.normals(heads * nk * dv, 3);
    for (const weights of [true, false]) {
      const all = lab.attention({ q, k, v, heads, nq, nk, dk, dv, mask: 'causal', weights, scores: weights });
      for (let h = 0; h < heads; h++) {
        const one = lab.attention({
          q: q.subarray(h * nq * dk, (h + 1) * nq * dk), k: k.subarray(h * nk * dk, (h + 1) * nk * dk),
          v: v.subarray(h * nk * dv, (h + 1) * nk * dv), nq, nk, dk, dv, mask: 'causal', weights, scores: weights,
        });
        assert.deepEqual(all.output.subarray(h * nq * dv, (h + 1) * nq * dv), one.output);
        if (weights) assert.deepEqual(all.weights.subarray(h * nq * nk, (h + 1) * nq * nk), one.weights);
        if (weights) assert.deepEqual(all.scores.subarray(h * nq * nk, (h + 1) * nq * nk), one.scores);
      }
    }
    assert.throws(() => lab.attention({ q, k, v, heads: 2, nq, nk, dk, dv }), /q must have heads\*nq\*dk = 40/);
    assert.throws(() => lab.attention({ q, k, v, heads: 0, nq, nk, dk, dv }), /heads/);
  });

  test('out: the output is written into the caller\'s array', () => {
    const args = inputs(3, 4, 5, 6, 8);
    const out = new Float32Array(18).fill(7);
    const r = lab.attention({ ...args, out, weights: false });
    assert.equal(r.output, out);
    assert.deepEqual(out, lab.attention({ ...args, weights: false }).output);
    assert.throws(() => lab.attention({ ...args, out: new Float32Array(17) }), /out must be a Float32Array of nq\*dv = 18/);
    assert.throws(() => lab.attention({ ...args, out: new Array(18) }), /out must be/);
  });

  test('results survive heap growth and do not alias each other', () => {
    const small = lab.attention(inputs(2, 3, 2, 2, 1));
    const copy = Float32Array.from(small.output);
    lab.attention(inputs(1500, 1500, 64, 64, 2)); // grows the heap by tens of MiB
    assert.deepEqual(small.output, copy);
    const again = lab.attention(inputs(2, 3, 2, 2, 1));
    assert.deepEqual(again.output, copy);
  });

  test('the fused kernel uses the same scratch at n = 256 and n = 4096', () => {
    lab.attention({ ...inputs(256, 256, 64, 64, 3), weights: false });
    const small = lab.lastScratchBytes();
    lab.attention({ ...inputs(4096, 4096, 64, 64, 4), weights: false });
    assert.equal(lab.lastScratchBytes(), small);
    assert.ok(small > 0 && small < 1 << 20, `${small} bytes`);
  });

  test('scratch is kept for small calls and given back after a huge one', () => {
    const usual = () => lab.attention({ ...inputs(64, 64, 64, 64, 5), weights: false });
    const dk = 2 ** 22; // the packed keys alone: 2 x dk floats, 32 MiB
    const huge = () => lab.attention({ q: new Float32Array(dk), k: new Float32Array(2 * dk), v: [1, 2], nq: 1, nk: 2, dk, dv: 1 });
    huge();
    assert.ok(lab.lastScratchBytes() >= 2 * dk * 4, `${lab.lastScratchBytes()} bytes used`);
    assert.equal(lab.retainedScratchBytes(), 0, 'more than 16 MiB: all given back');
    usual();
    const kept = lab.retainedScratchBytes();
    assert.ok(kept > 0 && kept <= 16 << 20, `${kept} bytes kept`);
    usual();
    assert.equal(lab.retainedScratchBytes(), kept, 'the usual call allocates nothing new');
    huge();
    assert.equal(lab.retainedScratchBytes(), 0);
    usual();
    assert.equal(lab.retainedScratchBytes(), kept);
  });
});

describe('multiHeadAttention', () => {
  test('matches the float64 reference, with and without tied K/V, every mask', () => {
    let seed = 500;
    for (const [n, dModel, heads] of [[1, 1, 1], [5, 6, 3], [17, 12, 4], [33, 16, 8]]) {
      for (const mask of ['none', 'causal', 'local']) {
        for (const tieKV of [false, true]) {
          const s = 1 / Math.sqrt(dModel);
          const args = {
            x: ref.normals(n * dModel, seed++), n, dModel, heads, mask, window: 2, tieKV,
            wq: ref.normals(dModel * dModel, seed++, s), wk: ref.normals(dModel * dModel, seed++, s),
            wv: ref.normals(dModel * dModel, seed++, s), wo: ref.normals(dModel * dModel, seed++, s),
          };
          const want = ref.multiHeadAttention(args);
          const got = lab.multiHeadAttention(args);
          const what = `n=${n} dModel=${dModel} heads=${heads} ${mask} tieKV=${tieKV}`;
          assertClose(got.output, want.output, 1e-5, `${what} output`);
          assertClose(got.weights, want.weights, 1e-5, `${what} weights`);
          assertClose(got.headEntropy, want.headEntropy, 1e-4, `${what} headEntropy`);
          assertClose(lab.multiHeadAttention({ ...args, weights: false }).output, want.output, 1e-5, `${what} fused`);
        }
      }
    }
  });
});

describe('statistics and random numbers', () => {
  test('entropy, effective tokens, max weight and mixture entropy', () => {
    const weights = [1, 0, 0, 0, 0.25, 0.25, 0.25, 0.25];
    const h = lab.entropy({ weights, rows: 2, cols: 4 });
    assert.equal(h[0], 0);
    assert.ok(Math.abs(h[1] - Math.log(4)) < 1e-6);
    assert.ok(Math.abs(lab.effectiveTokens({ weights, rows: 2, cols: 4 })[1] - 4) < 1e-5);
    assert.deepEqual([...lab.maxWeight({ weights, rows: 2, cols: 4 })], [1, 0.25]);
    const mix = lab.mixtureEntropy({ weights: [1, 0, 0, 1], heads: 2, rows: 1, cols: 2 });
    assert.ok(Math.abs(mix[0] - Math.log(2)) < 1e-6);
    assert.equal(lab.variance({ values: [1, 2, 3, 4] }), 1.25);
  });

  test('randomNormal is seeded, standard, and the same in both builds', () => {
    const a = lab.randomNormal({ seed: 7, count: 50000 });
    assert.deepEqual(a, lab.randomNormal({ seed: 7, count: 50000 }));
    assert.deepEqual(a, scalarLab.randomNormal({ seed: 7, count: 50000 }));
    assert.notDeepEqual(a.slice(0, 10), lab.randomNormal({ seed: 8, count: 10 }));
    assert.ok(Math.abs(lab.variance({ values: a }) - 1) < 0.03);
  });
});

describe('bad arguments', () => {
  const good = () => ({ ...inputs(2, 3, 4, 5, 1) });
  const mhaGood = () => {
    const d = 4;
    return { x: ref.normals(3 * d, 1), n: 3, dModel: d, heads: 2, wq: ref.normals(16, 2), wk: ref.normals(16, 3), wv: ref.normals(16, 4), wo: ref.normals(16, 5) };
  };
  const attentionCases = [
    ['q', (a) => { delete a.q; }],
    ['k', (a) => { a.k = a.k.slice(1); }],
    ['v', (a) => { a.v = 'not an array'; }],
    ['q', (a) => { a.q[3] = NaN; }],
    ['k', (a) => { a.k[0] = Infinity; }],
    ['v', (a) => { a.v[2] = -Infinity; }],
    ['nq', (a) => { a.nq = 2.5; }],
    ['nk', (a) => { a.nk = 0; }],
    ['dk', (a) => { a.dk = -4; }],
    ['dv', (a) => { delete a.dv; }],
    ['dk', (a) => { a.dk = '4'; }],
    ['temperature', (a) => { a.temperature = 0; }],
    ['temperature', (a) => { a.temperature = -1; }],
    ['temperature', (a) => { a.temperature = NaN; }],
    ['mask', (a) => { a.mask = 'diagonal'; }],
    ['window', (a) => { a.mask = 'local'; }],
    ['window', (a) => { a.mask = 'local'; a.window = -1; }],
    ['scaling', (a) => { a.scaling = 'cube'; }],
    ['weights', (a) => { a.weights = 'yes'; }],
    ['weights', (a) => { Object.assign(a, { nq: 60000, nk: 60000, q: new Float32Array(60000 * 4), k: new Float32Array(60000 * 4), v: new Float32Array(60000 * 5) }); }],
  ];
  for (const [name, spoil] of attentionCases) {
    test(`attention: ${name} (${spoil.toString().slice(6, 70)}) throws naming it, then the lab works`, () => {
      const args = good();
      spoil(args);
      assert.throws(() => lab.attention(args), (e) => e instanceof Error && e.message.includes(name), `message should name ${name}`);
      const ok = lab.attention(good());
      assertClose(ok.output, ref.attention(good()).output, 1e-5, 'output after the error');
    });
  }

  test('attention: a missing options object throws', () => {
    assert.throws(() => lab.attention(), /attention: expected one options object/);
    assert.throws(() => lab.attention(null), /options object/);
  });

  const mhaCases = [
    ['dModel', (a) => { a.heads = 3; }],
    ['heads', (a) => { a.heads = 0; }],
    ['n', (a) => { a.n = 1.5; }],
    ['x', (a) => { a.x = a.x.slice(2); }],
    ['wq', (a) => { delete a.wq; }],
    ['wv', (a) => { a.wv[1] = NaN; }],
    ['wo', (a) => { a.wo = [1, 2]; }],
    ['mask', (a) => { a.mask = 'sideways'; }],
    ['tieKV', (a) => { a.tieKV = 1; }],
    ['dModel', (a) => { Object.assign(a, { n: 20000, dModel: 8000, heads: 1, x: new Float32Array(1) }); }],
  ];
  for (const [name, spoil] of mhaCases) {
    test(`multiHeadAttention: ${name} (${spoil.toString().slice(6, 70)}) throws naming it, then the lab works`, () => {
      const args = mhaGood();
      spoil(args);
      assert.throws(() => lab.multiHeadAttention(args), (e) => e instanceof Error && e.message.includes(name));
      const ok = lab.multiHeadAttention(mhaGood());
      assertClose(ok.output, ref.multiHeadAttention(mhaGood()).output, 1e-5, 'output after the error');
    });
  }

  test('statistics and randomNormal name their bad arguments', () => {
    assert.throws(() => lab.entropy({ weights: [1, 0], rows: 2, cols: 2 }), /weights/);
    assert.throws(() => lab.entropy({ weights: [1, 0], rows: 0, cols: 2 }), /rows/);
    assert.throws(() => lab.mixtureEntropy({ weights: [1, 0], rows: 1, cols: 2 }), /heads/);
    assert.throws(() => lab.variance({ values: [] }), /values/);
    assert.throws(() => lab.randomNormal({ seed: -1, count: 3 }), /seed/);
    assert.throws(() => lab.randomNormal({ seed: 1, count: 2 ** 40 }), /count/);
    assert.equal(lab.randomNormal({ seed: 1, count: 3 }).length, 3);
  });
});

describe('scalingExperiment', () => {
  test('variance ~ dk unscaled and ~ 1 scaled at dk = 256 (20,000 samples), the same in both builds', () => {
    const raw = lab.scalingExperiment({ dk: 256, samples: 20000 });
    const scaled = lab.scalingExperiment({ dk: 256, samples: 20000, scaling: 'sqrt' });
    assert.ok(Math.abs(raw.logitVariance / 256 - 1) < 0.05, `${raw.logitVariance}`);
    assert.ok(Math.abs(scaled.logitVariance - 1) < 0.05, `${scaled.logitVariance}`);
    assert.ok(raw.meanMaxWeight > scaled.meanMaxWeight && raw.meanGradientNorm < scaled.meanGradientNorm);
    assert.equal(raw.weights.length, 16);
    assert.ok(Math.abs(raw.weights.reduce((s, w) => s + w, 0) - 1) < 1e-5);
    assert.deepEqual(scalarLab.scalingExperiment({ dk: 256, samples: 20000 }), raw);
    assert.throws(() => lab.scalingExperiment({ dk: 0 }), /dk/);
    assert.throws(() => lab.scalingExperiment({ dk: 4, keys: 1 }), /keys/);
    assert.throws(() => lab.scalingExperiment({ dk: 4, scaling: 'cubic' }), /scaling/);
  });
});
