// What <self-attention> computes, without a browser: the vocabulary file and its designed
// projections, sentences to X, the learner's edits and word vectors as text, pasted numbers
// (with messages that say where they are wrong), the problems each source builds, and the
// pipeline's numbers against an independent float64 reference. The designed relations hold:
// "it" attends most to "cat", a verb to its subject.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';

import createAttentionLab from '../../dist/node.mjs';
import * as ref from './reference.mjs';
import {
  formatEdits, parseEdits, parseWordVectors, readVocabulary, relationHeads, sentenceMatrix, tokenize, withEdits,
} from '../../web/widgets/sentence-vocabulary.mjs';
import { parseMatrixText, pastedProjections, pastedQkv } from '../../web/widgets/number-paste.mjs';
import { readView } from '../../web/widgets/self-attention-state.mjs';
import { buildProblem } from '../../web/widgets/self-attention-problem.mjs';
import {
  argmax, computeAttention, contribution, dotProduct, headBlocks, rowContributions, scoreRow,
} from '../../web/widgets/attention-pipeline.mjs';

const vocabulary = readVocabulary(JSON.parse(readFileSync(new URL('../../lessons/data/vocabulary.json', import.meta.url), 'utf8')));
let lab;
before(async () => {
  lab = await createAttentionLab();
});

const viewOf = (texts) => readView([texts]).view;
const sentenceWeights = (text, extra = {}) => {
  const built = buildProblem(viewOf({ sentence: text, ...extra }), { vocabulary });
  return { built, result: computeAttention(lab, built.problem, { stages: true }) };
};
const row = (result, head, i) => result.weights.subarray((head * result.nq + i) * result.nk, (head * result.nq + i + 1) * result.nk);

describe('the vocabulary', () => {
  test('has a few dozen words with named features and 8 × 4 designed projections', () => {
    assert.ok(vocabulary.words.size >= 40, `${vocabulary.words.size} words`);
    assert.deepEqual(vocabulary.features, ['noun', 'verb', 'pronoun', 'animal', 'person', 'number', 'adjective', 'position']);
    assert.deepEqual(vocabulary.slots, ['thing', 'kind', 'number', 'early']);
    assert.equal(vocabulary.wq.length, 32);
    const at = (matrix, feature, slot) => matrix[vocabulary.features.indexOf(feature) * 4 + vocabulary.slots.indexOf(slot)];
    assert.equal(at(vocabulary.wq, 'pronoun', 'thing'), 3);
    assert.equal(at(vocabulary.wk, 'position', 'early'), -1);
    assert.deepEqual([...vocabulary.words.get('cats')], [1, 0, 0, 1, 0, 1, 0, 0]);
  });

  test('a malformed file is refused, naming the problem', () => {
    const file = JSON.parse(readFileSync(new URL('../../lessons/data/vocabulary.json', import.meta.url), 'utf8'));
    assert.throws(() => readVocabulary({ ...file, wq: { pronoun: { thing: 3, nothing: 1 } } }), /wq\.pronoun has a column "nothing"/);
    assert.throws(() => readVocabulary({ ...file, words: { cat: { fluffy: 1 } } }), /"cat" has an unknown feature "fluffy"/);
  });

  test('sentences become X with positions from 0 to 1; unknown words take the learner\'s vector', () => {
    assert.deepEqual(tokenize(' The cat, it slept! '), ['the', 'cat', 'it', 'slept']);
    const vectors = parseWordVectors('zorp:1:0:0:1:0:-1:0', 8);
    const { x, unknown } = sentenceMatrix(vocabulary, ['the', 'zorp', 'cat'], vectors);
    assert.deepEqual(unknown, ['zorp']);
    assert.deepEqual([...x.subarray(8, 16)], [1, 0, 0, 1, 0, -1, 0, 0.5]);
    assert.deepEqual([...x.subarray(16, 24)], [1, 0, 0, 1, 0, -1, 0, 1]);
    assert.throws(() => parseWordVectors('zorp:1:2', 8), /"zorp:1:2" must be a word and 7 numbers/);
  });

  test('edits travel as text and come back as the same matrix', () => {
    const edited = withEdits(vocabulary.wq, parseEdits('pronoun:thing:0,verb:early:-1.5', vocabulary.features, vocabulary.slots), 4);
    const text = formatEdits(vocabulary.wq, edited, vocabulary.features, vocabulary.slots);
    assert.equal(text, 'verb:early:-1.5,pronoun:thing:0');
    assert.deepEqual(withEdits(vocabulary.wq, parseEdits(text, vocabulary.features, vocabulary.slots), 4), edited);
    assert.throws(() => parseEdits('pronoun:colour:1', vocabulary.features, vocabulary.slots), /"pronoun:colour:1" must be row:column:number/);
  });

  test('the relations split into heads of three slots, each head keeping its own query rows', () => {
    const heads = relationHeads(vocabulary);
    assert.deepEqual(heads.widths, [3, 3]);
    assert.deepEqual(heads.labels, ['thing (coreference)', 'kind (coreference)', 'number (coreference)', 'thing (subject)', 'number (subject)', 'early (subject)']);
    const verb = vocabulary.features.indexOf('verb'), pronoun = vocabulary.features.indexOf('pronoun');
    assert.deepEqual([...heads.wq.subarray(verb * 6, verb * 6 + 6)], [0, 0, 0, 3, 0, 8]);
    assert.deepEqual([...heads.wq.subarray(pronoun * 6, pronoun * 6 + 6)], [3, 0, 0, 0, 0, 0]);
  });
});

