// The training part of the JS API (see src/training/ and embind_training.cpp):
// attentionBackward, the lesson models as step-by-step trainers, and the lesson-8
// task-weighting experiment in one call.

import { ArgumentChecker, describe } from './arguments.mjs';

const SCALINGS = ['sqrt', 'none', 'l2'];
const MASKS = ['none', 'causal', 'local'];
const TASKS = ['spurious', 'noise', 'task-weighting'];
const OPTIMIZERS = ['adam', 'sgd'];
const UPDATES = ['descent', 'ascent', 'loss-ratio'];

const BACKWARD_OPTIONS = ['q', 'k', 'v', 'nq', 'nk', 'dk', 'dv', 'heads', 'gradOutput', 'scaling', 'temperature', 'mask',
  'window', 'dropout', 'seed', 'entropyPenalty'];
const CLASSIFIER_OPTIONS = ['seed', 'dropout', 'entropyPenalty', 'learningRate', 'optimizer', 'batch', 'evaluateEvery',
  'trainingExamples', 'validationExamples', 'width'];
const TASK_WEIGHTING_OPTIONS = ['seed', 'update', 'lr', 'temperature', 'window', 'modelLr'];
const TRAINER_OPTIONS = ['task', ...new Set([...CLASSIFIER_OPTIONS, 'noiseTokens', ...TASK_WEIGHTING_OPTIONS])];

/**
 * Attention dropout's probability p: a number from 0 to less than 1 (0, the default: none).
 * Shared with lab.attention.
 */
export function dropoutOption(a) {
  const p = a.numberIn('dropout', 0, 1, 0);
  if (p >= 1 || Math.fround(p) >= 1) a.fail('dropout', `must be less than 1 (every weight would be dropped), got ${p}`);
  return p;
}

/** `window`: required with the local mask, else optional (and ignored). */
function localWindow(a, mask) {
  return mask === MASKS.indexOf('local') ? a.count('window') : a.count('window', 0);
}

/**
 * Wraps a trainer id of the core in the object createTrainer returns.
 * Its memory is freed by dispose(); a FinalizationRegistry frees it too if the object is
 * garbage-collected first, but only dispose() frees it at a known time.
 */
