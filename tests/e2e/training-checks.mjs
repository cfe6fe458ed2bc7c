/**
 * Whether a training widget of lessons 7 and 8 shows the attention core's numbers: once
 * its runs are done, every metric it shows (the last recorded row of each run, in full
 * precision) and every cell of its curves' data tables equals what lab.createTrainer gives
 * in Node with the same options, after the same number of steps. Used by the lesson tests
 * and by lesson-checks.mjs (offline).
 */
import assert from 'node:assert/strict';
import createAttentionLab from '../../dist/node.mjs';

let labPromise = null;
const cache = new Map();

/** Every metric row lab.createTrainer records in Node for `options` after `steps` steps: { name: number[] }. */
export async function trainedInNode(options, steps) {
  const key = JSON.stringify([options, steps]);
  if (!cache.has(key)) {
    const lab = await (labPromise ??= createAttentionLab());
    const trainer = lab.createTrainer(options);
    trainer.step(steps);
    const m = trainer.metrics();
    trainer.dispose();
    cache.set(key, Object.fromEntries(trainer.metricNames.map((name) => [name, Array.from(m[name])])));
  }
  return cache.get(key);
}

/** Waits until the widget has trained to its end (pressing its Train button first if it waits for one). */
export async function trainToEnd(widget) {
  await widget.locator('.training-progress').waitFor();
  if (await widget.evaluate((element) => element.dataset.trainingState === 'paused' && element.dataset.step === '0')) {
    await widget.getByRole('button', { name: 'Train', exact: true }).click();
  }
  await widget.page().waitForFunction((element) => element.dataset.trainingState === 'done' && element.hasAttribute('data-ready'),
    await widget.elementHandle(), { timeout: 180_000 });
}

/** The widget's state (its URL parameters) and, for every element with `selector`, its key and data-metric-* values. */
function readShown(widget, selector, keyName) {
  return widget.evaluate((element, [sel, key]) => ({
    state: element.state,
    shown: [...element.shadowRoot.querySelectorAll(sel)].map((node) => ({
      key: node.dataset[key],
      metrics: Object.fromEntries(Object.entries(node.dataset).filter(([name]) => name.startsWith('metric'))
        .map(([name, value]) => [name[6].toLowerCase() + name.slice(7), Number(value)])),
      tables: [...node.querySelectorAll('figure[data-figure]')].map((figure) => ({
        figure: figure.dataset.figure,
        rows: [...figure.querySelectorAll('tbody tr')].map((row) => ({
          step: Number(row.querySelector('th').textContent),
          values: Object.fromEntries([...row.querySelectorAll('td')].map((cell) => [cell.dataset.series, Number(cell.dataset.value)])),
        })),
      })),
    })),
  }), [selector, keyName]);
}

/** Checks a shown run against Node: its last metrics row, and its curves' tables (`series` → metric name, per figure prefix). */
async function checkRun(shown, options, steps, seriesOf = {}) {
  const expected = await trainedInNode(options, steps);
  const names = Object.keys(expected);
  assert.deepEqual(Object.keys(shown.metrics).sort(), [...names].sort(), `metrics of ${JSON.stringify(options)}`);
  for (const name of names) assert.equal(shown.metrics[name], expected[name].at(-1), `${name} of ${JSON.stringify(options)}`);
  for (const table of shown.tables) {
    const series = Object.entries(seriesOf).find(([prefix]) => table.figure.startsWith(prefix))?.[1];
    if (!series) continue;
    assert.ok(table.rows.length > 5, `${table.figure} has rows`);
    for (const { step, values } of table.rows) {
      const row = expected.step.indexOf(step);
      assert.ok(row >= 0, `${table.figure}: step ${step} was recorded`);
      for (const [id, metric] of Object.entries(series)) {
        assert.equal(values[id], expected[metric][row], `${table.figure} ${id} at step ${step}`);
      }
    }
  }
  return expected;
}

/** Lesson 7's dropout experiment: both models' metrics and curves. Resolves to the Node metrics by model. */
export async function checkDropoutExperiment(widget) {
  await trainToEnd(widget);
  const { state, shown } = await readShown(widget, '[data-model]', 'model');
  const seed = Number(state.seed);
  const steps = Number(state.steps);
  const options = { plain: { task: 'spurious', seed }, dropout: { task: 'spurious', seed, dropout: Number(state.dropout) } };
  assert.deepEqual(shown.map(({ key }) => key), ['plain', 'dropout']);
  const result = {};
  for (const run of shown) {
    result[run.key] = await checkRun(run, options[run.key], steps, {
      loss: { train: 'trainLoss', validation: 'validationLoss' },
      weights: { marker: 'spuriousWeight', words: 'signalWeight' },
    });
  }
  return result;
}

/** Lesson 7's noise experiment: every k's model and the penalised one. */
export async function checkNoiseExperiment(widget, { k = 16 } = {}) {
  await trainToEnd(widget);
  const { state, shown } = await readShown(widget, '[data-run]', 'run');
  const seed = Number(state.seed);
  const steps = Number(state.steps);
  const result = {};
  for (const run of shown) {
    const options = run.key === 'penalised'
      ? { task: 'noise', noiseTokens: k, seed, entropyPenalty: Number(state.penalty) }
      : { task: 'noise', noiseTokens: Number(run.key.slice(1)), seed };
    result[run.key] = await checkRun(run, options, steps);
  }
  assert.equal(shown.length, 8, 'seven values of k and the penalised model');
  const sweep = await widget.locator('figure[data-figure="sweep"] tbody tr').evaluateAll((rows) => rows.map((row) => [
    Number(row.querySelector('th').textContent), Number(row.querySelector('td').dataset.value)]));
  assert.deepEqual(sweep, [1, 2, 4, 8, 16, 32, 64].map((count) => [count, result[`k${count}`].entropy.at(-1)]));
  return result;
}

/** Lesson 8's task weighting: trains it (pressing Train) and checks the three rules. */
export async function checkTaskWeighting(widget) {
  await trainToEnd(widget);
  const { state, shown } = await readShown(widget, '[data-update]:not(tr)', 'update');
  const seed = Number(state.seed);
  const steps = Number(state.steps);
  assert.deepEqual(shown.map(({ key }) => key), ['descent', 'ascent', 'loss-ratio']);
  const series = (kind) => ({ easy: `${kind}Easy`, medium: `${kind}Medium`, hard: `${kind}Hard` });
  const result = {};
  for (const run of shown) {
    result[run.key] = await checkRun(run, { task: 'task-weighting', update: run.key, seed }, steps,
      { 'task-weights': series('weight'), 'task-losses': series('loss') });
  }
  return result;
}
