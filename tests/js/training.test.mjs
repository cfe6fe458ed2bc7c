// The training API in Node: attention dropout, attentionBackward against central finite
// differences of the float64 reference, the trainers (seeded, chunk-invariant, freed by
// dispose), the lesson results the pages will show, taskWeighting against its definition,
// and every bad argument (an Error naming it, after which the lab is still exact).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, test } from 'node:test';

import createAttentionLab, { makeLab } from '../../dist/node.mjs';
import createAttentionCore from '../../dist/attention-core.mjs';
import * as ref from './reference.mjs';

let lab, core, coreLab;
before(async () => {
  lab = await createAttentionLab();
  const wasmBinary = await readFile(new URL('../../dist/attention-core.wasm', import.meta.url));
  core = await createAttentionCore({ wasmBinary });
  coreLab = makeLab(core);
});

const small = () => ({ q: [1, 0], k: [1, 0, 0, 1], v: [10, 20], nq: 1, nk: 2, dk: 2, dv: 1, scaling: 'none' });
const stillExact = () => {
  const e = Math.E;
  assert.ok(Math.abs(lab.attention(small()).output[0] - (10 * e + 20) / (e + 1)) < 1e-4, 'the lab is still exact');
};

function inputs(nq, nk, dk, dv, seed, heads = 1) {
  return {
    q: ref.normals(heads * nq * dk, seed), k: ref.normals(heads * nk * dk, seed + 1), v: ref.normals(heads * nk * dv, seed + 2),
    gradOutput: ref.normals(heads * nq * dv, seed + 3), nq, nk, dk, dv, heads,
  };
}

/**
 * The float64 objective sum(output . G) + lambda sum_rows H(weights), per head, with the
 * dropout mask (0 or 1/(1-p) per weight, as a Float64Array) applied to the weights.
 */
function objective(args, mask, lambda) {
  const { nq, nk, dk, dv, heads } = args;
  let total = 0;
  for (let h = 0; h < heads; h++) {
    const part = (a, size) => a.subarray(h * size, (h + 1) * size);
    const r = ref.attention({ ...args, q: part(args.q, nq * dk), k: part(args.k, nk * dk), v: part(args.v, nk * dv) });
    const g = part(args.gradOutput, nq * dv), v = part(args.v, nk * dv);
    for (let i = 0; i < nq; i++) {
      for (let j = 0; j < nk; j++) {
        const p = r.weights[i * nk + j];
        const w = p * (mask ? mask[h * nq * nk + i * nk + j] : 1);
        for (let c = 0; c < dv; c++) total += w * v[j * dv + c] * g[i * dv + c];
        if (p > 0) total -= lambda * p * Math.log(p);
      }
    }
  }
  return total;
}