describe('the designed relations, computed by the core', () => {
  test('"it" attends most to "cat", and "was" and "chased" to "cat", their subject', () => {
    const { built, result } = sentenceWeights('the cat chased the birds because it was hungry');
    const words = built.labels;
    const most = (word) => words[argmax(row(result, 0, words.indexOf(word)))];
    assert.equal(most('it'), 'cat');
    assert.equal(most('was'), 'cat');
    assert.equal(most('chased'), 'cat');
    assert.equal(result.rawScores[words.indexOf('it') * 9 + words.indexOf('cat')], 7, 'q·k = 3 + 2 + 2');
  });

  test('"they" attends most to the plural "dogs"; the coreference head of two finds it too', () => {
    const text = 'she saw the dogs and they ran';
    const one = sentenceWeights(text);
    const two = sentenceWeights(text, { heads: '2' });
    const they = one.built.labels.indexOf('they');
    assert.equal(one.built.labels[argmax(row(one.result, 0, they))], 'dogs');
    assert.equal(two.result.heads, 2);
    assert.equal(two.built.labels[argmax(row(two.result, 0, they))], 'dogs');
  });

  test('the causal mask gives the first word all of its own weight', () => {
    const { result } = sentenceWeights('the cat chased the birds', { mask: 'causal' });
    assert.deepEqual([...row(result, 0, 0)], [1, 0, 0, 0, 0]);
  });
});

describe('the pipeline against a float64 reference', () => {
  for (const [what, texts] of [
    ['random input, two heads, local mask, L2 keys', { source: 'random', n: '13', dk: '5', dv: '3', heads: '2', mask: 'local', window: '2', scaling: 'l2', seed: '9' }],
    ['a sentence, causal, temperature 0.5', { sentence: 'the dog saw the cats and it ran', mask: 'causal', temperature: '0.5' }],
    ['pasted x with projections, tied values', { source: 'numbers', paste: 'xw', px: '1 0 2\n0 1 -1\n0.5 0.5 0\n1 1 1', pwq: '1 0\n0 1\n1 1', pwk: '0 1\n1 0\n1 -1', tie: 'true', scaling: 'none' }],
  ]) {
    test(`${what}: weights, output and the cell numbers`, () => {
      const built = buildProblem(viewOf(texts), { vocabulary, lab });
      assert.deepEqual(built.errors, {});
      const { problem } = built;
      const result = computeAttention(lab, problem, { stages: true });
      const { heads, nq, nk, dk, dv } = result;
      const project = (x, w, rows, dIn, width) => {
        const out = new Float64Array(rows * width);
        for (let i = 0; i < rows; i++) for (let c = 0; c < width; c++) for (let d = 0; d < dIn; d++) out[i * width + c] += x[i * dIn + d] * w[d * width + c];
        return out;
      };
      const q = problem.x ? project(problem.x, problem.wq, nq, problem.dIn, heads * dk) : problem.q;
      const k = problem.x ? project(problem.x, problem.wk, nk, problem.dIn, heads * dk) : problem.k;
      const v = problem.tieKV ? k : problem.x ? project(problem.x, problem.wv, nk, problem.dIn, heads * dv) : problem.v;
      for (let h = 0; h < heads; h++) {
        const block = (matrix, rows, width) => headBlocks(matrix, rows, heads, width).subarray(h * rows * width, (h + 1) * rows * width);
        const want = ref.attention({
          q: block(q, nq, dk), k: block(k, nk, dk), v: block(v, nk, dv),
          nq, nk, dk, dv, scaling: problem.scaling, temperature: problem.temperature, mask: problem.mask, window: problem.window,
        });
        for (let i = 0; i < nq * nk; i++) assert.ok(Math.abs(result.weights[h * nq * nk + i] - want.weights[i]) < 1e-5, `weight ${h}/${i}`);
        for (let i = 0; i < nq * dv; i++) assert.ok(Math.abs(result.output[h * nq * dv + i] - want.output[i]) < 1e-4, `output ${h}/${i}`);
        const i = nq - 1, j = 0;
        const qi = block(q, nq, dk).subarray(i * dk, (i + 1) * dk);
        const kj = block(k, nk, dk).subarray(j * dk, (j + 1) * dk);
        const dot = qi.reduce((sum, value, d) => sum + value * kj[d], 0);
        assert.ok(Math.abs(dotProduct(lab, result, h, i, j) - dot) < 1e-4, 'q·k');
        assert.ok(Math.abs(result.rawScores[(h * nq + i) * nk + j] - dot) < 1e-4, 'QKᵀ');
        const weight = result.weights[(h * nq + i) * nk + j];
        const vj = block(v, nk, dv).subarray(j * dv, (j + 1) * dv);
        contribution(lab, result, h, i, j).forEach((value, c) => assert.ok(Math.abs(value - weight * vj[c]) < 1e-5, 'contribution'));
        const all = rowContributions(lab, result, h, i);
        all.subarray(0, dv).forEach((value, c) => assert.ok(Math.abs(value - weight * vj[c]) < 1e-5, 'row of contributions'));
        const withoutScores = { ...result, scores: null };
        assert.deepEqual(scoreRow(lab, withoutScores, h, i), result.scores.subarray((h * nq + i) * nk, (h * nq + i + 1) * nk),
          'one row from the core alone equals the row of the full call');
      }
    });
  }
});

