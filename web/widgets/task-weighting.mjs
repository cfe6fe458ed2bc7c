/**
 * `<task-weighting>`: lesson 8, a softmax over tasks weighting a multi-task loss, trained
 * live under three rules side by side (lab.createTrainer({ task: 'task-weighting',
 * update })). Three regression tasks of clearly different difficulty (easy: a line;
 * medium: a curve; hard: a product plus noise no model can predict) share one small
 * model; its loss is Σ α_t L_t with α = softmax(s). The scores s move by 'descent' (they
 * minimise the weighted loss, like the model), 'ascent' (they maximise it: the robust,
 * worst-case update) or 'loss-ratio' (α is a softmax of each task's recent loss ratio:
 * dynamic weight averaging). For each rule: the task weights α over the steps and the
 * task losses over the steps; below, a table of where each rule ended.
 *
 * Parameters: seed, steps, autostart (default false: the lesson asks for a prediction
 * before training starts). State: seed, steps. Quantities, once trained:
 * `heaviest.<update>` (the task with the most weight at the end: 'easy', 'medium' or
 * 'hard'), `weight.<update>.<task>`, `loss.<update>.<task>`, `towardsHardest` (the rule
 * that ends with the most weight on the hard task), `steps`. Evidence: `weights` (the
 * weight plots and the table). CSS parts: seed, train, progress.
 *
 * For tests: `data-metric-<name>` (last recorded row) on each `[data-update]` panel,
 * `data-value` on every plot table cell, `data-training-state` and `data-step`.
 */
import { colour } from '../runtime/theme-colours.mjs';
import { WithheldPlaceholder } from '../runtime/withheld-evidence.mjs';
import { htmlElement } from './html-element.mjs';
import {
  TrainingWidget, curveFigure, curvePoints, lastValue, parseBoolean, parseInteger, scrollingBox, seedField,
} from './training-widget.mjs';

export const updates = [
  { id: 'descent', name: 'Descent', says: 'the scores minimise the weighted loss' },
  { id: 'ascent', name: 'Ascent (robust)', says: 'the scores maximise the weighted loss' },
  { id: 'loss-ratio', name: 'Loss ratio', says: 'weights from how slowly each loss falls' },
];
export const tasks = [
  { id: 'easy', metric: 'Easy', name: 'easy', colour: colour('series-3'), dash: null },
  { id: 'medium', metric: 'Medium', name: 'medium', colour: colour('series-2'), dash: '7 4' },
  { id: 'hard', metric: 'Hard', name: 'hard', colour: colour('series-1'), dash: '2 3' },
];
const series = tasks.map(({ id, name, colour: c, dash }) => ({ id, name, colour: c, dash, symbol: 'none', width: 2.5 }));

export class TaskWeighting extends TrainingWidget {
  static parameters = Object.freeze({
    seed: 'a whole number from 0 to 2147483647',
    steps: 'a whole number from 10 to 100000 (steps each rule trains)',
    autostart: '"true" (train as soon as the page opens) or "false"',
  });

  static evidence = Object.freeze({
    weights: 'the task weights over training, and the table of where they ended',
  });

  static readers = {
    seed: (text) => parseInteger(text, 0, 2 ** 31 - 1),
    steps: (text) => parseInteger(text, 10, 100000),
    autostart: parseBoolean,
  };

  static defaults = { seed: 1, steps: 500, autostart: false };
  static stateNames = ['seed', 'steps'];
  static stateAttributes = Object.freeze({ seed: 'seed', steps: 'steps' });
  static trainedThing = 'the three rules';
  static styles = `
    .panels { grid-template-columns: repeat(auto-fit, minmax(min(100%, 17rem), 1fr)); }
    .says { margin: 0; color: ${colour('muted-text')}; }
  `;

  #panels = null;
  #summary = null;

  runSpecs({ seed }) {
    return updates.map(({ id }) => ({ id, options: { task: 'task-weighting', update: id, seed } }));
  }