function makeTrainer(core, call, id, task, options, registry) {
  const token = {};
  let disposed = false;
  const names = core.trainerMetricNames(id).split(',');
  const roles = task === 'task-weighting' ? [] : core.trainerRoles(id).split(',');
  const vocabulary = task === 'task-weighting' ? [] : core.trainerVocabulary(id).split(',');
  const fn = (name) => `trainer.${name}`;
  const alive = (name) => {
    if (disposed) throw new Error(`${fn(name)}: this trainer was disposed`);
  };
  registry.register(token, id, token);

  const trainer = {
    /** The task and the options it was created with (defaults filled in). */
    task,
    options,
    /** Names of the metrics recorded (the columns of metrics()). */
    metricNames: names,
    /** Role of each token position ('cls', 'signal', 'spurious', 'filler', 'noise'); [] for 'task-weighting'. */
    roles,
    /** Name of each token kind, by kind ('[CLS]', 'S+', 'good3', 'noise7', …); [] for 'task-weighting'. */
    vocabulary,

    /** Optimisation steps taken so far. */
    get steps() {
      alive('steps');
      return core.trainerSteps(id);
    },

    /** Takes `steps` more steps (default 1); returns the steps taken so far. */
    step(steps = 1) {
      alive('step');
      if (!Number.isSafeInteger(steps) || steps < 0 || steps > 1e6) {
        throw new Error(`${fn('step')}: steps must be an integer from 0 to 1000000, got ${describe(steps)}`);
      }
      const error = core.trainerRun(id, steps);
      if (error) throw new Error(`${fn('step')}: ${error}`);
      return core.trainerSteps(id);
    },

    /**
     * The recorded metrics from row `from` on: { rows, step, <metric>: Float32Array, … },
     * one Float32Array per name in metricNames.
     */
    metrics(metricOptions = {}) {
      alive('metrics');
      const a = new ArgumentChecker(fn('metrics'), metricOptions, ['from']);
      const total = core.trainerMetricRows(id);
      const from = a.integerIn('from', 0, total, 0);
      const rows = total - from;
      const width = names.length;
      return call(fn('metrics'), { out: rows * width }, {},
        (p) => core.trainerMetrics(id, from, rows, p.out),
        (read) => {
          const flat = read('out');
          const result = { rows };
          names.forEach((name, c) => {
            const column = new Float32Array(rows);
            for (let r = 0; r < rows; r++) column[r] = flat[r * width + c];
            result[name] = column;
          });
          return result;
        });
    },

    /**
     * [CLS]'s attention now (no dropout) on the first `examples` validation sequences:
     * { weights (examples x length), kinds, polarity (0 none, 1 +, 2 -; examples x length),
     * tokens (the names, polarity included: 'S+', 'noise4', …; examples x length),
     * labels (examples), examples, length, roles }.
     */
    attention(attentionOptions = {}) {
      alive('attention');
      const a = new ArgumentChecker(fn('attention'), attentionOptions, ['examples']);
      if (task === 'task-weighting') a.fail('task', "'task-weighting' has no token attention; its task weights are in metrics()");
      const examples = a.integerIn('examples', 1, options.validationExamples, Math.min(8, options.validationExamples));
      const length = roles.length;
      const cells = examples * length;
      return call(fn('attention'), { weights: cells, kindsInt32: cells, polarityInt32: cells, labelsInt32: examples }, {},
        (p) => core.trainerAttention(id, examples, p.weights, p.kindsInt32, p.polarityInt32, p.labelsInt32),
        (read) => {
          const kinds = read.int32('kindsInt32');
          const polarity = read.int32('polarityInt32');
          return {
            weights: read('weights'),
            kinds,
            polarity,
            tokens: Array.from(kinds, (kind, cell) => vocabulary[kind] + ['', '+', '-'][polarity[cell]]),
            labels: read.int32('labelsInt32'),
            examples,
            length,
            roles,
          };
        });
    },

    /** Changes dropout, entropyPenalty or learningRate from the next step on. */
    configure(changes) {
      alive('configure');
      const a = new ArgumentChecker(fn('configure'), changes, ['dropout', 'entropyPenalty', 'learningRate']);
      if (task === 'task-weighting') a.fail('task', "'task-weighting' has nothing to configure mid-run");
      const next = {
        dropout: a.has('dropout') ? dropoutOption(a) : options.dropout,
        entropyPenalty: a.has('entropyPenalty') ? a.numberIn('entropyPenalty', 0, 100) : options.entropyPenalty,
        learningRate: a.has('learningRate') ? a.numberIn('learningRate', 1e-6, 10) : options.learningRate,
      };
      const error = core.trainerConfigure(id, next.dropout, next.entropyPenalty, next.learningRate);
      if (error) throw new Error(`${fn('configure')}: ${error}`);
      Object.assign(options, next);
    },

    /** Frees the trainer's memory now; every later call throws. Calling it twice is harmless. */
    dispose() {
      if (disposed) return;
      disposed = true;
      registry.unregister(token);
      core.trainerDispose(id);
    },

    get disposed() {
      return disposed;
    },
  };
  return trainer;
}

