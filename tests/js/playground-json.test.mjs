// The playground's JSON file (web/playground/playground-json.mjs): every float32 round-trips
// bit for bit — zeros of both signs, subnormals, the extremes, infinities and random bit
// patterns, proved over fast-check's float32 generator —, a whole file of a computed view
// reads back to the same bits, and a bad file gets an error naming where it is wrong.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';

import createAttentionLab from '../../dist/node.mjs';
import {
  Floats, firstDifference, float32Text, float32Value, playgroundDocument, readFloats, readPlaygroundDocument, toJsonText,
} from '../../web/playground/playground-json.mjs';
import { readView, viewTexts } from '../../web/widgets/self-attention-state.mjs';
import { buildProblem } from '../../web/widgets/self-attention-problem.mjs';
import { computeAttention } from '../../web/widgets/attention-pipeline.mjs';

let lab;
before(async () => {
  lab = await createAttentionLab();
});

const bits = (value) => new Uint32Array(Float32Array.of(value).buffer)[0];
/** Writes one float32 as the file does, parses it as JSON does, and reads it back. */
const roundTrip = (value) => float32Value(JSON.parse(float32Text(value)));

describe('one float32', () => {
  test('special values: both zeros, both infinities, the extremes and subnormals', () => {
    const specials = [0, -0, Infinity, -Infinity, 1, -1, 0.1, 1 / 3, 3.4028234663852886e38, -3.4028234663852886e38,
      1.1754943508222875e-38, 1.401298464324817e-45, -1.401298464324817e-45, 16777217, 2 ** -126 * 0.75];
    for (const special of specials) {
      const value = Math.fround(special);
      assert.equal(bits(roundTrip(value)), bits(value), `${value} written as ${float32Text(value)}`);
    }
    assert.equal(float32Text(-0), '"-0"');
    assert.equal(float32Text(-Infinity), '"-Infinity"');
    assert.equal(float32Text(Math.fround(0.1)), '0.1', 'the shortest decimal, not 0.10000000149011612');
    assert.throws(() => float32Text(NaN), /NaN/);
  });

  test('every float32 fast-check draws (all bit patterns but NaN) reads back to the same bits', () => {
    fc.assert(fc.property(fc.float({ noNaN: true }), (value) => bits(roundTrip(value)) === bits(value)), { numRuns: 200000 });
  });

  test('random 32-bit patterns (NaN excluded) read back to the same bits', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (pattern) => {
      const value = new Float32Array(Uint32Array.of(pattern).buffer)[0];
      return Number.isNaN(value) || bits(roundTrip(value)) === pattern;
    }), { numRuns: 200000 });
  });

  test('the text is a JSON number or one of three strings, never longer than 9 significant digits', () => {
    fc.assert(fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (value) => {
      const text = float32Text(value);
      if (Object.is(value, -0)) return text === '"-0"';
      const digits = text.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
      return typeof JSON.parse(text) === 'number' && digits.length <= 9;
    }), { numRuns: 50000 });
  });
});

describe('matrices and files', () => {
  test('nested arrays keep the shape and every bit', () => {
    const values = Float32Array.from([0, -0, -Infinity, 1e-45, 0.1, -2.5, 7, 3.4e38, 1 / 3, 2, 3, 4]);
    const text = toJsonText({ m: new Floats(values, [2, 2, 3]) });
    const back = readFloats(JSON.parse(text).m, [2, 2, 3], 'm');
    assert.deepEqual(new Uint32Array(back.buffer), new Uint32Array(values.buffer));
  });

  test('a computed view (causal mask, two heads) writes, reads and compares bit for bit', () => {
    const { view } = readView([{ source: 'random', n: '9', dk: '3', dv: '2', heads: '2', mask: 'causal', temperature: '0.7', seed: '5' }]);
    const built = buildProblem(view, { lab });
    const result = computeAttention(lab, built.problem);
    const file = toJsonText(playgroundDocument({ viewTexts: viewTexts(view), labels: built.labels, problem: built.problem, result }));
    const read = readPlaygroundDocument(file);
    assert.deepEqual(read.view, viewTexts(view));
    for (const name of ['q', 'k', 'v', 'scores', 'weights', 'output', 'entropy', 'effectiveTokens', 'mixtureEntropy']) {
      assert.deepEqual(new Uint32Array(read.outputs[name].buffer), new Uint32Array(result[name].buffer), name);
    }
    assert.ok(result.scores.includes(-Infinity), 'the file holds masked scores');
    assert.equal(firstDifference(read.outputs, result), null);
    assert.equal(firstDifference(read.inputs, { q: built.problem.q, k: built.problem.k, v: built.problem.v }), null);
    const again = buildProblem(readView([read.view]).view, { lab });
    const file2 = toJsonText(playgroundDocument({ viewTexts: read.view, labels: again.labels, problem: again.problem, result: computeAttention(lab, again.problem) }));
    assert.equal(file2, file, 'a file read and written again is the same text');
  });

  test('a changed number is found, with where', () => {
    const a = { w: Float32Array.of(1, 2, 3) };
    const b = { w: Float32Array.of(1, 2, Math.fround(3.0000002)) };
    assert.deepEqual(firstDifference(a, b), { name: 'w', index: 2, file: 3, now: Math.fround(3.0000002) });
    assert.deepEqual(firstDifference({ w: Float32Array.of(0) }, { w: Float32Array.of(-0) }).index, 0, '0 and -0 differ in their bits');
  });

  const good = () => {
    const { view } = readView([{ source: 'random', n: '2', dk: '1', dv: '1' }]);
    const built = buildProblem(view, { lab });
    return JSON.parse(toJsonText(playgroundDocument({ viewTexts: viewTexts(view), labels: built.labels, problem: built.problem, result: computeAttention(lab, built.problem) })));
  };
  const bad = [
    ['not JSON', () => '{', /the file is not JSON/],
    ['another format', () => JSON.stringify({ ...good(), format: 'x' }), /not an attention-lab playground file/],
    ['another version', () => JSON.stringify({ ...good(), version: 2 }), /version 2; this page reads version 1/],
    ['a view value that is not text', () => JSON.stringify({ ...good(), view: { n: 2 } }), /view\.n must be text/],
    ['a shape that is not a count', () => JSON.stringify({ ...good(), shape: { ...good().shape, keys: 0 } }), /shape\.keys must be a positive integer/],
    ['a weight that is not a number', () => {
      const file = good();
      file.outputs.weights[0][1][0] = 'x';
      return JSON.stringify(file);
    }, /outputs\.weights\[0\]\[1\]\[0\] is "x", not a float32 number/],
    ['a row too short', () => {
      const file = good();
      file.outputs.output[0].pop();
      return JSON.stringify(file);
    }, /outputs\.output\[0\] must be an array of 2, got an array of 1/],
  ];
  for (const [what, make, message] of bad) {
    test(`a file with ${what} is refused, saying where`, () => {
      assert.throws(() => readPlaygroundDocument(make()), message);
    });
  }
});
