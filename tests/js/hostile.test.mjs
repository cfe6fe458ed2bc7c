// The lab tried as an attacker would: a table of hostile calls, each followed by the
// normal calls of every entry point, compared bit for bit with the answers of a fresh
// lab that never saw a hostile call. Each hostile call either throws an Error naming the
// argument or returns a correct result; nothing may poison the module. SIMD and scalar.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import createAttentionLab from '../../dist/node.mjs';
import * as ref from './reference.mjs';

const FLT_MAX = 3.4028234663852886e38;

/** One call of every entry point, with ordinary inputs: what must never change. */
function normalCalls(lab) {
  const args = { q: ref.normals(6 * 5, 1), k: ref.normals(9 * 5, 2), v: ref.normals(9 * 3, 3), nq: 6, nk: 9, dk: 5, dv: 3 };
  const d = 8;
  const mha = {
    x: ref.normals(7 * d, 4), n: 7, dModel: d, heads: 2, mask: 'causal',
    wq: ref.normals(d * d, 5, 0.3), wk: ref.normals(d * d, 6, 0.3), wv: ref.normals(d * d, 7, 0.3), wo: ref.normals(d * d, 8, 0.3),
  };
  const materialised = lab.attention({ ...args, scores: true, mask: 'local', window: 2, temperature: 0.7 });
  const weights = materialised.weights;
  return {
    materialised,
    fused: lab.attention({ ...args, weights: false, scaling: 'l2' }).output,
    long: lab.attention({ ...args, q: ref.normals(200 * 5, 9), nq: 200, k: ref.normals(150 * 5, 10), nk: 150, v: ref.normals(150 * 3, 11), weights: false, mask: 'causal' }).output,
    mha: lab.multiHeadAttention(mha),
    mhaFused: lab.multiHeadAttention({ ...mha, weights: false, tieKV: true, wv: undefined }).output,
    entropy: lab.entropy({ weights, rows: 6, cols: 9 }),
    effective: lab.effectiveTokens({ weights, rows: 6, cols: 9 }),
    max: lab.maxWeight({ weights, rows: 6, cols: 9 }),
    mixture: lab.mixtureEntropy({ weights: lab.multiHeadAttention(mha).weights, heads: 2, rows: 7, cols: 7 }),
    variance: lab.variance({ values: args.q }),
    normals: lab.randomNormal({ seed: 11, count: 100 }),
    experiment: lab.scalingExperiment({ dk: 16, samples: 2000, scaling: 'sqrt' }),
  };
}

const small = () => ({ q: [1, 0], k: [1, 0, 0, 1], v: [10, 20], nq: 1, nk: 2, dk: 2, dv: 1, scaling: 'none' });
const goodMha = () => {
  const d = 4;
  return { x: ref.normals(3 * d, 1), n: 3, dModel: d, heads: 2, wq: ref.normals(16, 2), wk: ref.normals(16, 3), wv: ref.normals(16, 4), wo: ref.normals(16, 5) };
};
const distribution = () => ({ weights: [0.5, 0.5, 0.25, 0.75], rows: 2, cols: 2 });

/** A Float32Array subclass whose `length` lies. */
class LyingLength extends Float32Array {
  get length() { return 2; }
}

/** Expect the call to succeed and its result to satisfy `check`. */
const ok = (check) => ({ ok: check });
const near = (x, want, tol = 1e-5) => assert.ok(Math.abs(x - want) <= tol, `${x} should be ${want}`);
const allFinite = (a) => { for (const x of a) assert.ok(Number.isFinite(x), `${x} is not finite`); };