describe('pasted numbers', () => {
  test('plain text and JSON read the same matrix', () => {
    assert.deepEqual(parseMatrixText('1 2, 3\n4 5 6', 'Q'), parseMatrixText('[[1, 2, 3], [4, "5", 6]]', 'Q'));
    assert.deepEqual(parseMatrixText('1 2; 3 4', 'Q').rows, 2);
  });

  const mistakes = [
    ['a word among numbers', () => parseMatrixText('1 2\n3 x', 'Q'), /Q, line 2, number 2: "x" is not a number$/],
    ['a short row', () => parseMatrixText('1 2\n3', 'K'), /K: row 2 \(line 2\) has 1 numbers but row 1 \(line 1\) has 2/],
    ['broken JSON', () => parseMatrixText('[[1, 2],\n [3, ]]', 'V'), /V: expected a number, found "\]" at line 2, column 6$/],
    ['a string that is no number in JSON', () => parseMatrixText('[[1, "a"]]', 'x'), /x: "a" is not a number at line 1, column 6$/],
    ['a number beyond float32', () => parseMatrixText('[[1e39]]', 'W_Q'), /1e39 does not fit in float32/],
    ['Q and K of different widths', () => pastedQkv({ q: '1 2', k: '1 2 3', v: '1' }, { heads: 1 }), /Q has 2 columns but K has 3/],
    ['K and V of different lengths', () => pastedQkv({ q: '1 2', k: '1 2\n3 4', v: '1' }, { heads: 1 }), /K has 2 rows but V has 1/],
    ['widths that do not split into the heads', () => pastedQkv({ q: '1 2 3', k: '1 2 3', v: '1 2' }, { heads: 2 }), /Q has 3 columns, which do not split into 2 heads/],
    ['W_Q with the wrong number of rows', () => pastedProjections({ x: '1 2', wq: '1', wk: '1\n1', wv: '1\n1' }, { heads: 1 }), /W_Q has 1 rows but x has 2 columns/],
  ];
  for (const [what, run, message] of mistakes) {
    test(`${what} is refused, saying where`, () => {
      assert.throws(run, message);
    });
  }

  test('an error in a paste is reported on its field, and no problem is built', () => {
    const built = buildProblem(viewOf({ source: 'numbers', pq: '1 0\n0 1', pk: '1 0\n0 oops', pv: '1\n2' }), { vocabulary, lab });
    assert.equal(built.problem, null);
    assert.match(built.errors.pk, /K, line 2, number 2: "oops" is not a number/);
  });

  test('a sentence with too many heads is refused on heads', () => {
    const built = buildProblem(viewOf({ sentence: 'the cat', heads: '3' }), { vocabulary, lab });
    assert.match(built.errors.heads, /heads is 1 \(the design\) or 2/);
  });
});
