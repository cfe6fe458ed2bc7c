// Lesson 6's API: multiHeadAttention's head mask and its new results (mixtureEntropy,
// headOutputs, values), and retrieval (src/bindings/multi-head-api.mjs), against float64
// references; the two-relation sentence where several heads beat one wide head and tied
// K/V loses the content; every bad argument named, after which the lab is still exact.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import createAttentionLab from '../../dist/node.mjs';
import * as ref from './reference.mjs';

let lab;
before(async () => {
  lab = await createAttentionLab();
});

function assertClose(actual, expected, tol, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Number.isFinite(actual[i]), `${what}[${i}] is ${actual[i]}`);
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}] = ${actual[i]}, expected ${expected[i]}`);
  }
}

function randomArgs(n, dModel, heads, seed, extra = {}) {
  const s = 1 / Math.sqrt(dModel);
  return {
    x: ref.normals(n * dModel, seed), n, dModel, heads,
    wq: ref.normals(dModel * dModel, seed + 1, s), wk: ref.normals(dModel * dModel, seed + 2, s),
    wv: ref.normals(dModel * dModel, seed + 3, s), wo: ref.normals(dModel * dModel, seed + 4, s), ...extra,
  };
}

/** float64: V = x wv (x wk tied), each head's blend of its block of V, the mixture's entropy over active heads. */
function referenceViews({ x, n, dModel, heads, wk, wv, tieKV = false }, weights, active) {
  const dh = dModel / heads;
  const w = tieKV ? wk : wv;
  const values = new Float64Array(n * dModel);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < dModel; c++)
      for (let d = 0; d < dModel; d++) values[i * dModel + c] += x[i * dModel + d] * w[d * dModel + c];
  const headOutputs = new Float64Array(n * dModel);
  for (let h = 0; h < heads; h++) {
    if (!active[h]) continue;
    for (let i = 0; i < n; i++)
      for (let c = h * dh; c < (h + 1) * dh; c++)
        for (let j = 0; j < n; j++) headOutputs[i * dModel + c] += weights[(h * n + i) * n + j] * values[j * dModel + c];
  }
  const on = active.filter(Boolean).length;
  const mixtureEntropy = new Float64Array(n);
  for (let i = 0; on > 0 && i < n; i++) {
    for (let j = 0; j < n; j++) {
      let mean = 0;
      for (let h = 0; h < heads; h++) if (active[h]) mean += weights[(h * n + i) * n + j] / on;
      if (mean > 0) mixtureEntropy[i] -= mean * Math.log(mean);
    }
  }
  return { values, headOutputs, mixtureEntropy };
}

/** cos(output[i, b:e), values[t, b:e)), 0 for a zero vector or a target of -1. */
function referenceRetrieval(output, values, cols, targets, [b, e]) {
  const cosine = targets.map((t, i) => {
    if (t < 0) return 0;
    let dot = 0, oo = 0, vv = 0;
    for (let c = b; c < e; c++) {
      dot += output[i * cols + c] * values[t * cols + c];
      oo += output[i * cols + c] ** 2;
      vv += values[t * cols + c] ** 2;
    }
    return oo > 0 && vv > 0 ? dot / Math.sqrt(oo * vv) : 0;
  });
  const counted = cosine.filter((_, i) => targets[i] >= 0);
  return { cosine, mean: counted.length ? counted.reduce((a, b) => a + b, 0) / counted.length : 0, count: counted.length };
}

/**
 * A sentence of n tokens with two relations at once, "previous token" and "next token":
 * x_i = [position e_i, content e_{(i+3) mod n}], dModel = 2n, two heads of n. Head A's
 * query is sharpness e_{i-1}, head B's sharpness e_{i+1}; both keys read the position,
 * both values read the content; wo is the identity.
 */
function twoRelations(n = 8, sharpness = 40) {
  const dModel = 2 * n;
  const x = new Float32Array(n * dModel), wq = new Float32Array(dModel * dModel), wk = new Float32Array(dModel * dModel);
  const wv = new Float32Array(dModel * dModel), wo = new Float32Array(dModel * dModel);
  for (let i = 0; i < n; i++) {
    x[i * dModel + i] = 1;
    x[i * dModel + n + ((i + 3) % n)] = 1;
    if (i >= 1) wq[i * dModel + i - 1] = sharpness;
    if (i + 1 < n) wq[i * dModel + n + i + 1] = sharpness;
    wk[i * dModel + i] = 1;
    wk[i * dModel + n + i] = 1;
    wv[(n + i) * dModel + i] = 1;
    wv[(n + i) * dModel + n + i] = 1;
  }
  for (let d = 0; d < dModel; d++) wo[d * dModel + d] = 1;
  const previous = Array.from({ length: n }, (_, i) => (i >= 1 ? i - 1 : -1));
  const next = Array.from({ length: n }, (_, i) => (i + 1 < n ? i + 1 : -1));
  return { args: { x, n, dModel, heads: 2, wq, wk, wv, wo }, previous, next };
}

const stillExact = () => {
  const args = randomArgs(3, 4, 2, 900);
  assertClose(lab.multiHeadAttention(args).output, ref.multiHeadAttention(args).output, 1e-5, 'the lab is still exact');
};

describe('multiHeadAttention: head mask, mixture, head outputs, values', () => {
  test('every head mask matches the float64 reference (separate and tied K/V)', () => {
    let seed = 100;
    for (const [n, dModel, heads] of [[5, 6, 3], [9, 8, 4], [4, 4, 1]]) {
      for (const tieKV of [false, true]) {
        for (let bits = 0; bits < 2 ** heads; bits++) {
          const headMask = Array.from({ length: heads }, (_, h) => Boolean(bits & (1 << h)));
          const args = randomArgs(n, dModel, heads, seed += 10, { tieKV });
          const want = ref.multiHeadAttention(args);
          // a head switched off: the reference with that head's rows of wo zeroed
          const dh = dModel / heads;
          const wo = Float32Array.from(args.wo);
          for (let h = 0; h < heads; h++) if (!headMask[h]) wo.fill(0, h * dh * dModel, (h + 1) * dh * dModel);
          const wantOutput = ref.multiHeadAttention({ ...args, wo }).output;
          const views = referenceViews(args, want.weights, headMask);
          const got = lab.multiHeadAttention({ ...args, headMask });
          const what = `n=${n} dModel=${dModel} heads=${heads} tieKV=${tieKV} mask=${headMask}`;
          assertClose(got.output, wantOutput, 1e-5, `${what} output`);
          assertClose(got.weights, want.weights, 1e-5, `${what} weights (every head's)`);
          assertClose(got.headEntropy, want.headEntropy, 1e-4, `${what} headEntropy`);
          assertClose(got.mixtureEntropy, views.mixtureEntropy, 1e-4, `${what} mixtureEntropy`);
          assertClose(got.headOutputs, views.headOutputs, 1e-5, `${what} headOutputs`);
          assertClose(got.values, views.values, 1e-5, `${what} values`);
          assertClose(lab.multiHeadAttention({ ...args, headMask, weights: false }).output, wantOutput, 1e-5, `${what} fused`);
        }
      }
    }
  });

  test('without headMask every head is on; weights: false still returns only the output', () => {
    const args = randomArgs(6, 8, 2, 7);
    const a = lab.multiHeadAttention(args), b = lab.multiHeadAttention({ ...args, headMask: [true, true] });
    assert.deepEqual(a, b);
    assert.deepEqual(Object.keys(a).sort(), ['headEntropy', 'headOutputs', 'mixtureEntropy', 'output', 'values', 'weights']);
    assert.deepEqual(Object.keys(lab.multiHeadAttention({ ...args, weights: false })), ['output']);
    const off = lab.multiHeadAttention({ ...args, headMask: [false, false] });
    assert.ok(off.output.every((v) => v === 0) && off.headOutputs.every((v) => v === 0));
    assert.ok(off.mixtureEntropy.every((v) => v === 0));
    assert.deepEqual(off.weights, a.weights);
  });

  test('mixture entropy >= mean head entropy on random heads (entropy is concave)', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const heads = 1 + (seed % 4), n = 2 + (seed % 7);
      const args = randomArgs(n, heads * 3, heads, seed * 50);
      // sharpen some heads: scale wq by up to 6
      args.wq = args.wq.map((w) => w * (1 + (seed % 6)));
      const r = lab.multiHeadAttention(args);
      for (let i = 0; i < n; i++) {
        let mean = 0;
        for (let h = 0; h < heads; h++) mean += r.headEntropy[h * n + i] / heads;
        assert.ok(r.mixtureEntropy[i] >= mean - 1e-6, `seed ${seed} row ${i}: ${r.mixtureEntropy[i]} < ${mean}`);
      }
    }
  });
});