// [what, call, expectation]: a RegExp the Error's message must match (it names the
// argument), or ok(check) for calls that are legitimate and must be right.
const HOSTILE = [
  // Size arithmetic that would wrap a 32-bit size_t, and allocations beyond the heap.
  ['dv = 2^23 (fused; the issue\'s example)', (lab) => lab.attention({ q: [1], k: [1], v: new Float32Array(2 ** 23).fill(3), nq: 1, nk: 1, dk: 1, dv: 2 ** 23, weights: false }),
    ok((r) => { assert.equal(r.output.length, 2 ** 23); assert.equal(r.output[0], 3); assert.equal(r.output[2 ** 23 - 1], 3); })],
  ['dv = 2^23 (materialised)', (lab) => lab.attention({ q: [1], k: [1], v: new Float32Array(2 ** 23).fill(3), nq: 1, nk: 1, dk: 1, dv: 2 ** 23 }),
    ok((r) => assert.equal(r.output[12345], 3))],
  ['dk = 2^22 (1 GiB of scratch before)', (lab) => lab.attention({ q: new Float32Array(2 ** 22), k: new Float32Array(2 ** 23), v: [1, 2], nq: 1, nk: 2, dk: 2 ** 22, dv: 1 }),
    ok((r) => { near(r.output[0], 1.5); })],
  ['dk = 2^24 (wrapped to 0 bytes before)', (lab) => lab.attention({ q: new Float32Array(2 ** 24).fill(1), k: new Float32Array(2 ** 24).fill(-1), v: [7], nq: 1, nk: 1, dk: 2 ** 24, dv: 1, weights: false }),
    ok((r) => assert.equal(r.output[0], 7))],
  ['130 queries with dv = 2^18 (a block of 128 accumulator rows of 1 MiB)', (lab) => lab.attention({ q: new Float32Array(130), k: [0], v: new Float32Array(2 ** 18).fill(-2), nq: 130, nk: 1, dk: 1, dv: 2 ** 18, weights: false }),
    ok((r) => { assert.equal(r.output[0], -2); assert.equal(r.output[130 * 2 ** 18 - 1], -2); })],
  ['heads x nq x nk weights of 2^32 floats', (lab) => lab.attention({ q: [1], k: [1], v: [1], nq: 2 ** 11, nk: 2 ** 11, dk: 1, dv: 1, heads: 2 ** 10 }), /attention: weights too large/],
  ['nq = 2^31 - 1', (lab) => lab.attention({ ...small(), nq: 2 ** 31 - 1 }), /attention: (q|output) too large/],
  ['nq = 2^31', (lab) => lab.attention({ ...small(), nq: 2 ** 31 }), /nq must be at most 2147483647/],
  ['nk = 2^53', (lab) => lab.attention({ ...small(), nk: 2 ** 53 }), /nk must be a positive integer/],
  ['dk = 2^32 + 2 (wraps to 2)', (lab) => lab.attention({ ...small(), dk: 2 ** 32 + 2 }), /dk must be at most/],
  ['heads = 2^16 of one key each', (lab) => lab.attention({ q: new Float32Array(2 ** 16).fill(1), k: new Float32Array(2 ** 16).fill(1), v: new Float32Array(2 ** 16).fill(5), nq: 1, nk: 1, dk: 1, dv: 1, heads: 2 ** 16, weights: false }),
    ok((r) => { assert.equal(r.output.length, 2 ** 16); assert.ok(r.output.every((x) => x === 5)); })],
  ['window = 2^32 (wraps to 0)', (lab) => lab.attention({ ...small(), mask: 'local', window: 2 ** 32 }), /window must be at most 2147483647/],
  ['window = 2^31 - 1 (query + window + 1 overflows 32 bits)', (lab) => lab.attention({ ...small(), mask: 'local', window: 2 ** 31 - 1 }),
    ok((r) => near(r.output[0], (10 * Math.E + 20) / (Math.E + 1), 1e-4))],
  ['multi-head n x dModel of 2^32', (lab) => lab.multiHeadAttention({ ...goodMha(), n: 2 ** 16, dModel: 2 ** 16, heads: 1 }), /multiHeadAttention: .*too large/],
  ['multi-head heads x n x n of 2^33', (lab) => lab.multiHeadAttention({ ...goodMha(), n: 2 ** 15, dModel: 2 ** 3, heads: 2 ** 3 }), /multiHeadAttention: .*too large/],
  ['randomNormal count = 2^28 + 1', (lab) => lab.randomNormal({ seed: 1, count: 2 ** 28 + 1 }), /count too large/],
  ['entropy of 2^40 weights', (lab) => lab.entropy({ weights: [1], rows: 2 ** 20, cols: 2 ** 20 }), /entropy: weights too large/],

  // Calls that aborted the module (bad_alloc without exceptions), and runaway work.
  ['scalingExperiment keys = samples = 2^26 (aborted before)', (lab) => lab.scalingExperiment({ dk: 1, keys: 2 ** 26, samples: 2 ** 26 }), /keys must be an integer from 2 to 65536/],
  ['scalingExperiment keys = 65536', (lab) => lab.scalingExperiment({ dk: 1, keys: 65536, samples: 65536 }),
    ok((r) => { assert.equal(r.weights.length, 65536); near(r.weights.reduce((s, w) => s + w, 0), 1, 1e-3); })],
  ['scalingExperiment dk = 2^29', (lab) => lab.scalingExperiment({ dk: 2 ** 29, keys: 2, samples: 2 }), /samples \* dk is too much work/],
  ['scalingExperiment dk = 2^28: the core runs out of memory cleanly', (lab) => lab.scalingExperiment({ dk: 2 ** 28, keys: 2, samples: 2 }), /dk too large: out of memory/],
  ['scalingExperiment samples = 2^31 - 1', (lab) => lab.scalingExperiment({ dk: 1, samples: 2 ** 31 - 1 }), /samples \* dk is too much work/],
  ['scalingExperiment keys = 1', (lab) => lab.scalingExperiment({ dk: 1, keys: 1 }), /keys must be an integer from 2/],
  ['scalingExperiment samples < keys', (lab) => lab.scalingExperiment({ dk: 1, keys: 8, samples: 7 }), /samples must be at least keys/],
  ['scalingExperiment seed = 2^53', (lab) => lab.scalingExperiment({ dk: 1, seed: 2 ** 53 }), /seed must be a non-negative integer/],
  ['scalingExperiment seed = -1', (lab) => lab.scalingExperiment({ dk: 1, seed: -1 }), /seed must be/],

  // Extreme temperatures.
  ['temperature 1e-45 (NaN and 15 before)', (lab) => [lab.attention({ ...small(), temperature: 1e-45 }), lab.attention({ ...small(), temperature: 1e-45, weights: false })],
    ok(([m, f]) => { assert.deepEqual([...m.weights], [1, 0]); assert.equal(m.output[0], 10); assert.equal(f.output[0], 10); })],
  ['temperature Number.MIN_VALUE', (lab) => lab.attention({ ...small(), temperature: Number.MIN_VALUE }), /temperature = 5e-324 is too small: it must be a float32 from 1\.4\d*e-45/],
  ['temperature 1e-46', (lab) => lab.attention({ ...small(), temperature: 1e-46 }), /temperature = 1e-46 is too small/],
  ['temperature 1e-39 (1/T overflows float)', (lab) => lab.attention({ ...small(), temperature: 1e-39, scores: true }),
    ok((r) => { assert.deepEqual([...r.weights], [1, 0]); assert.deepEqual([...r.scores], [FLT_MAX, 0]); })],
  ['temperature FLT_MAX', (lab) => lab.attention({ ...small(), temperature: FLT_MAX }), ok((r) => near(r.output[0], 15))],
  ['temperature 3.5e38', (lab) => lab.attention({ ...small(), temperature: 3.5e38 }), /temperature = 3\.5e\+38 is too large: it must be a float32 from/],
  ['temperature Infinity', (lab) => lab.attention({ ...small(), temperature: Infinity }), /temperature must be a number > 0/],
  ['temperature -0', (lab) => lab.attention({ ...small(), temperature: -0 }), /temperature must be a number > 0/],
  ['temperature NaN', (lab) => lab.attention({ ...small(), temperature: NaN }), /temperature must be a number > 0/],
  ['temperature "1"', (lab) => lab.attention({ ...small(), temperature: '1' }), /temperature must be a number > 0.*got '1'/],
  ['temperature 1e-45 with tied keys', (lab) => lab.attention({ q: [1, 1], k: [1, 0, 0, 1, 0, 0], v: [10, 20, 30], nq: 1, nk: 3, dk: 2, dv: 1, scaling: 'none', temperature: 1e-45 }),
    ok((r) => { assert.deepEqual([...r.weights], [0.5, 0.5, 0]); assert.equal(r.output[0], 15); })],

  // Values at and beyond float32's range.
  ['values near FLT_MAX (fused sums overflowed)', (lab) => lab.attention({ q: ref.normals(4, 1), k: ref.normals(40, 2), v: Float32Array.from({ length: 20 }, (_, i) => (i % 2 ? 3.3e38 : -3e38)), nq: 2, nk: 20, dk: 2, dv: 1, weights: false }),
    ok((r) => allFinite(r.output))],
  ['q and k near FLT_MAX (scores overflow)', (lab) => lab.attention({ q: [3e38, 3e38], k: [3e38, 3e38, -3e38, 3e38], v: [1, 2], nq: 1, nk: 2, dk: 2, dv: 1, scores: true }),
    ok((r) => { allFinite(r.weights); allFinite(r.output); allFinite(r.scores); })],
  ['l2 scaling with denormal keys', (lab) => lab.attention({ q: [2, 1], k: [1e-44, 0, 0, 1e-44], v: [1, 2], nq: 1, nk: 2, dk: 2, dv: 1, scaling: 'l2' }),
    ok((r) => near(r.weights[0], Math.exp(2) / (Math.exp(2) + Math.exp(1))))],
  ['l2 scaling with keys near FLT_MAX', (lab) => lab.attention({ q: [2, 1], k: [3e38, 0, 0, 3e38], v: [1, 2], nq: 1, nk: 2, dk: 2, dv: 1, scaling: 'l2' }),
    ok((r) => near(r.weights[0], Math.exp(2) / (Math.exp(2) + Math.exp(1))))],
  ['v[1] = 1e39 in an array', (lab) => lab.attention({ ...small(), v: [1, 1e39] }), /v\[1\] = 1e\+39 does not fit in float32/],
  ['q as a Float64Array holding 1e300', (lab) => lab.attention({ ...small(), q: new Float64Array([1e300, 0]) }), /q\[0\] = 1e\+300 does not fit in float32/],
  ['k[2] = NaN', (lab) => lab.attention({ ...small(), k: [1, 0, NaN, 1] }), /k\[2\] must be a finite number, got NaN/],
  ['v = Float32Array with -Infinity', (lab) => lab.attention({ ...small(), v: new Float32Array([1, -Infinity]) }), /v\[1\] must be a finite number, got -Infinity/],
  ['multi-head projections overflow', (lab) => lab.multiHeadAttention({ ...goodMha(), x: new Float32Array(12).fill(3e38) }), /x times wq, wk or wv overflows float32/],
  ['multi-head output overflows', (lab) => lab.multiHeadAttention({ ...goodMha(), wo: new Float32Array(16).fill(3e38), x: new Float32Array(12).fill(100), wq: new Float32Array(16), wk: new Float32Array(16), wv: new Float32Array(16).fill(1) }), /times wo overflow float32/],
  ['variance of values near FLT_MAX', (lab) => lab.variance({ values: [FLT_MAX, -FLT_MAX] }), ok((r) => near(r / FLT_MAX ** 2, 1, 1e-9))],

  // Types the core cannot take.
  ['nq = 1.5', (lab) => lab.attention({ ...small(), nq: 1.5 }), /nq must be a positive integer, got 1.5/],
  ['nq = -1', (lab) => lab.attention({ ...small(), nq: -1 }), /nq must be a positive integer/],
  ['nq = 0', (lab) => lab.attention({ ...small(), nq: 0 }), /nq must be a positive integer, got 0/],
  ['nq = -0', (lab) => lab.attention({ ...small(), nq: -0 }), /nq must be a positive integer/],
  ['nq = "1"', (lab) => lab.attention({ ...small(), nq: '1' }), /nq must be a positive integer, got '1'/],
  ['nq = [1]', (lab) => lab.attention({ ...small(), nq: [1] }), /nq must be a positive integer, got an array/],
  ['nq = true', (lab) => lab.attention({ ...small(), nq: true }), /nq must be a positive integer, got true/],
  ['nq = 1n', (lab) => lab.attention({ ...small(), nq: 1n }), /nq must be a positive integer, got a BigInt/],
  ['nq = new Number(1)', (lab) => lab.attention({ ...small(), nq: new Number(1) }), /nq must be a positive integer, got an object/],
  ['nq = NaN', (lab) => lab.attention({ ...small(), nq: NaN }), /nq must be a positive integer, got NaN/],
  ['nq = Infinity', (lab) => lab.attention({ ...small(), nq: Infinity }), /nq must be a positive integer, got Infinity/],
  ['nq = Symbol()', (lab) => lab.attention({ ...small(), nq: Symbol('x') }), /nq must be a positive integer, got a Symbol/],
  ['nq = null', (lab) => lab.attention({ ...small(), nq: null }), /nq must be a positive integer, got null/],
  ['q = "1,0"', (lab) => lab.attention({ ...small(), q: '1,0' }), /q must be a Float32Array or an array of numbers, got '1,0'/],
  ['q = array-like object', (lab) => lab.attention({ ...small(), q: { length: 2, 0: 1, 1: 0 } }), /q must be a Float32Array or an array of numbers, got an object/],
  ['q = sparse array', (lab) => lab.attention({ ...small(), q: [1, , ] }), /q\[1\] must be a finite number, got undefined/], // eslint-disable-line no-sparse-arrays
  ['q = nested arrays', (lab) => lab.attention({ ...small(), q: [[1], [0]] }), /q\[0\] must be a finite number, got an array/],
  ['q = DataView', (lab) => lab.attention({ ...small(), q: new DataView(new ArrayBuffer(8)) }), /q must be a Float32Array or an array of numbers, got a DataView/],
  ['q = BigInt64Array', (lab) => lab.attention({ ...small(), q: new BigInt64Array(2) }), /q must hold Numbers, got a BigInt64Array/],
  ['q = Uint8Array', (lab) => lab.attention({ ...small(), q: new Uint8Array([1, 0]) }), ok((r) => near(r.output[0], (10 * Math.E + 20) / (Math.E + 1), 1e-4))],
  ['q = a function', (lab) => lab.attention({ ...small(), q: () => [1, 0] }), /q must be a Float32Array or an array of numbers, got a function/],
  ['q = [1, "0"]', (lab) => lab.attention({ ...small(), q: [1, '0'] }), /q\[1\] must be a finite number, got '0'/],
  ['q = [1, 2n]', (lab) => lab.attention({ ...small(), q: [1, 2n] }), /q\[1\] must be a finite number, got a BigInt/],
  ['q too short', (lab) => lab.attention({ ...small(), q: [1] }), /q must have nq\*dk = 2 elements, got 1/],
  ['q too long', (lab) => lab.attention({ ...small(), q: new Float32Array(3) }), /q must have nq\*dk = 2 elements, got 3/],
  ['scaling = "SQRT"', (lab) => lab.attention({ ...small(), scaling: 'SQRT' }), /scaling must be one of 'sqrt', 'none', 'l2'/],
  ['scaling = 0', (lab) => lab.attention({ ...small(), scaling: 0 }), /scaling must be one of/],
  ['mask = "toString"', (lab) => lab.attention({ ...small(), mask: 'toString' }), /mask must be one of/],
  ['mask = new String("none")', (lab) => lab.attention({ ...small(), mask: new String('none') }), /mask must be one of .* got an object/],
  ['weights = 1', (lab) => lab.attention({ ...small(), weights: 1 }), /weights must be true or false, got 1/],
  ['window = -1', (lab) => lab.attention({ ...small(), mask: 'local', window: -1 }), /window must be a non-negative integer/],
  ['local mask without a window', (lab) => lab.attention({ ...small(), mask: 'local' }), /window is required/],
  ['heads = 0', (lab) => lab.attention({ ...small(), heads: 0 }), /heads must be a positive integer, got 0/],
  ['options = null', (lab) => lab.attention(null), /attention: expected one options object, got null/],
  ['options = an array', (lab) => lab.attention([small()]), /expected one options object, got an array/],
  ['options = a function', (lab) => lab.attention(Object.assign(() => {}, small())), /expected one options object, got a function/],
  ['options = a string', (lab) => lab.attention('q'), /expected one options object, got 'q'/],
  ['no options', (lab) => lab.attention(), /expected one options object, got undefined/],
  ['unknown option "temprature"', (lab) => lab.attention({ ...small(), temprature: 1e-45 }), /unknown option 'temprature' \(did you mean 'temperature'\?\)/],
  ['unknown option "__proto__" as an own key', (lab) => lab.attention(JSON.parse(`{"__proto__": {"x": 1}, ${JSON.stringify(small()).slice(1)}`)), /unknown option '__proto__'/],
  ['a symbol-keyed extra option', (lab) => lab.attention({ ...small(), [Symbol('x')]: 1 }), ok((r) => near(r.output[0], (10 * Math.E + 20) / (Math.E + 1), 1e-4))],

  // Inputs read twice, prototypes, subclasses, buffers that change under us.
  ['Object.prototype.temperature polluted', (lab) => {
    Object.prototype.temperature = 1e-45; // eslint-disable-line no-extend-native
    try { return lab.attention(small()); } finally { delete Object.prototype.temperature; }
  }, ok((r) => near(r.output[0], (10 * Math.E + 20) / (Math.E + 1), 1e-4))],
  ['Object.prototype.q polluted, q missing', (lab) => {
    Object.prototype.q = [1, 0]; // eslint-disable-line no-extend-native
    try { const a = small(); delete a.q; return lab.attention(a); } finally { delete Object.prototype.q; }
  }, /q is required/],
  ['options inheriting from a prototype', (lab) => lab.attention(Object.create(small())), /attention: nq is required/],
  ['Float32Array subclass whose length lies (v really 10^6 long)', (lab) => lab.attention({ ...small(), v: new LyingLength(1e6) }), /v must have nk\*dv = 2 elements, got 1000000/],
  ['Float32Array subclass whose length lies (v really 1 long)', (lab) => lab.attention({ ...small(), v: new LyingLength(1) }), /v must have nk\*dv = 2 elements, got 1/],
  ['out: Float32Array subclass whose length lies', (lab) => lab.attention({ ...small(), out: new LyingLength(1e6) }), /out must be a Float32Array of nq\*dv = 1 elements, got a Float32Array of length 1000000/],
  ['out: a Float64Array', (lab) => lab.attention({ ...small(), out: new Float64Array(1) }), /out must be a Float32Array .* got a Float64Array/],
  ['out aliasing q', (lab) => { const q = new Float32Array([1, 0]); return [lab.attention({ ...small(), q, dv: 1, out: q.subarray(0, 1) }), q]; },
    ok(([r, q]) => { near(q[0], (10 * Math.E + 20) / (Math.E + 1), 1e-4); assert.equal(r.output[0], q[0]); })],
  ['q over a detached buffer', (lab) => { const q = new Float32Array([1, 0]); structuredClone(q.buffer, { transfer: [q.buffer] }); return lab.attention({ ...small(), q }); }, /q must have nq\*dk = 2 elements, got 0/],
  ['a getter detaches q after it was read', (lab) => {
    const q = new Float32Array([1, 0]);
    const a = small();
    a.q = q;
    Object.defineProperty(a, 'scaling', { enumerable: true, get: () => { structuredClone(q.buffer, { transfer: [q.buffer] }); return 'none'; } });
    return lab.attention(a);
  }, /q must have nq\*dk = 2 elements, got 0/],
  ['a getter grows a resizable buffer under v', (lab) => {
    const buffer = new ArrayBuffer(8, { maxByteLength: 1 << 24 });
    const v = new Float32Array(buffer);
    v.set([10, 20]);
    const a = { ...small(), v };
    Object.defineProperty(a, 'mask', { enumerable: true, get: () => { buffer.resize(1 << 24); return 'none'; } });
    return lab.attention(a);
  }, /v must have nk\*dv = 2 elements, got 4194304/],
  ['a getter shrinks the buffer of out', (lab) => {
    const buffer = new ArrayBuffer(4, { maxByteLength: 64 });
    const out = new Float32Array(buffer);
    const a = { ...small(), out };
    Object.defineProperty(a, 'weights', { enumerable: true, get: () => { buffer.resize(0); return false; } });
    return lab.attention(a);
  }, /out must be a Float32Array of nq\*dv = 1 elements, got a Float32Array of length 0/],
  ['a getter that throws', (lab) => lab.attention(Object.defineProperty(small(), 'dk', { enumerable: true, get() { throw new Error('dk getter says no'); } })), /dk getter says no/],
  ['a Proxy whose ownKeys throws', (lab) => lab.attention(new Proxy(small(), { ownKeys() { throw new Error('no keys for you'); } })), /no keys for you/],
  ['a Proxy of options read once', (lab) => {
    let gets = 0;
    const r = lab.attention(new Proxy(small(), { getOwnPropertyDescriptor(t, key) { gets += 1; return Reflect.getOwnPropertyDescriptor(t, key); } }));
    return [r, gets];
  }, ok(([r, gets]) => { assert.equal(gets, 8); near(r.output[0], (10 * Math.E + 20) / (Math.E + 1), 1e-4); })],
  ['a Proxy array that lies about its length', (lab) => {
    let reads = 0;
    const v = new Proxy([10, 20], { get: (t, key) => (key === 'length' ? (++reads === 1 ? 2 : 1e7) : t[key]) });
    return lab.attention({ ...small(), v });
  }, ok((r) => near(r.output[0], (10 * Math.E + 20) / (Math.E + 1), 1e-4))],
  ['variance: a Proxy array whose length grows after one read', (lab) => {
    let reads = 0;
    const values = new Proxy([1, 2, 3, 4], { get: (t, key) => (key === 'length' ? (++reads === 1 ? 4 : 1e8) : t[key]) });
    return lab.variance({ values });
  }, ok((r) => assert.equal(r, 1.25))],
  ['variance: a subclass whose length lies', (lab) => lab.variance({ values: new LyingLength(5).fill(1) }), ok((r) => assert.equal(r, 0))],
  ['variance: an empty array', (lab) => lab.variance({ values: [] }), /values must be a non-empty array/],
  ['variance: a string', (lab) => lab.variance({ values: 'abc' }), /values must be a Float32Array or an array of numbers/],

  // Statistics of rows that are not distributions.
  ['entropy of a negative entry', (lab) => lab.entropy({ weights: [1.5, -0.5], rows: 1, cols: 2 }), /weights\[1\] = -0\.5 is not a probability/],
  ['entropy of a row summing to 2', (lab) => lab.entropy({ weights: [1, 1], rows: 1, cols: 2 }), /weights: row 0 sums to 2; each row must sum to 1/],
  ['effectiveTokens of a row summing to 0.9', (lab) => lab.effectiveTokens({ ...distribution(), weights: [0.5, 0.5, 0.4, 0.5] }), /row 1 sums to 0\.9/],
  ['maxWeight of tiny negatives', (lab) => lab.maxWeight({ weights: [1 + 1e-6, -1e-6], rows: 1, cols: 2 }), /weights\[1\] = -1e-06 is not a probability/],
  ['mixtureEntropy with heads = 0', (lab) => lab.mixtureEntropy({ ...distribution(), heads: 0 }), /heads must be a positive integer, got 0/],
  ['mixtureEntropy without heads', (lab) => lab.mixtureEntropy(distribution()), /heads is required/],
  ['mixtureEntropy with a row zero in one head only', (lab) => lab.mixtureEntropy({ weights: [1, 0, 0, 0], heads: 2, rows: 1, cols: 2 }), /row 0 is all zeros in some heads only/],
  ['entropy of an all-zero row (a query that saw no key)', (lab) => [lab.entropy({ weights: [0, 0, 1, 0], rows: 2, cols: 2 }), lab.effectiveTokens({ weights: [0, 0, 1, 0], rows: 2, cols: 2 })],
    ok(([h, e]) => { assert.deepEqual([...h], [0, 0]); assert.deepEqual([...e], [0, 1]); })],
  ['entropy of weights with NaN', (lab) => lab.entropy({ weights: [NaN, 1], rows: 1, cols: 2 }), /weights\[0\] must be a finite number/],
  ['entropy with heads = 2^31', (lab) => lab.entropy({ ...distribution(), heads: 2 ** 31 }), /heads must be at most/],
  ['entropy with rows that do not match', (lab) => lab.entropy({ ...distribution(), rows: 3 }), /weights must have rows\*cols = 6 elements, got 4/],

  // Multi-head attention.
  ['multi-head dModel not divisible by heads', (lab) => lab.multiHeadAttention({ ...goodMha(), heads: 3 }), /dModel \(4\) must be divisible by heads \(3\)/],
  ['multi-head heads = 0', (lab) => lab.multiHeadAttention({ ...goodMha(), heads: 0 }), /heads must be a positive integer/],
  ['multi-head tieKv typo', (lab) => lab.multiHeadAttention({ ...goodMha(), tieKv: true }), /unknown option 'tieKv' \(did you mean 'tieKV'\?\)/],
  ['multi-head wv missing', (lab) => { const a = goodMha(); delete a.wv; return lab.multiHeadAttention(a); }, /wv is required/],
  ['multi-head wv NaN', (lab) => lab.multiHeadAttention({ ...goodMha(), wv: new Float32Array(16).fill(NaN) }), /wv\[0\] must be a finite number/],
  ['multi-head window = 2^31 - 1', (lab) => lab.multiHeadAttention({ ...goodMha(), mask: 'local', window: 2 ** 31 - 1 }), ok((r) => allFinite(r.output))],

  // Random numbers.
  ['randomNormal seed = 1.5', (lab) => lab.randomNormal({ seed: 1.5, count: 3 }), /seed must be a non-negative integer/],
  ['randomNormal seed missing', (lab) => lab.randomNormal({ count: 3 }), /seed is required/],
  ['randomNormal count = 0', (lab) => lab.randomNormal({ seed: 1, count: 0 }), /count must be a positive integer/],
  ['randomNormal seed = 2^53 - 1', (lab) => lab.randomNormal({ seed: 2 ** 53 - 1, count: 3 }), ok((r) => allFinite(r))],
];

const labs = {};
const expected = {};
before(async () => {
  for (const variant of ['simd', 'scalar']) {
    labs[variant] = await createAttentionLab({ variant });
    expected[variant] = normalCalls(await createAttentionLab({ variant })); // a fresh lab, never attacked
  }
});

describe('hostile calls leave the lab exact', () => {
  test(`the table holds ${HOSTILE.length} hostile calls, each run on both builds (${2 * HOSTILE.length} calls)`, () => {
    assert.ok(HOSTILE.length >= 100);
  });
  for (const [what, call, expectation] of HOSTILE) {
    test(what, () => {
      for (const variant of ['simd', 'scalar']) {
        const lab = labs[variant];
        if (expectation instanceof RegExp) {
          assert.throws(() => call(lab), (e) => e instanceof Error && expectation.test(e.message),
            `${variant}: should throw an Error matching ${expectation}`);
        } else {
          expectation.ok(call(lab));
        }
        assert.deepStrictEqual(normalCalls(lab), expected[variant], `${variant}: the normal calls after '${what}' differ from a fresh lab's`);
        assert.ok(lab.retainedScratchBytes() <= 16 << 20, `${variant}: ${lab.retainedScratchBytes()} bytes of scratch kept`);
      }
    });
  }
});