  build() {
    const settings = htmlElement('div', { class: 'setting-row' });
    this.seed = seedField((seed) => this.change('seed', seed));
    this.seed.input.addEventListener('invalid-seed', () => { this.seed.input.value = String(this.view.seed); });
    settings.append(this.seed.element);
    const element = htmlElement('div', { class: 'panel' });
    const panels = htmlElement('div', { class: 'panels' });
    this.#panels = updates.map((update) => this.#buildPanel(update));
    panels.append(...this.#panels.map(({ element: panel }) => panel));
    const held = new WithheldPlaceholder(this, 'weights');
    const box = scrollingBox('Where the weights ended');
    const table = htmlElement('table', { class: 'summary' });
    box.append(table);
    this.#summary = { held, box, table };
    this.waiting = htmlElement('p', { class: 'note' }, 'Not trained yet: press Train, and the curves grow as the three rules learn.');
    element.append(this.waiting, held.element, panels, box);
    return { settings, element };
  }

  #buildPanel({ id, name, says }) {
    const element = htmlElement('section', { class: 'panel', 'data-update': id });
    const weights = curveFigure({
      series, yLabel: 'weight α', yDomain: [0, 1], label: `${name}: task weights`, fileName: `task-weights-${id}`,
      references: [{ label: 'even: 1/3', y: () => 1 / 3 }],
    });
    const losses = curveFigure({ series, yLabel: 'loss', label: `${name}: task losses`, fileName: `task-losses-${id}` });
    element.append(htmlElement('p', { class: 'panel-title' }, name), htmlElement('p', { class: 'says' }, says),
      weights.figure, losses.figure);
    return { id, element, weights, losses };
  }

  showView({ seed }) {
    this.seed.input.value = String(seed);
  }

  showWithheld(withheld) {
    this.#summary.held.hold(withheld, [...this.#panels.map((panel) => panel.weights.figure), this.#summary.box]);
  }

  draw(runs, { steps }) {
    this.waiting.hidden = runs.step > 0;
    for (const panel of this.#panels) {
      const metrics = runs.metrics(panel.id);
      if (!metrics.step?.length) continue;
      const step = metrics.step.at(-1);
      panel.weights.plot.xDomain = [0, steps];
      panel.weights.plot.update(curvePoints(metrics, tasks.map(({ id, metric }) => [id, `weight${metric}`])), step);
      const lossPoints = curvePoints(metrics, tasks.map(({ id, metric }) => [id, `loss${metric}`]));
      panel.losses.plot.xDomain = [0, steps];
      panel.losses.plot.yDomain = [0, Math.max(1, ...Object.values(lossPoints).flat().map(([, y]) => y)) * 1.05];
      panel.losses.plot.update(lossPoints, step);
      for (const name of Object.keys(metrics)) panel.element.dataset[`metric${name[0].toUpperCase()}${name.slice(1)}`] = String(lastValue(metrics, name));
    }
    this.#fillSummary(runs);
  }

  #fillSummary(runs) {
    const head = htmlElement('tr');
    head.append(htmlElement('th', { scope: 'col' }, 'rule'),
      ...tasks.map(({ name }) => htmlElement('th', { scope: 'col' }, `weight ${name}`)),
      ...tasks.map(({ name }) => htmlElement('th', { scope: 'col' }, `loss ${name}`)));
    const rows = updates.map(({ id, name }) => {
      const metrics = runs.metrics(id);
      const row = htmlElement('tr', { 'data-update': id });
      row.append(htmlElement('th', { scope: 'row' }, name),
        ...tasks.map(({ metric }) => htmlElement('td', {}, lastValue(metrics, `weight${metric}`)?.toFixed(3) ?? '')),
        ...tasks.map(({ metric }) => htmlElement('td', {}, lastValue(metrics, `loss${metric}`)?.toFixed(3) ?? '')));
      return row;
    });
    const caption = htmlElement('caption', {}, `Where each rule stands at step ${runs.step}`);
    const thead = htmlElement('thead');
    thead.append(head);
    const tbody = htmlElement('tbody');
    tbody.append(...rows);
    this.#summary.table.replaceChildren(caption, thead, tbody);
  }

  results(runs, { steps }) {
    const weight = {};
    const loss = {};
    const heaviest = {};
    for (const { id } of updates) {
      const metrics = runs.metrics(id);
      weight[id] = Object.fromEntries(tasks.map(({ id: task, metric }) => [task, lastValue(metrics, `weight${metric}`)]));
      loss[id] = Object.fromEntries(tasks.map(({ id: task, metric }) => [task, lastValue(metrics, `loss${metric}`)]));
      heaviest[id] = tasks.reduce((best, { id: task }) => (weight[id][task] > weight[id][best] ? task : best), 'easy');
    }
    const towardsHardest = updates.reduce((best, { id }) => (weight[id].hard > weight[best].hard ? id : best), 'descent');
    return { steps, weight, loss, heaviest, towardsHardest };
  }
}

customElements.define('task-weighting', TaskWeighting);