describe('retrieval', () => {
  test('matches the float64 reference: column ranges, rows without a target, value rows', () => {
    for (const [rows, valueRows, cols, seed] of [[1, 1, 1, 1], [5, 5, 6, 2], [7, 3, 4, 3], [12, 20, 9, 4]]) {
      const output = ref.normals(rows * cols, seed), values = ref.normals(valueRows * cols, seed + 100);
      const targets = Array.from({ length: rows }, (_, i) => ((i * 7 + seed) % (valueRows + 1)) - 1);
      for (const columns of [undefined, [0, 1], [Math.floor(cols / 2), cols]]) {
        const got = lab.retrieval({ output, values, rows, cols, valueRows, targets, columns });
        const want = referenceRetrieval(output, values, cols, targets, columns ?? [0, cols]);
        assertClose(got.cosine, want.cosine, 1e-6, `rows=${rows} columns=${columns}`);
        assert.ok(Math.abs(got.mean - want.mean) < 1e-6);
        assert.equal(got.count, want.count);
      }
    }
    const zero = lab.retrieval({ output: [0, 0, 1, 1], values: [1, 1, 0, 0], rows: 2, cols: 2, targets: [0, 1] });
    assert.deepEqual([...zero.cosine], [0, 0]); // zero vectors have no direction
    assert.equal(zero.count, 2);
    assert.equal(lab.retrieval({ output: [1, 2], values: [1, 2], rows: 1, cols: 2, targets: [-1] }).mean, 0);
  });

  test('two relations: two heads each retrieve theirs; one wide head (heads: 1) compromises', () => {
    const { args, previous, next } = twoRelations();
    const n = args.n, dModel = args.dModel;
    const several = lab.multiHeadAttention(args), wide = lab.multiHeadAttention({ ...args, heads: 1 });
    assert.deepEqual(several.values, wide.values);
    const limit = ((n - 2) / Math.SQRT2 + 1) / (n - 1); // interior tokens split their weight in two
    for (const [block, targets] of [[0, previous], [1, next]]) {
      const columns = [block * n, (block + 1) * n];
      const heads = lab.retrieval({ output: several.headOutputs, values: several.values, rows: n, cols: dModel, targets, columns });
      const one = lab.retrieval({ output: wide.headOutputs, values: wide.values, rows: n, cols: dModel, targets, columns });
      assert.equal(heads.count, n - 1);
      assert.ok(heads.mean > 0.9999, `several heads: ${heads.mean}`);
      assert.ok(Math.abs(one.mean - limit) < 2e-3, `one wide head: ${one.mean}, limit ${limit}`);
      for (let i = 1; i + 1 < n; i++) assert.ok(Math.abs(one.cosine[i] - Math.SQRT1_2) < 2e-3);
    }
    // each head is sharp; their mixture covers two tokens
    for (let i = 1; i + 1 < n; i++) {
      assert.ok(several.headEntropy[i] < 1e-3 && several.headEntropy[n + i] < 1e-3);
      assert.ok(Math.abs(several.mixtureEntropy[i] - Math.LN2) < 1e-3);
      assert.ok(Math.abs(Math.log(lab.effectiveTokens({ weights: wide.weights, rows: n, cols: n })[i]) - Math.LN2) < 5e-3);
    }
  });

  test('tied K/V: the same attention, but the heads copy the address, not the content', () => {
    const { args, previous, next } = twoRelations();
    const n = args.n, dModel = args.dModel;
    const separate = lab.multiHeadAttention(args);
    const tied = lab.multiHeadAttention({ ...args, tieKV: true, wv: undefined });
    assert.deepEqual(tied.weights, separate.weights);
    for (const [block, targets] of [[0, previous], [1, next]]) {
      const columns = [block * n, (block + 1) * n];
      const content = lab.retrieval({ output: tied.headOutputs, values: separate.values, rows: n, cols: dModel, targets, columns });
      const address = lab.retrieval({ output: tied.headOutputs, values: tied.values, rows: n, cols: dModel, targets, columns });
      assert.ok(content.mean < 1e-3, `tied against the content: ${content.mean}`);
      assert.ok(address.mean > 0.9999, `tied against its own values (the keys): ${address.mean}`);
    }
  });
});

