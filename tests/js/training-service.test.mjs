// The training service (web/runtime/training-service.mjs) and its client
// (web/runtime/trainer-client.mjs), run in Node over a MessageChannel, as a page runs them
// where no worker may start: runs stream the very numbers lab.createTrainer gives, pause,
// resume, reset and configure as asked, and errors come back naming the option.
// The same service in a real worker in Chromium: tests/e2e/training-worker.test.mjs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import createAttentionLab from '../../dist/node.mjs';
import { startInPageTraining } from '../../web/runtime/trainer-client.mjs';

let lab, worker;
before(async () => {
  lab = await createAttentionLab();
  worker = await startInPageTraining(() => createAttentionLab()).ready;
});
after(() => worker?.close());

/** Resolves when `run` fires a progress event for which `until(run)` holds. */
function progress(run, until) {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (until(run)) {
        run.removeEventListener('progress', check);
        resolve(run);
      }
    };
    run.addEventListener('progress', check);
    run.addEventListener('error', (event) => reject(new Error(event.detail)), { once: true });
  });
}

/** What lab.createTrainer records after `steps` steps, as plain arrays. */
function direct(options, steps, between) {
  const t = lab.createTrainer(options);
  if (between) {
    t.step(between.at);
    t.configure(between.changes);
    t.step(steps - between.at);
  } else {
    t.step(steps);
  }
  const m = t.metrics();
  t.dispose();
  return Object.fromEntries(t.metricNames.map((name) => [name, Array.from(m[name])]));
}

test('a run streams the curve lab.createTrainer gives, then says done', async () => {
  const options = { task: 'spurious', dropout: 0.3, seed: 2 };
  const run = worker.createRun(options, { steps: 120 });
  await progress(run, (r) => r.state === 'paused');
  assert.deepEqual(run.metricNames.slice(0, 2), ['step', 'trainLoss']);
  assert.equal(run.options.dropout, 0.3);
  run.start();
  await progress(run, (r) => r.state === 'done');
  assert.equal(run.step, 120);
  assert.deepEqual(run.metrics, direct(options, 120));
  assert.ok(run.stepsPerSecond > 0);
  run.dispose();
});

test('pause holds the step count, resume continues, reset starts the same curve again', async () => {
  const options = { task: 'noise', noiseTokens: 8 };
  const run = worker.createRun(options, { steps: 400 });
  await progress(run, (r) => r.state === 'paused');
  run.start();
  await progress(run, (r) => r.state === 'running' && r.step > 0);
  run.pause();
  await progress(run, (r) => r.state === 'paused');
  const held = run.step;
  assert.ok(held > 0 && held < 400, `paused at ${held}`);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(run.step, held, 'no steps while paused');

  run.configure({ entropyPenalty: 0.01 }); // from step `held` on
  run.resume();
  await progress(run, (r) => r.state === 'done');
  assert.deepEqual(run.metrics, direct(options, 400, { at: held, changes: { entropyPenalty: 0.01 } }));

  run.reset();
  await progress(run, (r) => r.step === 0);
  assert.equal(run.metrics.step.length, 1);
  run.start();
  await progress(run, (r) => r.state === 'done');
  assert.deepEqual(run.metrics, direct(options, 400), 'reset: the same options and seed, without the configure');
  run.dispose();
});

test('several runs share the worker; attention() answers with the trainer now', async () => {
  const a = worker.createRun({ task: 'task-weighting', update: 'descent' }, { steps: 300 });
  const b = worker.createRun({ task: 'task-weighting', update: 'ascent' }, { steps: 300 });
  const c = worker.createRun({ task: 'noise', noiseTokens: 2 }, { steps: 50 });
  for (const run of [a, b, c]) run.start();
  await Promise.all([a, b, c].map((run) => progress(run, (r) => r.state === 'done')));
  const weights = (run) => ['weightEasy', 'weightMedium', 'weightHard'].map((name) => run.metrics[name].at(-1));
  assert.ok(weights(a)[0] > 0.9 && weights(b)[2] > 0.9);
  const seen = await c.attention({ examples: 2 });
  assert.equal(seen.weights.length, 2 * 4);
  assert.deepEqual(seen.roles, ['cls', 'signal', 'noise', 'noise']);
  await assert.rejects(a.attention(), /task-weighting.*no token attention/);
  for (const run of [a, b, c]) run.dispose();
});

test('a bad option comes back as an error naming it; the worker keeps serving', async () => {
  const bad = worker.createRun({ task: 'spurious', noiseTokens: 4 }, { steps: 10 });
  const message = await new Promise((resolve) => bad.addEventListener('error', (e) => resolve(e.detail), { once: true }));
  assert.match(message, /createTrainer: noiseTokens does not apply to task 'spurious'/);
  const good = worker.createRun({ task: 'spurious' }, { steps: 10 });
  good.start();
  await progress(good, (r) => r.state === 'done');
  good.dispose();
});
