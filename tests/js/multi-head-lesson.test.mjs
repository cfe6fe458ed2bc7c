// What <multi-head> (lesson 6) computes, without a browser: the designed heads of
// lessons/data/multi-head.json as 12 × 12 matrices, sentences to X, each relation's
// targets, and the model's numbers against an independent float64 reference of
// multi-head attention and of the cosine. The design does what the lesson says: head 1
// finds the previous word in every sentence, the mixture's entropy is never below the
// heads' mean, tying K and V loses exactly the previous-word relation.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';

import createAttentionLab from '../../dist/node.mjs';
import { readVocabulary, tokenize } from '../../web/widgets/sentence-vocabulary.mjs';
import { designSentence, readMultiHeadDesign, relationTargets } from '../../web/widgets/multi-head-design.mjs';
import { compareToMean, computeMultiHead, unknownWords } from '../../web/widgets/multi-head-model.mjs';

const readJson = (name) => JSON.parse(readFileSync(new URL(`../../lessons/data/${name}`, import.meta.url), 'utf8'));
const vocabulary = readVocabulary(readJson('vocabulary.json'));
const designFile = readJson('multi-head.json');
const design = readMultiHeadDesign(vocabulary, designFile);
const allOn = [true, true, true];
let lab;
before(async () => {
  lab = await createAttentionLab();
});

/** Multi-head attention in float64: per-head weights (heads × n × n) and head outputs (n × dModel). */
function reference(x, n, heads, tie) {
  const d = design.dModel, dh = d / heads;
  const times = (w) => Array.from({ length: n * d }, (_, at) => {
    const i = Math.floor(at / d), c = at % d;
    let sum = 0;
    for (let f = 0; f < d; f++) sum += x[i * d + f] * w[f * d + c];
    return sum;
  });
  const q = times(design.wq), k = times(design.wk), v = tie ? k : times(design.wv);
  const weights = [], outputs = new Float64Array(n * d);
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < n; i++) {
      const scores = Array.from({ length: n }, (_, j) => {
        let dot = 0;
        for (let c = h * dh; c < (h + 1) * dh; c++) dot += q[i * d + c] * k[j * d + c];
        return dot / Math.sqrt(dh);
      });
      const top = Math.max(...scores);
      const exps = scores.map((s) => Math.exp(s - top));
      const total = exps.reduce((a, b) => a + b, 0);
      const row = exps.map((e) => e / total);
      weights.push(...row);
      for (let j = 0; j < n; j++) for (let c = h * dh; c < (h + 1) * dh; c++) outputs[i * d + c] += row[j] * v[j * d + c];
    }
  }
  return { weights, outputs, values: v };
}

const cosine = (a, b) => {
  let dot = 0, na = 0, nb = 0;
  a.forEach((value, index) => { dot += value * b[index]; na += value * value; nb += b[index] * b[index]; });
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
};
const entropy = (row) => -row.reduce((sum, p) => (p > 0 ? sum + p * Math.log(p) : sum), 0);

describe('the design file', () => {
  test('three heads of four slots over twelve features, W_O the identity', () => {
    assert.equal(design.dModel, 12);
    assert.equal(design.dh, 4);
    assert.deepEqual(design.features.slice(8), ['one', 'place', 'place²', 'little']);
    assert.deepEqual(design.heads.map(({ relation }) => relation), ['previous', 'same-kind', 'antecedent']);
    assert.deepEqual(design.heads.map(({ columns }) => columns), [[0, 4], [4, 8], [8, 12]]);
    for (let i = 0; i < 12; i++) for (let j = 0; j < 12; j++) assert.equal(design.wo[i * 12 + j], i === j ? 1 : 0);
    // Head 1's W_Q: place → place 20; one → place -20, place² -10.
    assert.equal(design.wq[design.features.indexOf('one') * 12 + 3], -10);
    assert.equal(design.wq[design.features.indexOf('place') * 12 + 2], 20);
  });

  test('a malformed file is refused, naming what is wrong', () => {
    const broken = (change) => { const file = structuredClone(designFile); change(file); return () => readMultiHeadDesign(vocabulary, file); };
    assert.throws(broken((file) => { file.heads[0].wq.colour = { place: 1 }; }), /row "colour" that is not a feature/);
    assert.throws(broken((file) => { file.heads[1].wk.noun = { nowhere: 1 }; }), /names no slot "nowhere"/);
    assert.throws(broken((file) => { file.heads[2].wv.noun.thing = 'one'; }), /must be a number/);
    assert.throws(broken((file) => { file.heads[0].relation = 'friendship'; }), /unknown relation "friendship"/);
    assert.throws(broken((file) => { file.heads.push(file.heads[0], file.heads[0]); }), /5 heads cannot share 12 columns/);
    assert.throws(broken((file) => { file.heads[0].slots.pop(); }), /needs 4 slots/);
  });
});