describe('bad arguments', () => {
  const mhaCases = [
    ['headMask', (a) => { a.headMask = [true]; }],
    ['headMask', (a) => { a.headMask = 'all'; }],
    ['headMask', (a) => { a.headMask = null; }],
    ['headMask', (a) => { a.headMask = new Uint8Array([1, 1]); }],
    ['headMask[1]', (a) => { a.headMask = [true, 1]; }],
    ['headMask[0]', (a) => { a.headMask = [undefined, true]; }],
    ['unknown option \'headmask\'', (a) => { a.headmask = [true, true]; }],
  ];
  for (const [name, spoil] of mhaCases) {
    test(`multiHeadAttention: ${name} (${spoil.toString().slice(6, 60)}) throws naming it, then the lab is exact`, () => {
      const args = randomArgs(3, 4, 2, 900);
      spoil(args);
      assert.throws(() => lab.multiHeadAttention(args), (e) => e.message.startsWith('multiHeadAttention: ') && e.message.includes(name));
      stillExact();
    });
  }

  const good = () => ({ output: [1, 0, 0, 1, 1, 1], values: [1, 0, 0, 1], rows: 3, cols: 2, valueRows: 2, targets: [0, 1, -1], columns: [0, 2] });
  const retrievalCases = [
    ['rows', (a) => { a.rows = 0; }],
    ['cols', (a) => { delete a.cols; }],
    ['valueRows', (a) => { a.valueRows = 1.5; }],
    ['output', (a) => { a.output = a.output.slice(1); }],
    ['output[2]', (a) => { a.output[2] = NaN; }],
    ['values', (a) => { a.values = 'v'; }],
    ['targets', (a) => { delete a.targets; }],
    ['targets', (a) => { a.targets = [0, 1]; }],
    ['targets[1]', (a) => { a.targets[1] = 2; }],
    ['targets[0]', (a) => { a.targets[0] = -2; }],
    ['targets[2]', (a) => { a.targets[2] = 0.5; }],
    ['columns', (a) => { a.columns = [1, 1]; }],
    ['columns', (a) => { a.columns = [0, 3]; }],
    ['columns', (a) => { a.columns = [-1, 1]; }],
    ['columns', (a) => { a.columns = [0]; }],
    ['columns', (a) => { a.columns = 'all'; }],
    ['columns', (a) => { a.columns = null; }],
    ['unknown option \'target\'', (a) => { a.target = [0]; }],
  ];
  for (const [name, spoil] of retrievalCases) {
    test(`retrieval: ${name} (${spoil.toString().slice(6, 60)}) throws naming it, then the lab is exact`, () => {
      const args = good();
      spoil(args);
      assert.throws(() => lab.retrieval(args), (e) => e.message.startsWith('retrieval: ') && e.message.includes(name));
      const ok = lab.retrieval(good());
      assert.deepEqual([...ok.cosine].map((c) => Math.round(c * 1e6) / 1e6), [1, 1, 0]);
      stillExact();
    });
  }
});