/** Central differences of objective with respect to args[name], in float64. */
function numericGradient(args, name, mask, lambda, h = 1e-5) {
  const x = Float64Array.from(args[name]);
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const saved = x[i];
    x[i] = saved + h;
    const up = objective({ ...args, [name]: x }, mask, lambda);
    x[i] = saved - h;
    const down = objective({ ...args, [name]: x }, mask, lambda);
    x[i] = saved;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

/** The dropout mask lab.attention used: dropped weight / weight, as 0 or 1/(1-p). */
function maskOf(args, dropout, seed) {
  const attentionArgs = { ...args };
  delete attentionArgs.gradOutput;
  const plain = lab.attention(attentionArgs).weights;
  const dropped = lab.attention({ ...attentionArgs, dropout, seed }).weights;
  return Float64Array.from(plain, (w, e) => (dropped[e] > 0 ? 1 / (1 - Math.fround(dropout)) : w > 0 ? 0 : 1));
}

function assertGradient(actual, expected, what) {
  const scale = Math.max(1, ref.maxAbs(expected));
  const diff = ref.maxAbsDiff(actual, expected);
  assert.ok(diff <= 1e-4 * scale, `${what}: max |core - finite differences| = ${diff}, scale ${scale}`);
}

describe('attention dropout', () => {
  const args = () => ({ q: ref.normals(24, 1), k: ref.normals(36, 2), v: ref.normals(27, 3), nq: 6, nk: 9, dk: 4, dv: 3, mask: 'causal' });

  test('p = 0 is attention; a seed fixes the mask; weights are 0 or w/(1-p); output = dropped weights x v', () => {
    const plain = lab.attention(args());
    assert.deepEqual(lab.attention({ ...args(), dropout: 0, seed: 9 }), plain);
    const a = lab.attention({ ...args(), dropout: 0.4, seed: 7 });
    assert.deepEqual(lab.attention({ ...args(), dropout: 0.4, seed: 7 }), a);
    assert.notDeepEqual(lab.attention({ ...args(), dropout: 0.4, seed: 8 }).weights, a.weights);
    let zeros = 0, kept = 0;
    a.weights.forEach((w, e) => {
      if (plain.weights[e] === 0) return;
      if (w === 0) zeros++;
      else {
        kept++;
        assert.ok(Math.abs(w - plain.weights[e] / 0.6) <= 1e-6, `weight ${e}: ${w} vs ${plain.weights[e]}/0.6`);
      }
    });
    assert.ok(zeros > 0 && kept > 0);
    const { v } = args();
    for (let i = 0; i < 6; i++) {
      for (let c = 0; c < 3; c++) {
        let want = 0;
        for (let j = 0; j < 9; j++) want += a.weights[i * 9 + j] * v[j * 3 + c];
        assert.ok(Math.abs(a.output[i * 3 + c] - want) <= 1e-5, `output ${i},${c}`);
      }
    }
    const fused = lab.attention({ ...args(), dropout: 0.4, seed: 7, weights: false });
    assert.equal(fused.weights, undefined);
    assert.deepEqual(fused.output, a.output, 'weights: false gives the same output with dropout');
    const scored = lab.attention({ ...args(), dropout: 0.4, seed: 7, scores: true });
    assert.deepEqual(scored.scores, lab.attention({ ...args(), scores: true }).scores, 'scores are not dropped');
  });

  test('dropout leaves the expected output unchanged: the mean over 4000 seeds', () => {
    const base = { q: ref.normals(8, 11), k: ref.normals(12, 12), v: ref.normals(12, 13), nq: 4, nk: 6, dk: 2, dv: 2 };
    const want = lab.attention(base).output;
    const seeds = 4000;
    const sum = new Float64Array(8), sum2 = new Float64Array(8);
    for (let seed = 0; seed < seeds; seed++) {
      const out = lab.attention({ ...base, dropout: 0.3, seed, weights: false }).output;
      out.forEach((x, e) => { sum[e] += x; sum2[e] += x * x; });
    }
    for (let e = 0; e < 8; e++) {
      const mean = sum[e] / seeds;
      const sd = Math.sqrt(sum2[e] / seeds - mean * mean);
      assert.ok(sd > 0.01, 'dropout varies the output');
      assert.ok(Math.abs(mean - want[e]) <= 5 * sd / Math.sqrt(seeds), `output ${e}: mean ${mean}, without dropout ${want[e]}, sd ${sd}`);
    }
  });

  test('heads: each head gets its own mask from the one seed', () => {
    const two = { q: ref.normals(24, 1), k: ref.normals(32, 2), v: ref.normals(32, 3), nq: 3, nk: 4, dk: 4, dv: 4, heads: 2, dropout: 0.5, seed: 3 };
    const r = lab.attention(two);
    assert.notDeepEqual(Array.from(r.weights.subarray(0, 12), (w) => w > 0), Array.from(r.weights.subarray(12), (w) => w > 0));
  });
});

describe('attentionBackward', () => {
  test('gradients match central differences of the float64 reference: every scaling, mask, temperature, dropout, penalty, heads', () => {
    let seed = 100, checked = 0;
    for (const [nq, nk, dk, dv, heads] of [[1, 1, 1, 1, 1], [3, 4, 3, 2, 1], [5, 5, 4, 3, 2], [4, 7, 2, 5, 1]]) {
      for (const scaling of ['sqrt', 'none', 'l2']) {
        for (const mask of ['none', 'causal', 'local']) {
          for (const [temperature, dropout, entropyPenalty] of [[1, 0, 0], [0.5, 0.3, 0], [2, 0, 0.7], [0.8, 0.4, 0.3]]) {
            const args = { ...inputs(nq, nk, dk, dv, seed += 5, heads), scaling, mask, window: 1, temperature };
            const got = lab.attentionBackward({ ...args, dropout, seed, entropyPenalty });
            const m = dropout > 0 ? maskOf(args, dropout, seed) : null;
            const what = `nq=${nq} nk=${nk} heads=${heads} ${scaling} ${mask} T=${temperature} p=${dropout} lambda=${entropyPenalty}`;
            assertGradient(got.gradQ, numericGradient(args, 'q', m, entropyPenalty), `${what} gradQ`);
            assertGradient(got.gradK, numericGradient(args, 'k', m, entropyPenalty), `${what} gradK`);
            assertGradient(got.gradV, numericGradient(args, 'v', m, entropyPenalty), `${what} gradV`);
            checked++;
          }
        }
      }
    }
    assert.equal(checked, 4 * 3 * 3 * 4);
  });

  test('a query that sees no key contributes nothing; a zero key under l2 gets a zero gradient', () => {
    const args = { ...inputs(5, 2, 3, 2, 7), mask: 'local', window: 0 };
    const { gradQ } = lab.attentionBackward(args);
    assert.deepEqual(Array.from(gradQ.subarray(2 * 3)), new Array(9).fill(0));
    const k = ref.normals(12, 3);
    k.fill(0, 3, 6);
    const { gradK } = lab.attentionBackward({ ...inputs(3, 4, 3, 2, 9), k, scaling: 'l2' });
    assert.deepEqual(Array.from(gradK.subarray(3, 6)), [0, 0, 0]);
    assert.ok(gradK.some((g) => g !== 0));
  });

  test('extreme temperatures give finite gradients', () => {
    for (const temperature of [1e-30, 1e30]) {
      const r = lab.attentionBackward({ ...inputs(3, 4, 2, 2, 5), temperature });
      for (const g of [r.gradQ, r.gradK, r.gradV]) assert.ok(g.every(Number.isFinite), `T=${temperature}`);
    }
  });
});

describe('trainers', () => {
  test('the same options give the same curve, however the steps are grouped', () => {
    const a = lab.createTrainer({ task: 'spurious', dropout: 0.2, seed: 3 });
    const b = lab.createTrainer({ task: 'spurious', dropout: 0.2, seed: 3 });
    assert.equal(a.step(40), 40);
    b.step(13);
    assert.equal(b.step(27), 40);
    assert.deepEqual(a.metrics(), b.metrics());
    assert.equal(a.metrics().rows, 40 / 5 + 1);
    assert.deepEqual(a.metrics({ from: 6 }).trainLoss, a.metrics().trainLoss.subarray(6));
    assert.deepEqual(a.attention(), b.attention());
    a.dispose();
    b.dispose();
  });

  test('options: defaults filled in, metric names and roles', () => {
    const t = lab.createTrainer({ task: 'noise', noiseTokens: 3 });
    assert.deepEqual(t.roles, ['cls', 'signal', 'noise', 'noise', 'noise']);
    assert.equal(t.options.optimizer, 'sgd');
    assert.equal(t.options.noiseTokens, 3);
    assert.deepEqual(t.metricNames, ['step', 'trainLoss', 'trainAccuracy', 'validationLoss', 'validationAccuracy', 'entropy', 'signalWeight', 'noiseWeight']);
    const seen = t.attention({ examples: 3 });
    assert.equal(seen.weights.length, 15);
    for (let e = 0; e < 3; e++) {
      const row = seen.weights.subarray(e * 5, e * 5 + 5);
      assert.equal(row[0], 0, '[CLS] is not a key');
      assert.ok(Math.abs(row.reduce((x, y) => x + y, 0) - 1) < 1e-5);
      assert.equal(seen.kinds[e * 5 + 1], 1, 'the signal kind');
      assert.equal(seen.polarity[e * 5 + 1], seen.labels[e] === 1 ? 1 : 2, 'the signal leans as the label');
      assert.equal(seen.tokens[e * 5], '[CLS]');
      assert.equal(seen.tokens[e * 5 + 1], seen.labels[e] === 1 ? 'S+' : 'S-');
      assert.match(seen.tokens[e * 5 + 2], /^noise([1-9]|1[0-6])$/);
    }
    assert.equal(t.vocabulary.length, 18);
    const spurious = lab.createTrainer({ task: 'spurious' });
    assert.deepEqual(spurious.vocabulary.slice(0, 4), ['[CLS]', 'S+', 'S-', 'filler1']);
    assert.equal(spurious.vocabulary.at(-1), 'bad16');
    const words = spurious.attention({ examples: 4 });
    for (let e = 0; e < 4; e++) {
      const label = words.labels[e];
      for (let i = 1; i <= 3; i++) assert.match(words.tokens[e * 7 + i], label === 1 ? /^good/ : /^bad/, 'the words follow the label');
    }
    spurious.dispose();
    t.dispose();
  });

  test('dispose frees the trainer at once; a disposed trainer refuses every call', () => {
    const baseline = core.trainerCount();
    for (let i = 0; i < 30; i++) coreLab.createTrainer({ task: 'spurious', trainingExamples: 512, validationExamples: 512 }).dispose();
    assert.equal(core.trainerCount(), baseline);
    const t = coreLab.createTrainer({ task: 'task-weighting' });
    assert.equal(core.trainerCount(), baseline + 1);
    t.dispose();
    t.dispose();
    assert.equal(core.trainerCount(), baseline);
    assert.equal(t.disposed, true);
    assert.throws(() => t.step(1), /trainer\.step: this trainer was disposed/);
    assert.throws(() => t.metrics(), /disposed/);
    assert.throws(() => t.steps, /disposed/);
  });

  test('lesson 7 through the API: the marker, dropout, noise and the entropy penalty on one example', () => {
    const plain = lab.createTrainer({ task: 'spurious' });
    const dropped = lab.createTrainer({ task: 'spurious', dropout: 0.3 });
    plain.step(300);
    dropped.step(300);
    const end = (t, name) => { const m = t.metrics(); return m[name][m.rows - 1]; };
    assert.ok(end(plain, 'spuriousWeight') > 0.6, `leans on the marker: ${end(plain, 'spuriousWeight')}`);
    assert.ok(end(dropped, 'spuriousWeight') < end(plain, 'spuriousWeight') - 0.2);
    assert.ok(end(dropped, 'validationAccuracy') > end(plain, 'validationAccuracy') + 0.2);

    const sharp = lab.createTrainer({ task: 'noise', entropyPenalty: 0.01 });
    const diffuse = lab.createTrainer({ task: 'noise' });
    sharp.step(300);
    diffuse.step(300);
    const entropyOf = (row) => row.reduce((h, p) => (p > 0 ? h - p * Math.log(p) : h), 0);
    const before = diffuse.attention({ examples: 1 }).weights, after = sharp.attention({ examples: 1 }).weights;
    assert.ok(entropyOf(after) < entropyOf(before) - 0.5, `entropy on one example: ${entropyOf(before)} -> ${entropyOf(after)}`);
    assert.ok(after[1] > before[1], 'sharper onto the signal');
    for (const t of [plain, dropped, sharp, diffuse]) t.dispose();
  });

  test('configure changes dropout, entropyPenalty and learningRate mid-run', () => {
    const t = lab.createTrainer({ task: 'noise', noiseTokens: 8 });
    t.step(100);
    const before = t.metrics().entropy.at(-1);
    t.configure({ entropyPenalty: 0.01 });
    assert.equal(t.options.entropyPenalty, 0.01);
    t.step(100);
    assert.ok(t.metrics().entropy.at(-1) < 0.5 * before);
    t.dispose();
  });
});

describe('taskWeighting', () => {
  const rows = (a, steps) => Array.from({ length: steps }, (_, s) => Array.from(a.subarray(s * 3, s * 3 + 3)));

  test('shapes: steps x 3 weights summing to 1 and losses, easy < medium < hard', () => {
    const r = lab.taskWeighting({ update: 'descent', steps: 200, lr: 0 });
    assert.deepEqual(r.tasks, ['easy', 'medium', 'hard']);
    assert.equal(r.weights.length, 600);
    for (const w of rows(r.weights, 200)) assert.ok(Math.abs(w[0] + w[1] + w[2] - 1) < 1e-5);
    const last = rows(r.losses, 200).at(-1);
    assert.ok(last[0] < last[1] && last[1] < last[2], `losses ${last}`);
  });

  test('descent moves weight to the lowest loss, ascent to the highest', () => {
    for (const update of ['descent', 'ascent']) {
      const r = lab.taskWeighting({ update, steps: 500 });
      const w = rows(r.weights, 500), L = rows(r.losses, 500);
      const sign = update === 'descent' ? -1 : 1;
      for (let s = 0; s + 1 < 500; s++) {
        // The favoured task (lowest loss for descent, highest for ascent) gains weight at every step.
        const favoured = L[s].indexOf(update === 'descent' ? Math.min(...L[s]) : Math.max(...L[s]));
        const mean = L[s].reduce((acc, l, t) => acc + w[s][t] * l, 0);
        const ds = L[s].map((l, t) => sign * 0.1 * w[s][t] * (l - mean));
        assert.ok(ds[favoured] >= Math.max(...ds) - 1e-9, `step ${s}: the favoured task's score rises most`);
        assert.ok(w[s + 1][favoured] >= w[s][favoured] - 1e-6, `${update} step ${s}: weight of task ${favoured} fell`);
      }
      const end = w.at(-1);
      assert.ok(end[update === 'descent' ? 0 : 2] > 0.9, `${update}: ${end}`);
    }
  });

  test('loss-ratio: the softmax of recent loss ratios over T, recomputed here from the losses', () => {
    const r = lab.taskWeighting({ update: 'loss-ratio', steps: 300, temperature: 0.05, window: 10 });
    const w = rows(r.weights, 300), L = rows(r.losses, 300);
    for (let s = 0; s < 300; s++) {
      const ratio = [0, 1, 2].map((t) => {
        if (s < 20) return 0;
        let recent = 0, before = 0;
        for (let u = s - 10; u < s; u++) recent += L[u][t];
        for (let u = s - 20; u < s - 10; u++) before += L[u][t];
        return recent / before / 0.05;
      });
      const z = ratio.map(Math.exp), total = z.reduce((a, b) => a + b, 0);
      for (let t = 0; t < 3; t++) assert.ok(Math.abs(w[s][t] - z[t] / total) < 1e-4, `step ${s} task ${t}`);
    }
    assert.ok(w[50][2] > w[50][0], 'at step 50 the hard task improves slowest and weighs most');
  });

  test('the same seed gives the same run; another seed another', () => {
    assert.deepEqual(lab.taskWeighting({ update: 'ascent', steps: 50, seed: 4 }), lab.taskWeighting({ update: 'ascent', steps: 50, seed: 4 }));
    assert.notDeepEqual(lab.taskWeighting({ update: 'ascent', steps: 50, seed: 4 }).losses, lab.taskWeighting({ update: 'ascent', steps: 50, seed: 5 }).losses);
  });
});

describe('bad arguments name themselves, and the lab keeps working', () => {
  const good = () => ({ ...inputs(2, 3, 2, 1, 1) });
  const cases = [
    ['attention dropout 1', () => lab.attention({ ...small(), dropout: 1 }), /attention: dropout must be less than 1/],
    ['attention dropout -0.1', () => lab.attention({ ...small(), dropout: -0.1 }), /attention: dropout must be a number from 0 to 1/],
    ['attention dropout null', () => lab.attention({ ...small(), dropout: null }), /dropout .*null/],
    ['attention seed -1', () => lab.attention({ ...small(), dropout: 0.5, seed: -1 }), /attention: seed must be a non-negative integer/],
    ['attention dropuot', () => lab.attention({ ...small(), dropuot: 0.5 }), /unknown option 'dropuot' \(did you mean 'dropout'\?\)/],
    ['backward gradOutput missing', () => { const a = good(); delete a.gradOutput; lab.attentionBackward(a); }, /attentionBackward: gradOutput is required/],
    ['backward gradOutput length', () => lab.attentionBackward({ ...good(), gradOutput: [1] }), /gradOutput must have nq\*dv = 2 elements, got 1/],
    ['backward gradOutput NaN', () => lab.attentionBackward({ ...good(), gradOutput: [NaN, 1] }), /gradOutput\[0\] must be a finite number/],
    ['backward entropyPenalty', () => lab.attentionBackward({ ...good(), entropyPenalty: -1 }), /entropyPenalty must be a number from 0/],
    ['backward local without window', () => lab.attentionBackward({ ...good(), mask: 'local' }), /window is required/],
    ['backward temperature', () => lab.attentionBackward({ ...good(), temperature: 0 }), /attentionBackward: temperature must be a number > 0/],
    ['trainer task missing', () => lab.createTrainer({}), /createTrainer: task must be one of 'spurious', 'noise', 'task-weighting'/],
    ['trainer task', () => lab.createTrainer({ task: 'overfit' }), /task must be one of/],
    ['trainer noiseTokens on spurious', () => lab.createTrainer({ task: 'spurious', noiseTokens: 3 }), /createTrainer: noiseTokens does not apply to task 'spurious'/],
    ['trainer update on noise', () => lab.createTrainer({ task: 'noise', update: 'ascent' }), /update does not apply to task 'noise'/],
    ['trainer dropout', () => lab.createTrainer({ task: 'noise', dropout: 1 }), /createTrainer: dropout must be less than 1/],
    ['trainer noiseTokens 65', () => lab.createTrainer({ task: 'noise', noiseTokens: 65 }), /noiseTokens must be an integer from 0 to 64/],
    ['trainer batch', () => lab.createTrainer({ task: 'spurious', batch: 49 }), /batch must be an integer from 0 to 48/],
    ['trainer learningRate', () => lab.createTrainer({ task: 'spurious', learningRate: 0 }), /learningRate must be a number from/],
    ['trainer optimizer', () => lab.createTrainer({ task: 'spurious', optimizer: 'rmsprop' }), /optimizer must be one of 'adam', 'sgd'/],
    ['trainer evaluateEvery', () => lab.createTrainer({ task: 'spurious', evaluateEvery: 0 }), /evaluateEvery must be an integer from 1/],
    ['trainer seed', () => lab.createTrainer({ task: 'spurious', seed: 1.5 }), /seed must be a non-negative integer/],
    ['trainer typo', () => lab.createTrainer({ task: 'spurious', dropuot: 0.1 }), /unknown option 'dropuot' \(did you mean 'dropout'\?\)/],
    ['taskWeighting update missing', () => lab.taskWeighting({ steps: 5 }), /taskWeighting: update must be one of 'descent', 'ascent', 'loss-ratio', got undefined/],
    ['taskWeighting update', () => lab.taskWeighting({ update: 'sideways' }), /update must be one of/],
    ['taskWeighting steps', () => lab.taskWeighting({ update: 'ascent', steps: 0 }), /taskWeighting: steps must be an integer from 1 to 100000/],
    ['taskWeighting lr', () => lab.taskWeighting({ update: 'ascent', lr: -1 }), /taskWeighting: lr must be a number from 0/],
    ['taskWeighting temperature', () => lab.taskWeighting({ update: 'loss-ratio', temperature: 0 }), /taskWeighting: temperature must be a number from/],
  ];
  for (const [name, run, message] of cases) {
    test(name, () => {
      assert.throws(run, (e) => e instanceof Error && message.test(e.message), name);
      stillExact();
    });
  }

  test('trainer methods name their arguments', () => {
    const t = lab.createTrainer({ task: 'spurious' });
    assert.throws(() => t.step(-1), /trainer\.step: steps must be an integer from 0 to 1000000, got -1/);
    assert.throws(() => t.step(1.5), /trainer\.step: steps must be an integer/);
    assert.throws(() => t.step('3'), /trainer\.step: steps must be an integer/);
    assert.throws(() => t.metrics({ from: 2 }), /trainer\.metrics: from must be an integer from 0 to 1/);
    assert.throws(() => t.metrics({ form: 0 }), /unknown option 'form' \(did you mean 'from'\?\)/);
    assert.throws(() => t.attention({ examples: 0 }), /trainer\.attention: examples must be an integer from 1 to 256/);
    assert.throws(() => t.configure({ dropout: 2 }), /trainer\.configure: dropout must be a number from 0 to 1/);
    assert.throws(() => t.configure({ noiseTokens: 2 }), /unknown option 'noiseTokens'/);
    assert.equal(t.step(0), 0);
    assert.equal(t.step(5), 5, 'still trains after the errors');
    const tw = lab.createTrainer({ task: 'task-weighting' });
    assert.throws(() => tw.attention(), /trainer\.attention: task 'task-weighting' has no token attention/);
    assert.throws(() => tw.configure({ dropout: 0.1 }), /trainer\.configure: task 'task-weighting' has nothing to configure/);
    t.dispose();
    tw.dispose();
    stillExact();
  });
});