describe('sentences and relations', () => {
  test('X holds the vocabulary\'s features, then one, place, place² and little', () => {
    const words = tokenize('The cat saw it.');
    const x = designSentence(design, vocabulary, words);
    assert.deepEqual([...x.subarray(12, 24)], [1, 0, 0, 1, 0, -1, 0, 1 / 3, 1, 1, 1, 0].map(Math.fround));
    assert.deepEqual([...x.subarray(0, 12)].slice(8), [1, 0, 0, 1], '"the" is a little word at place 0');
    assert.deepEqual([...x.subarray(36, 48)].slice(8), [1, 3, 9, 0]);
  });

  test('each relation\'s targets', () => {
    const words = tokenize('the girls saw the dog and they ran');
    assert.deepEqual([...relationTargets('previous', vocabulary, words)], [-1, 0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual([...relationTargets('same-kind', vocabulary, words)], [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual([...relationTargets('antecedent', vocabulary, words)], [-1, -1, -1, -1, -1, -1, 1, -1], '"they" → "girls", plural');
    assert.deepEqual([...relationTargets('antecedent', vocabulary, tokenize('the cat saw the girl and she ran'))].slice(6), [4, -1], '"she" → "girl", a person');
    assert.deepEqual([...relationTargets('antecedent', vocabulary, tokenize('she saw the girl'))], [-1, -1, -1, -1], 'no noun before "she"');
    assert.deepEqual(unknownWords(vocabulary, ['the', 'zorp', 'zorp']), ['zorp']);
  });
});

describe('the model against a float64 reference', () => {
  for (const [sentence, active, tie] of [
    ['the cat chased the birds because it was hungry', allOn, false],
    ['the girls saw the dog and they ran', [true, false, true], true],
  ]) {
    test(`${sentence} (heads ${active}, tie ${tie})`, () => {
      const words = tokenize(sentence);
      const n = words.length;
      const result = computeMultiHead(lab, design, vocabulary, words, { active, tie });
      const ref = reference(result.x, n, 3, tie);
      ref.weights.forEach((value, at) => assert.ok(Math.abs(value - result.shown.weights[at]) < 1e-5, `weight ${at}`));
      ref.outputs.forEach((value, at) => {
        const head = Math.floor((at % 12) / 4);
        const expected = active[head] ? value : 0;
        assert.ok(Math.abs(expected - result.shown.output[at]) < 1e-4 * Math.max(1, Math.abs(expected)), `output ${at}: ${result.shown.output[at]} against ${expected}`);
      });
      const wide = reference(result.x, n, 1, false);
      wide.weights.forEach((value, at) => assert.ok(Math.abs(value - result.runs.wide.weights[at]) < 1e-5, `wide weight ${at}`));
      const wanted = reference(result.x, n, 3, false).values;
      for (const { relation, columns: [begin, end] } of design.heads) {
        const targets = result.targets[relation];
        for (const [run, outputs] of [['wide', wide.outputs]]) {
          const cosines = [...targets].map((target, i) => (target < 0 ? null
            : cosine([...outputs.slice(i * 12 + begin, i * 12 + end)], wanted.slice(target * 12 + begin, target * 12 + end)))).filter((c) => c !== null);
          const expected = cosines.length ? cosines.reduce((a, b) => a + b, 0) / cosines.length : 0;
          assert.ok(Math.abs(result.retrieval[relation][run].mean - expected) < 1e-4, `${relation}, ${run}: ${result.retrieval[relation][run].mean} against ${expected}`);
        }
      }
      result.entropy.forEach((row, i) => {
        const on = active.map((isOn, h) => (isOn ? ref.weights.slice((h * n + i) * n, (h * n + i + 1) * n) : null)).filter(Boolean);
        const mixture = entropy(on[0].map((_, j) => on.reduce((sum, r) => sum + r[j], 0) / on.length));
        assert.ok(Math.abs(row.mixture - mixture) < 1e-4, `mixture entropy of word ${i + 1}`);
        row.heads.forEach((value, h) => assert.equal(value === null, !active[h]));
      });
    });
  }
});

describe('what the lesson says', () => {
  test('on its sentence: head 3 sends "it" to "cat"; "was" finds "it" in head 1; one wide head retrieves worse; tying loses the previous word only', () => {
    const words = tokenize('the cat chased the birds because it was hungry');
    const { quantities: q, retrieval } = computeMultiHead(lab, design, vocabulary, words, { active: allOn, tie: false });
    assert.equal(q.attendsMost[3].it, 'cat');
    assert.equal(q.headOf.was.it, 'previous word');
    assert.deepEqual(q.headFor, { previous: 'previous word', 'same-kind': 'same kind', antecedent: 'pronoun → noun' });
    assert.equal(q.mixtureVsMean.it, 'above the mean');
    assert.equal(q.entropy[2].it.toFixed(3), '1.465', 'the lesson quotes the same-kind head of "it"');
    assert.equal(q.mixtureEntropy.it.toFixed(3), '1.373', 'and the mixture of "it", just below it');
    assert.ok(Math.abs(q.effectiveTokens.it - Math.exp(q.mixtureEntropy.it)) < 1e-12);
    for (const relation of ['previous', 'same-kind', 'antecedent']) {
      assert.ok(retrieval[relation].separate.mean > 0.99, relation);
      assert.ok(retrieval[relation].wide.mean < retrieval[relation].separate.mean - 0.1, `${relation}: wide ${retrieval[relation].wide.mean}`);
    }
    assert.equal(q.retrieval.previous.tied, 0);
    assert.equal(q.retrieval.antecedent.tied, q.retrieval.antecedent.separate);
    assert.equal(q.retrieval['same-kind'].tied, q.retrieval['same-kind'].separate);
  });

  test('one head on: the mixture is that head, equal to the mean; none on: no entropy quantities', () => {
    const words = tokenize('the cat chased the birds because it was hungry');
    const one = computeMultiHead(lab, design, vocabulary, words, { active: [false, true, false], tie: false });
    assert.equal(one.quantities.mixtureVsMean.it, 'equal to the mean');
    const none = computeMultiHead(lab, design, vocabulary, words, { active: [false, false, false], tie: false });
    assert.deepEqual(none.quantities.mixtureEntropy, {});
    assert.equal(none.quantities.retrieval.antecedent.separate, 0, 'with every head off nothing is retrieved');
    assert.equal(compareToMean(1, 1 + 1e-9), 'equal to the mean');
    assert.equal(compareToMean(0.5, 1), 'below the mean');
  });

  test('on 200 random sentences of the vocabulary: head 1 finds the previous word, the mixture never drops below the mean, tying zeroes only the previous word', () => {
    const known = [...vocabulary.words.keys()];
    let seed = 12345;
    const random = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
    for (let trial = 0; trial < 200; trial++) {
      const n = 2 + Math.floor(random() * 11);
      const words = Array.from({ length: n }, () => known[Math.floor(random() * known.length)]);
      const { shown, entropy: rows, retrieval } = computeMultiHead(lab, design, vocabulary, words, { active: allOn, tie: false });
      for (let i = 1; i < n; i++) {
        const row = [...shown.weights.subarray(i * n, (i + 1) * n)];
        assert.ok(row[i - 1] > 0.97, `${words.join(' ')}: word ${i + 1} gives the previous word ${row[i - 1]}`);
      }
      rows.forEach((row) => assert.ok(row.mixture >= row.meanOfHeads - 1e-5, `${words.join(' ')}: mixture ${row.mixture} < mean ${row.meanOfHeads}`));
      assert.ok(retrieval.previous.separate.mean > 0.97, words.join(' '));
      assert.equal(retrieval.previous.tied.mean, 0, words.join(' '));
      assert.equal(retrieval['same-kind'].tied.mean, retrieval['same-kind'].separate.mean);
      assert.equal(retrieval.antecedent.tied.mean, retrieval.antecedent.separate.mean);
    }
  });
});