/** The training API: attentionBackward, createTrainer, taskWeighting (see lab.mjs, apiParts). */
export default function trainingApi(core, call) {
  const registry = new FinalizationRegistry((id) => core.trainerDispose(id));

  /** Reads a trainer's options: the task's defaults from the core, then the caller's. */
  function trainerConfig(a, task) {
    const kind = TASKS.indexOf(task);
    const d = core.trainerDefaults(kind);
    const seed = a.seed('seed', 1);
    if (task === 'task-weighting') {
      return {
        ...d,
        seed,
        update: a.oneOf('update', UPDATES, 'descent'),
        learningRate: a.numberIn('lr', 0, 1000, d.learningRate),
        temperature: a.numberIn('temperature', 1e-3, 100, d.temperature),
        window: a.integerIn('window', 1, 10000, d.window),
        modelLearningRate: a.numberIn('modelLr', 1e-6, 10, d.modelLearningRate),
      };
    }
    const o = {
      ...d,
      seed,
      dropout: dropoutOption(a),
      entropyPenalty: a.numberIn('entropyPenalty', 0, 100, 0),
      learningRate: a.numberIn('learningRate', 1e-6, 10, d.learningRate),
      optimizer: a.oneOf('optimizer', OPTIMIZERS, OPTIMIZERS[d.optimizer]),
      evaluateEvery: a.integerIn('evaluateEvery', 1, 100000, d.evaluateEvery),
      trainingExamples: a.integerIn('trainingExamples', 1, 4096, d.trainingExamples),
      validationExamples: a.integerIn('validationExamples', 1, 4096, d.validationExamples),
      width: a.integerIn('width', 1, 64, d.width),
      noiseTokens: task === 'noise' ? a.integerIn('noiseTokens', 0, 64, d.noiseTokens) : 0,
    };
    o.batch = a.integerIn('batch', 0, o.trainingExamples, Math.min(d.batch, o.trainingExamples));
    return o;
  }

  const api = {
    /**
     * The backward pass of attention: the exact gradients of
     *   sum(output . gradOutput) + entropyPenalty * sum over rows of H(weights row)
     * with respect to q, k and v, where output and weights are what
     * attention({ q, k, v, nq, nk, dk, dv, heads, scaling, temperature, mask, window,
     * dropout, seed }) computes (the same dropout mask for the same seed). gradOutput has
     * the output's shape (heads x nq x dv). Returns { gradQ, gradK, gradV } shaped like q,
     * k and v. A query that sees no key contributes nothing; under 'l2' scaling the
     * gradient goes through the key normalisation (0 for a zero key); gradients beyond
     * float range are saturated.
     */
    attentionBackward(options) {
      const a = new ArgumentChecker('attentionBackward', options, BACKWARD_OPTIONS);
      const nq = a.size('nq'), nk = a.size('nk'), dk = a.size('dk'), dv = a.size('dv');
      const heads = a.size('heads', 1);
      const scaling = a.oneOf('scaling', SCALINGS, 'sqrt');
      const temperature = a.positiveNumber('temperature', 1);
      const mask = a.oneOf('mask', MASKS, 'none');
      const window = localWindow(a, mask);
      const dropout = dropoutOption(a);
      const seed = a.seed('seed', 1);
      const entropyPenalty = a.numberIn('entropyPenalty', 0, 1e6, 0);
      const h = heads === 1 ? '' : 'heads*';
      const sizes = {
        q: heads * nq * dk, k: heads * nk * dk, v: heads * nk * dv, gradOutput: heads * nq * dv,
        probs: nq * nk, output: nq * dv, dropoutMask: dropout > 0 ? nq * nk : 0,
        gradQ: heads * nq * dk, gradK: heads * nk * dk, gradV: heads * nk * dv,
      };
      a.fits(sizes);
      const inputs = {
        q: a.array('q', sizes.q, `${h}nq*dk`),
        k: a.array('k', sizes.k, `${h}nk*dk`),
        v: a.array('v', sizes.v, `${h}nk*dv`),
        gradOutput: a.array('gradOutput', sizes.gradOutput, `${h}nq*dv`),
      };
      return call('attentionBackward', sizes, inputs,
        (p) => core.attentionBackward(p.q, p.k, p.v, p.gradOutput, heads, nq, nk, dk, dv, scaling, temperature, mask,
          window, dropout, seed, entropyPenalty, p.probs, p.output, p.dropoutMask, p.gradQ, p.gradK, p.gradV),
        (read) => ({ gradQ: read('gradQ'), gradK: read('gradK'), gradV: read('gradV') }));
    },

    /**
     * A lesson model that trains step by step (in the caller's thread: use the training
     * worker, web/runtime/trainer-client.mjs, to keep a page responsive).
     *   task 'spurious': lesson 7's shortcut data (options: seed, dropout, entropyPenalty,
     *     learningRate, optimizer, batch, evaluateEvery, trainingExamples,
     *     validationExamples, width);
     *   task 'noise': k = noiseTokens noise tokens around one signal (the same, plus noiseTokens);
     *   task 'task-weighting': lesson 8 (seed, update, lr, temperature, window, modelLr).
     * Returns a Trainer: step(n), metrics({ from }), attention({ examples }),
     * configure({ dropout, entropyPenalty, learningRate }), steps, dispose().
     * The same options (seed included) give the same curve, in Node and in every browser.
     */
    createTrainer(options) {
      const a = new ArgumentChecker('createTrainer', options, TRAINER_OPTIONS);
      const taskIndex = a.oneOf('task', TASKS);
      const task = TASKS[taskIndex];
      const allowed = task === 'task-weighting' ? TASK_WEIGHTING_OPTIONS
        : task === 'noise' ? [...CLASSIFIER_OPTIONS, 'noiseTokens'] : CLASSIFIER_OPTIONS;
      for (const name of TRAINER_OPTIONS) {
        if (name !== 'task' && a.has(name) && !allowed.includes(name)) {
          a.fail(name, `does not apply to task '${task}' (its options: ${allowed.join(', ')})`);
        }
      }
      const config = trainerConfig(a, task);
      const created = core.trainerCreate({ ...config, kind: taskIndex });
      if (created.error) throw new Error(`createTrainer: ${created.error}`);
      const resolved = task === 'task-weighting'
        ? { seed: config.seed, update: UPDATES[config.update], lr: config.learningRate, temperature: config.temperature,
          window: config.window, modelLr: config.modelLearningRate }
        : { seed: config.seed, dropout: config.dropout, entropyPenalty: config.entropyPenalty,
          learningRate: config.learningRate, optimizer: OPTIMIZERS[config.optimizer], batch: config.batch,
          evaluateEvery: config.evaluateEvery, trainingExamples: config.trainingExamples,
          validationExamples: config.validationExamples, width: config.width,
          ...(task === 'noise' ? { noiseTokens: config.noiseTokens } : {}) };
      return makeTrainer(core, call, created.id, task, resolved, registry);
    },

    /**
     * Lesson 8 in one call: three tasks of different difficulty share one model, a softmax
     * over task scores weights their losses, and `update` moves the weights: 'descent'
     * (the scores minimise the weighted loss: weight flows to the easiest task), 'ascent'
     * (they maximise it: to the hardest) or 'loss-ratio' (softmax of each task's recent
     * loss ratio / temperature: to the slowest-improving). Returns { tasks: ['easy',
     * 'medium', 'hard'], weights, losses }: Float32Arrays of steps x 3, the weights each
     * step used and each task's loss before that step.
     */
    taskWeighting(options) {
      const a = new ArgumentChecker('taskWeighting', options, ['update', 'steps', 'seed', 'lr', 'temperature', 'window',
        'modelLr']);
      const update = UPDATES[a.oneOf('update', UPDATES)];
      const steps = a.integerIn('steps', 1, 100000, 500);
      const forwarded = { task: 'task-weighting', update };
      for (const name of ['seed', 'lr', 'temperature', 'window', 'modelLr']) {
        if (a.has(name)) forwarded[name] = a.options[name];
      }
      let trainer;
      try {
        trainer = api.createTrainer(forwarded);
      } catch (error) {
        throw new Error(error.message.replace(/^createTrainer:/, 'taskWeighting:'));
      }
      try {
        trainer.step(steps);
        const m = trainer.metrics();
        const weights = new Float32Array(steps * 3), losses = new Float32Array(steps * 3);
        const weightNames = ['weightEasy', 'weightMedium', 'weightHard'];
        const lossNames = ['lossEasy', 'lossMedium', 'lossHard'];
        for (let s = 0; s < steps; s++) {
          for (let t = 0; t < 3; t++) {
            weights[s * 3 + t] = m[weightNames[t]][s];
            losses[s * 3 + t] = m[lossNames[t]][s];
          }
        }
        return { tasks: ['easy', 'medium', 'hard'], weights, losses };
      } finally {
        trainer.dispose();
      }
    },
  };
  return api;
}

