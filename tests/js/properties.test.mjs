// Property tests (fast-check): the API against the independent float64 reference
// (reference.mjs) on random shapes, scalings, masks, windows, temperatures (extreme ones
// included), heads, both kernels and both builds.
//
// Short by default, with a fixed seed; for a longer run:
//   PROPERTY_RUNS=5000 PROPERTY_SEED=7 node --test tests/js/properties.test.mjs
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import fc from 'fast-check';

import createAttentionLab from '../../dist/node.mjs';
import * as ref from './reference.mjs';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 80);
const SEED = Number(process.env.PROPERTY_SEED ?? 20240613);
const settings = (runs = RUNS) => ({ numRuns: runs, seed: SEED, endOnFailure: true });

const labs = {};
before(async () => {
  labs.simd = await createAttentionLab();
  labs.scalar = await createAttentionLab({ variant: 'scalar' });
});

const FLT_MAX = 3.4028234663852886e38;
const floats = (count, size) => fc.array(fc.float({ min: Math.fround(-size), max: Math.fround(size), noNaN: true }), { minLength: count, maxLength: count });

/** A random attention call: shape, options and inputs of matching lengths. */
function attentionCall({ values, temperatures, dks = fc.integer({ min: 1, max: 24 }), scalings = ['sqrt', 'none', 'l2'] }) {
  return fc.record({
    heads: fc.integer({ min: 1, max: 3 }),
    nq: fc.integer({ min: 1, max: 40 }),
    nk: fc.integer({ min: 1, max: 40 }),
    dk: dks,
    dv: fc.integer({ min: 1, max: 12 }),
    scaling: fc.constantFrom(...scalings),
    mask: fc.constantFrom('none', 'causal', 'local'),
    window: fc.integer({ min: 0, max: 45 }),
    temperature: temperatures,
    weights: fc.boolean(),
    variant: fc.constantFrom('simd', 'scalar'),
  }).chain((c) => fc.record({
    q: values(c.heads * c.nq * c.dk), k: values(c.heads * c.nk * c.dk), v: floats(c.heads * c.nk * c.dv, 10),
  }).map((arrays) => ({ ...c, ...arrays })));
}

/** Head h of a batched array. */
const head = (a, h, size) => a.slice(h * size, (h + 1) * size);

/** Checks one call against the reference head by head; weights within wTol, output within wTol * max|v|. */
function checkAgainstReference(c, wTol) {
  const { variant, heads, nq, nk, dk, dv, weights: wantWeights, ...options } = c;
  const got = labs[variant].attention({ ...options, heads, nq, nk, dk, dv, weights: wantWeights,
    q: Float32Array.from(c.q), k: Float32Array.from(c.k), v: Float32Array.from(c.v) });
  for (let h = 0; h < heads; h++) {
    const want = ref.attention({ ...options, nq, nk, dk, dv, q: head(Float32Array.from(c.q), h, nq * dk),
      k: head(Float32Array.from(c.k), h, nk * dk), v: head(Float32Array.from(c.v), h, nk * dv) });
    const vMax = Math.max(1, ref.maxAbs(head(c.v, h, nk * dv)));
    const out = head(got.output, h, nq * dv);
    for (let i = 0; i < out.length; i++) {
      assert.ok(Number.isFinite(out[i]), `output[${i}] = ${out[i]}`);
      assert.ok(Math.abs(out[i] - want.output[i]) <= wTol * vMax, `head ${h} output[${i}] = ${out[i]}, reference ${want.output[i]}`);
    }
    if (wantWeights) {
      const w = head(got.weights, h, nq * nk);
      for (let i = 0; i < w.length; i++) {
        assert.ok(Math.abs(w[i] - want.weights[i]) <= wTol, `head ${h} weights[${i}] = ${w[i]}, reference ${want.weights[i]}`);
      }
    }
  }
  return got;
}

