// Lesson 5's API (src/bindings/stacking-api.mjs): pointer chasing against an independent
// float64 reference, the trends the lesson shows, and every bad argument giving an Error
// that names it, after which the lab is still exact.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import createAttentionLab from '../../dist/node.mjs';

let lab, scalarLab;
before(async () => {
  lab = await createAttentionLab();
  scalarLab = await createAttentionLab({ variant: 'scalar' });
});

const FLOAT32_MAX = 3.4028234663852886e38;

/** Test pointer arrays, from a generator independent of the core's (mulberry32). */
function somePointers(n, seed) {
  let a = seed >>> 0;
  const out = [];
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out.push(Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n));
  }
  return out;
}

const follow = (pointers, s, hops) => {
  for (let t = 0; t < hops; t++) s = pointers[s];
  return s;
};

/** PCG32 (XSH-RR) in BigInt, from the reference implementation: what randomPointers draws from. */
function pcg32(seed, stream) {
  const mask = (1n << 64n) - 1n;
  const increment = ((BigInt(stream) << 1n) | 1n) & mask;
  let state = 0n;
  const next = () => {
    const old = state;
    state = (old * 6364136223846793005n + increment) & mask;
    const xorshifted = Number((((old >> 18n) ^ old) >> 27n) & 0xffffffffn);
    const rot = Number(old >> 59n);
    return ((xorshifted >>> rot) | (xorshifted << ((32 - rot) & 31))) >>> 0;
  };
  next();
  state = (state + BigInt(seed)) & mask;
  next();
  return next;
}

/**
 * The chase in float64 from the definition: codes one-hot, or the core's seeded normals
 * (randomNormal, the documented stream) scaled to unit length; keys = codes x sharpness,
 * values = the targets' codes, each layer's output the next query, positions the nearest
 * code. Returns weights, outputs, positions and each position's margin (how much farther
 * the second-nearest code is), so float32 near-ties can be told apart.
 */
function referenceChase(pointers, layers, sharpness, dim, seed) {
  const n = pointers.length;
  const d = dim > 0 && dim < n ? dim : n;
  const codes = new Float64Array(n * d);
  if (d === n) {
    for (let i = 0; i < n; i++) codes[i * d + i] = 1;
  } else {
    const normals = lab.randomNormal({ seed, count: n * d });
    for (let i = 0; i < n; i++) {
      let norm2 = 0;
      for (let k = 0; k < d; k++) norm2 += normals[i * d + k] ** 2;
      for (let k = 0; k < d; k++) codes[i * d + k] = normals[i * d + k] / Math.sqrt(norm2);
    }
  }
  const weights = new Float64Array(layers * n * n), outputs = new Float64Array(layers * n * d);
  const positions = [], margins = [];
  let query = codes.slice();
  for (let l = 0; l < layers; l++) {
    const next = new Float64Array(n * d);
    for (let s = 0; s < n; s++) {
      const logits = [];
      for (let j = 0; j < n; j++) {
        let dot = 0;
        for (let k = 0; k < d; k++) dot += query[s * d + k] * codes[j * d + k] * sharpness;
        logits.push(dot);
      }
      const max = Math.max(...logits);
      const e = logits.map((x) => Math.exp(x - max));
      const z = e.reduce((a, b) => a + b, 0);
      for (let j = 0; j < n; j++) {
        weights[(l * n + s) * n + j] = e[j] / z;
        for (let k = 0; k < d; k++) next[s * d + k] += (e[j] / z) * codes[pointers[j] * d + k];
      }
      const distance = [];
      for (let j = 0; j < n; j++) {
        let dd = 0;
        for (let k = 0; k < d; k++) dd += (next[s * d + k] - codes[j * d + k]) ** 2;
        distance.push(dd);
      }
      const best = distance.indexOf(Math.min(...distance));
      positions.push(best);
      margins.push(Math.min(...distance.filter((_, j) => j !== best).concat(Infinity)) - distance[best]);
    }
    outputs.set(next, l * n * d);
    query = next;
  }
  return { codes, weights, outputs, positions, margins };
}

