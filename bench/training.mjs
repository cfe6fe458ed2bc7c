// Training speed of the lesson models, and the time each lesson takes to reach the result
// it shows. Shared by Node (bench/run.mjs) and Chromium (bench/page.html).
//
// Steps per second: lab.createTrainer(options) stepped on the calling thread, in calls of
// `chunk` steps (as the training worker does), for at least `minMs`; the median of three
// such samples. Metrics are recorded as the lessons record them (every 5 steps, on the
// whole training and validation sets), so their cost is included.
//
// Time to the visible result: each lesson's runs, trained to the step budget its page
// uses, all at once as the page runs them (in the worker in Chromium, one after the other
// on the main thread in Node); then the lesson's claim is checked on the final metrics.
// The time is wall-clock from creating the runs to the last one done.

/** The lesson models, one row each in the steps-per-second table. */
export const TRAINING_MODELS = [
  { name: 'lesson 7, marker (no dropout)', options: { task: 'spurious' } },
  { name: 'lesson 7, marker, dropout 0.3', options: { task: 'spurious', dropout: 0.3 } },
  { name: 'lesson 7, noise k = 16', options: { task: 'noise', noiseTokens: 16 } },
  { name: 'lesson 7, noise k = 64', options: { task: 'noise', noiseTokens: 64 } },
  { name: 'lesson 7, noise k = 16, entropy penalty', options: { task: 'noise', noiseTokens: 16, entropyPenalty: 0.01 } },
  { name: 'lesson 8, task weighting (descent)', options: { task: 'task-weighting', update: 'descent' } },
];

const last = (m, name) => m[name][m[name].length - 1];
const sweep = [0, 1, 2, 4, 8, 16, 32, 64];

/** Each lesson's visible result: the runs it trains, their budget, and the claim on their final metrics. */
export const LESSON_RESULTS = [
  {
    name: 'lesson 7: leaning on the marker; dropout spreads the weight',
    runs: [{ task: 'spurious' }, { task: 'spurious', dropout: 0.3 }],
    steps: 300,
    claim: 'without dropout marker weight > 2x the words\'; dropout: marker weight down, validation accuracy up >= 0.2',
    holds: ([plain, dropped]) => last(plain, 'spuriousWeight') > 2 * last(plain, 'signalWeight')
      && last(dropped, 'spuriousWeight') < last(plain, 'spuriousWeight')
      && last(dropped, 'validationAccuracy') >= last(plain, 'validationAccuracy') + 0.2,
  },
  {
    name: `lesson 7: entropy rises with k noise tokens (k = ${sweep.join(', ')})`,
    runs: sweep.map((k) => ({ task: 'noise', noiseTokens: k })),
    steps: 300,
    claim: 'entropy strictly increasing in k, every model right on validation',
    holds: (ms) => ms.every((m, i) => i === 0 || last(m, 'entropy') > last(ms[i - 1], 'entropy'))
      && ms.every((m) => last(m, 'validationAccuracy') === 1),
  },
  {
    name: 'lesson 7: the entropy penalty sharpens attention',
    runs: [{ task: 'noise', noiseTokens: 16 }, { task: 'noise', noiseTokens: 16, entropyPenalty: 0.01 }],
    steps: 300,
    claim: 'entropy < 1/4 of the unpenalised, signal weight > 0.95',
    holds: ([plain, sharp]) => last(sharp, 'entropy') < 0.25 * last(plain, 'entropy') && last(sharp, 'signalWeight') > 0.95,
  },
  {
    name: 'lesson 8: where each update moves the task weights',
    runs: ['descent', 'ascent', 'loss-ratio'].map((update) => ({ task: 'task-weighting', update })),
    steps: 500,
    claim: 'descent: easy > 0.9; ascent: hard > 0.9; loss-ratio: hard > easy at step 50',
    holds: ([descent, ascent, ratio]) => last(descent, 'weightEasy') > 0.9 && last(ascent, 'weightHard') > 0.9
      && ratio.weightHard[50] > ratio.weightEasy[50],
  },
];

/** Steps per second of each lesson model on this thread. */
export function measureTrainingSpeed(lab, { now, minMs = 700, chunk = 20, log = () => {} }) {
  const rows = [];
  for (const model of TRAINING_MODELS) {
    const trainer = lab.createTrainer(model.options);
    trainer.step(chunk); // warm up
    const samples = [];
    for (let sample = 0; sample < 3; sample++) {
      const start = now();
      let steps = 0;
      while (now() - start < minMs) {
        trainer.step(chunk);
        steps += chunk;
      }
      samples.push((1000 * steps) / (now() - start));
    }
    trainer.dispose();
    samples.sort((a, b) => a - b);
    rows.push({ model: model.name, options: model.options, stepsPerSecond: +samples[1].toFixed(1) });
    log(`training: ${model.name}: ${samples[1].toFixed(0)} steps/s`);
  }
  return rows;
}

/**
 * Time to each lesson's visible result. `train(runs, steps)` resolves to each run's final
 * metrics ({ name: array }) once every run has taken `steps` steps.
 */
export async function measureLessonResults(train, { now, log = () => {} }) {
  const rows = [];
  for (const result of LESSON_RESULTS) {
    const start = now();
    const metrics = await train(result.runs, result.steps);
    const seconds = (now() - start) / 1000;
    const holds = result.holds(metrics);
    rows.push({ result: result.name, claim: result.claim, runs: result.runs.length, steps: result.steps, seconds: +seconds.toFixed(2), holds });
    log(`training: ${result.name}: ${seconds.toFixed(2)} s, ${holds ? 'holds' : 'DOES NOT HOLD'}`);
  }
  return rows;
}

/** train() for measureLessonResults on this thread: each run to the end, one after the other. */
export function trainHere(lab) {
  return async (runs, steps) => runs.map((options) => {
    const trainer = lab.createTrainer(options);
    trainer.step(steps);
    const m = trainer.metrics();
    trainer.dispose();
    return Object.fromEntries(trainer.metricNames.map((name) => [name, Array.from(m[name])]));
  });
}

/** train() for measureLessonResults through the training worker's client (all runs at once). */
export function trainInWorker(worker) {
  return (runs, steps) => Promise.all(runs.map((options) => new Promise((resolve, reject) => {
    const run = worker.createRun(options, { steps });
    run.addEventListener('error', (event) => reject(new Error(event.detail)));
    run.addEventListener('progress', () => {
      if (run.state === 'paused' && run.step === 0) run.start();
      if (run.state === 'done') {
        resolve(run.metrics);
        run.dispose();
      }
    });
  })));
}

/** The training tables, as text. */
export function formatTraining(training) {
  const lines = ['', `Training (${training.where})`, '', 'model | steps/s', '--- | ---'];
  for (const row of training.speed) lines.push(`${row.model} | ${row.stepsPerSecond}`);
  lines.push('', 'lesson result | runs x steps | seconds | holds', '--- | --- | --- | ---');
  for (const row of training.lessons) lines.push(`${row.result} | ${row.runs} x ${row.steps} | ${row.seconds} | ${row.holds ? 'yes' : 'NO'}`);
  return lines.join('\n');
}