describe('attention against the float64 reference', () => {
  test('random float inputs (fast-check favours tiny and boundary values), temperatures 0.25 to 100', () => {
    const temperatures = fc.oneof(fc.constant(1), fc.double({ min: 0.25, max: 100, noNaN: true }));
    fc.assert(fc.property(attentionCall({ values: (n) => floats(n, 4), temperatures }), (c) => {
      // |logit| <= 4 * 4 * 24 / 0.25 = 1536 at most: float32 rounding of the logits,
      // relative 1e-7, moves the weights by up to 1e-7 * |logit| spread.
      checkAgainstReference(c, 2e-5 + 4e-7 * 16 * c.dk / Math.min(1, c.temperature));
    }), settings());
  });

  test('exact scores (small integers, 1/sqrt(dk) a power of 2) at every float32 temperature, 1.4e-45 to 3.4e38', () => {
    const temperatures = fc.oneof(
      fc.constantFrom(1.4e-45, 1e-44, 1e-40, 2.9e-39, 1.2e-38, 1e-30, 1e-10, 1e-3, 0.5, 1, 3, 1e10, 1e30, FLT_MAX),
      fc.float({ min: Math.fround(1.4e-45), max: Math.fround(FLT_MAX), noNaN: true }),
    );
    const integers = (n) => fc.array(fc.integer({ min: -3, max: 3 }), { minLength: n, maxLength: n });
    fc.assert(fc.property(attentionCall({ values: integers, temperatures, dks: fc.constantFrom(1, 4, 16), scalings: ['sqrt', 'none'] }),
      (c) => { checkAgainstReference(c, 2e-5); }), settings());
  });

  test('the fused and the materialised kernel, and the SIMD and the scalar build, agree', () => {
    const temperatures = fc.oneof(fc.constant(1), fc.constantFrom(1e-45, 1e-20, 1e20), fc.double({ min: 0.1, max: 10, noNaN: true }));
    fc.assert(fc.property(attentionCall({ values: (n) => floats(n, 4), temperatures }), (c) => {
      const args = { ...c, q: Float32Array.from(c.q), k: Float32Array.from(c.k), v: Float32Array.from(c.v) };
      delete args.variant;
      const results = ['simd', 'scalar'].flatMap((variant) => [true, false].map((weights) => labs[variant].attention({ ...args, weights }).output));
      const scale = Math.max(1, ref.maxAbs(c.v));
      // Extreme temperatures turn float rounding differences of near-equal scores into
      // different argmaxes: there only finiteness is required of the builds' agreement.
      const tol = c.temperature >= 0.1 && c.temperature <= 10 ? 1e-5 * scale * (1 + 16 * c.dk / c.temperature / 100) : Infinity;
      for (const r of results) {
        for (let i = 0; i < r.length; i++) {
          assert.ok(Number.isFinite(r[i]));
          assert.ok(Math.abs(r[i] - results[0][i]) <= tol, `${r[i]} vs ${results[0][i]}`);
        }
      }
    }), settings());
  });

  test('values up to float32\'s largest give finite outputs that match the reference', () => {
    fc.assert(fc.property(attentionCall({ values: (n) => floats(n, 2), temperatures: fc.constant(1) }),
      fc.constantFrom(1e30, 1e37, 3e38), (c, size) => {
        const big = { ...c, v: c.v.map((x) => Math.fround((x / 10) * size)) };
        checkAgainstReference(big, 2e-5);
      }), settings(Math.ceil(RUNS / 2)));
  });
});

describe('multi-head attention against the float64 reference', () => {
  test('random shapes, heads, masks, windows, tied K/V, both kernels and builds', () => {
    const call = fc.record({
      n: fc.integer({ min: 1, max: 12 }), heads: fc.integer({ min: 1, max: 4 }), dh: fc.integer({ min: 1, max: 5 }),
      mask: fc.constantFrom('none', 'causal', 'local'), window: fc.integer({ min: 0, max: 13 }),
      tieKV: fc.boolean(), weights: fc.boolean(), variant: fc.constantFrom('simd', 'scalar'), seed: fc.integer({ min: 1, max: 1e6 }),
    });
    fc.assert(fc.property(call, ({ n, heads, dh, mask, window, tieKV, weights, variant, seed }) => {
      const dModel = heads * dh;
      const s = 1 / Math.sqrt(dModel);
      const args = {
        x: ref.normals(n * dModel, seed), n, dModel, heads, mask, window, tieKV,
        wq: ref.normals(dModel * dModel, seed + 1, s), wk: ref.normals(dModel * dModel, seed + 2, s),
        wv: ref.normals(dModel * dModel, seed + 3, s), wo: ref.normals(dModel * dModel, seed + 4, s),
      };
      const want = ref.multiHeadAttention(args);
      const got = labs[variant].multiHeadAttention({ ...args, weights, ...(tieKV ? { wv: undefined } : {}) });
      assert.ok(ref.maxAbsDiff(got.output, want.output) <= 2e-5, 'output');
      if (weights) {
        assert.ok(ref.maxAbsDiff(got.weights, want.weights) <= 1e-5, 'weights');
        assert.ok(ref.maxAbsDiff(got.headEntropy, want.headEntropy) <= 1e-4, 'headEntropy');
      }
    }), settings());
  });
});