function assertClose(actual, expected, tol, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Number.isFinite(actual[i]), `${what}[${i}] is ${actual[i]}`);
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}] = ${actual[i]}, expected ${expected[i]}`);
  }
}

/** A chase whose every number is known: a 4-cycle with a self-loop, sharp attention. */
function stillExact() {
  const r = lab.pointerChase({ pointers: [0, 2, 3, 1], layers: 3 });
  assert.deepEqual([...r.positions], [0, 2, 3, 1, 0, 3, 1, 2, 0, 1, 2, 3], 'the lab is still exact');
}

describe('pointerChase', () => {
  test('one-hot codes, sharp attention: every start stands at pointers^L, for every (k, L) up to 6', () => {
    for (const n of [1, 2, 5, 17, 32]) {
      for (const sharpness of [100, FLOAT32_MAX]) {
        const pointers = somePointers(n, 1000 + n);
        for (let layers = 1; layers <= 6; layers++) {
          for (let hops = 1; hops <= 6; hops++) {
            const r = lab.pointerChase({ pointers, layers, hops, sharpness });
            const what = `n=${n} sharpness=${sharpness} L=${layers} k=${hops}`;
            assert.equal(r.codeLength, n);
            assert.ok(r.positions instanceof Int32Array && r.targets instanceof Int32Array);
            let agree = 0;
            for (let s = 0; s < n; s++) {
              for (let l = 0; l < layers; l++) assert.equal(r.positions[l * n + s], follow(pointers, s, l + 1), what);
              for (let t = 0; t < Math.max(layers, hops); t++) assert.equal(r.targets[t * n + s], follow(pointers, s, t + 1));
              for (let j = 0; j < n; j++) assert.equal(r.weights[s * n + j], j === s ? 1 : 0, `${what} layer 1 weights`);
              agree += follow(pointers, s, layers) === follow(pointers, s, hops);
            }
            assert.deepEqual([...r.accuracy], new Array(layers).fill(1), what);
            assert.equal(r.answerAccuracy, Math.fround(agree / n), what);
          }
        }
      }
    }
  });

  test('matches the float64 reference: soft attention, one-hot and crowded codes', () => {
    for (const [n, dim, sharpness, seed] of [[9, undefined, 2, 1], [12, 5, 4, 2], [20, 3, 8, 3], [7, 7, 1.5, 4], [16, 2, 3, 5]]) {
      const pointers = somePointers(n, seed * 31);
      const layers = 4;
      const r = lab.pointerChase({ pointers, layers, sharpness, dim, seed });
      const want = referenceChase(pointers, layers, sharpness, dim ?? 0, seed);
      const what = `n=${n} dim=${dim} sharpness=${sharpness}`;
      assertClose(r.codes, want.codes, 1e-6, `${what} codes`);
      assertClose(r.weights, want.weights, 2e-5, `${what} weights`);
      assertClose(r.outputs, want.outputs, 2e-5, `${what} outputs`);
      let decided = 0;
      for (let i = 0; i < layers * n; i++) {
        if (want.margins[i] > 1e-4) {
          assert.equal(r.positions[i], want.positions[i], `${what} position ${i}`);
          decided++;
        }
      }
      assert.ok(decided > layers * n / 2, `${what}: only ${decided} positions were clear-cut`);
      for (let l = 0; l < layers; l++) {
        let correct = 0;
        for (let s = 0; s < n; s++) correct += r.positions[l * n + s] === follow(pointers, s, l + 1);
        assert.equal(r.accuracy[l], Math.fround(correct / n), `${what} accuracy ${l}`);
      }
    }
  });

  test('huge sharpness: the softmax limit, with ties shared evenly, never NaN', () => {
    const pointers = somePointers(16, 9);
    const r = lab.pointerChase({ pointers, layers: 3, sharpness: FLOAT32_MAX, dim: 1, seed: 2 });
    assert.ok(r.weights.every(Number.isFinite) && r.outputs.every(Number.isFinite));
    // dim 1: every code is +1 or -1; start s shares its weight among the codes equal to its own
    for (let s = 0; s < 16; s++) {
      const same = [...r.codes].filter((c) => c === r.codes[s]).length;
      for (let j = 0; j < 16; j++) {
        const want = r.codes[j] === r.codes[s] ? 1 / same : 0;
        assert.ok(Math.abs(r.weights[s * 16 + j] - want) < 1e-6, `weight ${s},${j}`);
      }
    }
  });

  test('the SIMD and the scalar builds agree', () => {
    const args = { pointers: somePointers(24, 4), layers: 5, sharpness: 4, dim: 6, seed: 8 };
    const a = lab.pointerChase(args), b = scalarLab.pointerChase(args);
    assertClose(a.weights, b.weights, 1e-5, 'weights');
    assertClose(a.outputs, b.outputs, 1e-5, 'outputs');
    assert.deepEqual(a.codes, b.codes);
    assert.deepEqual(a.targets, b.targets);
  });

  test('pointers may be an Int32Array or a plain array; each element is read once', () => {
    const plain = [1, 2, 0];
    const a = lab.pointerChase({ pointers: Int32Array.from(plain), layers: 2 });
    let reads = 0;
    const proxy = new Proxy(plain, { get: (t, k) => { if (typeof k === 'string' && /^\d+$/.test(k)) reads++; return t[k]; } });
    const b = lab.pointerChase({ pointers: proxy, layers: 2 });
    assert.equal(reads, 3);
    assert.deepEqual(a.positions, b.positions);
    assert.deepEqual([...a.positions], [1, 2, 0, 2, 0, 1]);
  });
});

describe('pointerChaseAccuracy and randomPointers', () => {
  test('randomPointers draws PCG32 stream 7 without modulo bias, the same in both builds', () => {
    for (const [n, seed] of [[1, 0], [7, 3], [32, 11], [1000, 12345678901]]) {
      const got = lab.randomPointers({ n, seed });
      const next = pcg32(seed, 7);
      const threshold = (2 ** 32 - n) % n;
      const want = [];
      for (let i = 0; i < n; i++) {
        let r = next();
        while (r < threshold) r = next();
        want.push(r % n);
      }
      assert.deepEqual([...got], want, `n=${n} seed=${seed}`);
      assert.deepEqual(scalarLab.randomPointers({ n, seed }), got);
    }
  });

  test('trial t is the chase of randomPointers({ n, seed: seed + t }) with codes from seed + t', () => {
    const [n, layers, sharpness, dim, trials, seed] = [14, 4, 3, 5, 6, 70];
    const got = lab.pointerChaseAccuracy({ n, layers, sharpness, dim, trials, seed });
    const per = [];
    for (let t = 0; t < trials; t++) {
      per.push(lab.pointerChase({ pointers: lab.randomPointers({ n, seed: seed + t }), layers, sharpness, dim, seed: seed + t }).accuracy);
    }
    for (let l = 0; l < layers; l++) {
      const values = per.map((a) => a[l]);
      const mean = values.reduce((a, b) => a + b, 0) / trials;
      const sd = Math.sqrt(values.reduce((a, x) => a + (x - mean) ** 2, 0) / (trials - 1));
      assert.ok(Math.abs(got.accuracy[l] - mean) < 1e-6, `mean ${l}`);
      assert.ok(Math.abs(got.standardError[l] - sd / Math.sqrt(trials)) < 1e-6, `standard error ${l}`);
    }
  });

  test('soft attention and crowded codes: errors appear and grow with hops (means over 60 arrays)', () => {
    const soft = lab.pointerChaseAccuracy({ n: 32, layers: 6, sharpness: 3, trials: 60, seed: 11 });
    const crowded = lab.pointerChaseAccuracy({ n: 32, layers: 6, sharpness: 10, dim: 8, trials: 60, seed: 21 });
    const sharp = lab.pointerChaseAccuracy({ n: 32, layers: 6, sharpness: 10, trials: 60, seed: 21 });
    for (const [what, a, slack] of [['soft', soft.accuracy, 0.01], ['crowded', crowded.accuracy, 0.005]]) {
      for (let l = 0; l + 1 < 6; l++) assert.ok(a[l + 1] <= a[l] + slack, `${what}: hop ${l + 2} ${a[l + 1]} vs ${a[l]}`);
    }
    assert.ok(soft.accuracy[5] < 0.5 && soft.accuracy[0] > 0.95, `${soft.accuracy}`);
    assert.ok(crowded.accuracy[5] < crowded.accuracy[0] - 0.02, `${crowded.accuracy}`);
    assert.deepEqual([...sharp.accuracy], new Array(6).fill(1));
    // the same numbers as the native doctest printed for these settings
    assert.deepEqual(lab.pointerChaseAccuracy({ n: 32, layers: 6, sharpness: 3, trials: 60, seed: 11 }), soft);
    assert.deepEqual(scalarLab.pointerChaseAccuracy({ n: 32, layers: 6, sharpness: 3, trials: 60, seed: 11 }).accuracy, soft.accuracy);
  });
});

describe('bad arguments', () => {
  const good = () => ({ pointers: [1, 2, 0, 0], layers: 2, hops: 3, sharpness: 5, dim: 2, seed: 3 });
  const cases = [
    ['pointers', (a) => { delete a.pointers; }],
    ['pointers', (a) => { a.pointers = 'abc'; }],
    ['pointers', (a) => { a.pointers = []; }],
    ['pointers', (a) => { a.pointers = null; }],
    ['pointers', (a) => { a.pointers = new Array(1025).fill(0); }],
    ['pointers', (a) => { a.pointers = new BigInt64Array(4); }],
    ['pointers[1]', (a) => { a.pointers[1] = 4; }],
    ['pointers[2]', (a) => { a.pointers[2] = -1; }],
    ['pointers[0]', (a) => { a.pointers[0] = 1.5; }],
    ['pointers[3]', (a) => { a.pointers[3] = NaN; }],
    ['pointers[3]', (a) => { a.pointers[3] = '1'; }],
    ['pointers[0]', (a) => { a.pointers = new Float32Array([0.5, 0, 0, 0]); }],
    ['layers', (a) => { a.layers = 0; }],
    ['layers', (a) => { a.layers = 65; }],
    ['layers', (a) => { a.layers = 1.5; }],
    ['layers', (a) => { a.layers = null; }],
    ['layers', (a) => { a.layers = 2n; }],
    ['hops', (a) => { a.hops = 0; }],
    ['hops', (a) => { a.hops = 65; }],
    ['sharpness', (a) => { a.sharpness = 0; }],
    ['sharpness', (a) => { a.sharpness = -2; }],
    ['sharpness', (a) => { a.sharpness = Infinity; }],
    ['sharpness', (a) => { a.sharpness = NaN; }],
    ['sharpness', (a) => { a.sharpness = 1e39; }],
    ['sharpness', (a) => { a.sharpness = 1e-50; }],
    ['sharpness', (a) => { a.sharpness = '5'; }],
    ['dim', (a) => { a.dim = 0; }],
    ['dim', (a) => { a.dim = 1025; }],
    ['dim', (a) => { a.dim = 2.5; }],
    ['dim', (a) => { a.dim = null; }],
    ['seed', (a) => { a.seed = -1; }],
    ['seed', (a) => { a.seed = 0.5; }],
    ['seed', (a) => { a.seed = 2 ** 53; }],
    ['layers', (a) => { Object.assign(a, { pointers: new Array(1024).fill(0), layers: 1, hops: 1 }); delete a.dim; }],
    ['unknown option \'layer\'', (a) => { a.layer = 2; }],
  ];
  for (const [name, spoil] of cases) {
    test(`pointerChase: ${name} (${spoil.toString().slice(6, 70)}) throws naming it, then the lab is exact`, () => {
      const args = good();
      spoil(args);
      assert.throws(() => lab.pointerChase(args), (e) => e instanceof Error && e.message.startsWith('pointerChase: ') && e.message.includes(name),
        `message should name ${name}`);
      stillExact();
    });
  }

  const accuracyCases = [
    ['n', (a) => { delete a.n; }],
    ['n', (a) => { a.n = 0; }],
    ['n', (a) => { a.n = 1025; }],
    ['trials', (a) => { a.trials = 0; }],
    ['trials', (a) => { a.trials = 10001; }],
    ['trials', (a) => { Object.assign(a, { n: 512, trials: 3, layers: 1 }); delete a.dim; }],
    ['seed', (a) => { Object.assign(a, { seed: Number.MAX_SAFE_INTEGER, trials: 2 }); }],
    ['layers', (a) => { a.layers = 100; }],
    ['sharpness', (a) => { a.sharpness = 0; }],
    ['dim', (a) => { a.dim = -3; }],
    ['unknown option \'pointers\'', (a) => { a.pointers = [0]; }],
  ];
  for (const [name, spoil] of accuracyCases) {
    test(`pointerChaseAccuracy: ${name} (${spoil.toString().slice(6, 70)}) throws naming it, then the lab is exact`, () => {
      const args = { n: 8, layers: 2, sharpness: 3, dim: 3, trials: 4, seed: 1 };
      spoil(args);
      assert.throws(() => lab.pointerChaseAccuracy(args), (e) => e.message.startsWith('pointerChaseAccuracy: ') && e.message.includes(name));
      stillExact();
    });
  }

  test('randomPointers: n and seed are named', () => {
    assert.throws(() => lab.randomPointers({ n: 4 }), /randomPointers: seed is required/);
    assert.throws(() => lab.randomPointers({ n: 0, seed: 1 }), /randomPointers: n must be an integer from 1 to 1024/);
    assert.throws(() => lab.randomPointers({ n: 3, seed: -1 }), /randomPointers: seed/);
    assert.throws(() => lab.randomPointers({ n: 3, seed: 1, sead: 1 }), /unknown option 'sead'/);
    assert.throws(() => lab.pointerChase(), /pointerChase: expected one options object/);
    stillExact();
  });
});