describe('statistics', () => {
  /** Rows of a distribution (or all zeros), from positive integers, normalised in float32. */
  const distributions = fc.record({ heads: fc.integer({ min: 1, max: 3 }), rows: fc.integer({ min: 1, max: 6 }), cols: fc.integer({ min: 1, max: 30 }) })
    .chain((s) => fc.record({
      counts: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: s.heads * s.rows * s.cols, maxLength: s.heads * s.rows * s.cols }),
      zeroRow: fc.integer({ min: -1, max: s.rows - 1 }),
    }).map(({ counts, zeroRow }) => {
      const w = new Float32Array(counts.length);
      for (let r = 0; r < s.heads * s.rows; r++) {
        const row = counts.slice(r * s.cols, (r + 1) * s.cols);
        const total = row.reduce((a, b) => a + b, 0);
        const zero = r % s.rows === zeroRow || total === 0;
        for (let j = 0; j < s.cols; j++) w[r * s.cols + j] = zero ? 0 : row[j] / total;
      }
      // A row is zero in every head or in none: zero it everywhere if any head has it zero.
      for (let i = 0; i < s.rows; i++) {
        const anyZero = [...Array(s.heads).keys()].some((h) => w.subarray((h * s.rows + i) * s.cols, (h * s.rows + i + 1) * s.cols).every((x) => x === 0));
        if (anyZero) for (let h = 0; h < s.heads; h++) w.fill(0, (h * s.rows + i) * s.cols, (h * s.rows + i + 1) * s.cols);
      }
      return { ...s, weights: w };
    }));

  const entropyOf = (row) => row.reduce((h, p) => (p > 0 ? h - p * Math.log(p) : h), 0);

  test('entropy, effective tokens, max weight and mixture entropy of valid rows match a JS computation', () => {
    fc.assert(fc.property(distributions, fc.constantFrom('simd', 'scalar'), ({ heads, rows, cols, weights }, variant) => {
      const lab = labs[variant];
      const h = lab.entropy({ weights, heads, rows, cols });
      const e = lab.effectiveTokens({ weights, heads, rows, cols });
      const m = lab.maxWeight({ weights, heads, rows, cols });
      for (let r = 0; r < heads * rows; r++) {
        const row = weights.subarray(r * cols, (r + 1) * cols);
        const zero = row.every((x) => x === 0);
        assert.ok(Math.abs(h[r] - entropyOf(row)) <= 1e-5);
        assert.ok(Math.abs(e[r] - (zero ? 0 : Math.exp(entropyOf(row)))) <= 1e-4 * cols);
        assert.equal(m[r], Math.max(...row));
      }
      const mix = lab.mixtureEntropy({ weights, heads, rows, cols });
      for (let i = 0; i < rows; i++) {
        const mean = Array.from({ length: cols }, (_, j) => {
          let s = 0;
          for (let hh = 0; hh < heads; hh++) s += weights[(hh * rows + i) * cols + j];
          return s / heads;
        });
        assert.ok(Math.abs(mix[i] - entropyOf(mean)) <= 1e-5);
      }
    }), settings());
  });

  test('a row made negative, or summing away from 1 by more than 1e-3, is refused naming the weights', () => {
    fc.assert(fc.property(distributions, fc.integer({ min: 0, max: 1e6 }), fc.boolean(), ({ heads, rows, cols, weights }, pick, negative) => {
      const bad = Float32Array.from(weights);
      const i = pick % bad.length;
      const r = Math.floor(i / cols);
      const rowSum = bad.subarray(r * cols, (r + 1) * cols).reduce((a, b) => a + b, 0);
      bad[i] = negative ? -0.01 - bad[i] : bad[i] + (rowSum === 0 ? 0.5 : 0.01);
      for (const name of ['entropy', 'effectiveTokens', 'maxWeight']) {
        assert.throws(() => labs.simd[name]({ weights: bad, heads, rows, cols }), /weights(\[\d+\] = -[\d.e-]+ is not a probability|: row \d+ sums to)/);
      }
      assert.throws(() => labs.scalar.mixtureEntropy({ weights: bad, heads, rows, cols }), /weights/);
    }), settings());
  });
});
