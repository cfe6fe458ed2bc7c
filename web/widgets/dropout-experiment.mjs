/**
 * `<dropout-experiment>`: lesson 7's overfitting, trained live. Two copies of one tiny
 * attention classifier (lab.createTrainer({ task: 'spurious' })) learn from the same 48
 * examples, from the same start: one plain, one with attention dropout p. In the training
 * set a marker token (S+ or S-) always agrees with the label; in the validation set it is
 * random, and only the three label words tell the truth. For each model: the training
 * and validation loss over the steps, where [CLS] looks (its weight on the marker and on
 * the three words together) over the steps, a heatmap of its attention over the tokens of
 * eight validation sentences, and a summary table.
 *
 * Parameters: dropout (p of the second model), seed, steps, autostart. State: dropout,
 * seed, steps. Quantities, once trained: `leansOn.<plain|dropout>` ('the marker' or 'the
 * words'), `validationAccuracy.*`, `trainAccuracy.*`, `markerWeight.*`, `wordsWeight.*`,
 * `validationLoss.*`, `dropout`, `steps`. Evidence: `attention` (the weight curves and
 * the heatmaps), `curves` (the loss curves), `summary` (the table). CSS parts: dropout,
 * seed, train, progress.
 *
 * For tests: `data-metric-<name>` (full precision, last recorded row) on each model's
 * panel, `data-model` on each panel, `data-value` on every plot table cell, and
 * `data-training-state`, `data-step` on the element.
 */
import { Heatmap, heatmapStyles } from '../figures/heatmap.mjs';
import { ChoiceButtons, choiceButtonsStyles } from '../figures/choice-buttons.mjs';
import { colour } from '../runtime/theme-colours.mjs';
import { WithheldPlaceholder } from '../runtime/withheld-evidence.mjs';
import { htmlElement } from './html-element.mjs';
import {
  TrainingWidget, curveFigure, curvePoints, lastValue, parseBoolean, parseInteger, scrollingBox, seedField,
} from './training-widget.mjs';

const dropoutChoices = [0.1, 0.2, 0.3, 0.5];
const examplesShown = 8;
const roleNames = { signal: 'word', spurious: 'marker', filler: 'filler' };

const lossSeries = [
  { id: 'train', name: 'training loss', colour: colour('series-2'), symbol: 'none', width: 2.5 },
  { id: 'validation', name: 'validation loss', colour: colour('series-1'), dash: '7 4', symbol: 'none', width: 2.5 },
];
const weightSeries = [
  { id: 'marker', name: 'on the marker', colour: colour('series-5'), symbol: 'none', width: 2.5 },
  { id: 'words', name: 'on the 3 words', colour: colour('series-3'), dash: '7 4', symbol: 'none', width: 2.5 },
];
const summaryColumns = [
  ['trainAccuracy', 'training accuracy'], ['validationAccuracy', 'validation accuracy'],
  ['spuriousWeight', 'weight on the marker'], ['signalWeight', 'weight on the words'],
];

export class DropoutExperiment extends TrainingWidget {
  static parameters = Object.freeze({
    dropout: 'one of 0.1, 0.2, 0.3, 0.5 (attention dropout of the second model)',
    seed: 'a whole number from 0 to 2147483647',
    steps: 'a whole number from 10 to 100000 (steps each model trains)',
    autostart: '"true" (train as soon as the page opens) or "false"',
  });

  static evidence = Object.freeze({
    attention: "where [CLS] looks: the weight curves and the heatmaps",
    curves: 'the training and validation loss curves',
    summary: 'the summary table',
  });

  static readers = {
    dropout: (text) => (dropoutChoices.includes(Number(text)) && text.trim() !== '' ? Number(text) : null),
    seed: (text) => parseInteger(text, 0, 2 ** 31 - 1),
    steps: (text) => parseInteger(text, 10, 100000),
    autostart: parseBoolean,
  };

  static defaults = { dropout: 0.3, seed: 1, steps: 300, autostart: true };
  static stateNames = ['dropout', 'seed', 'steps'];
  static stateAttributes = Object.freeze({ dropout: 'dropout', seed: 'seed', steps: 'steps' });
  static trainedThing = 'the two models';
  static styles = choiceButtonsStyles + heatmapStyles + `
    .heatmap-frame { max-width: 26rem; }
  `;

  #panels = null;
  #attentionAsked = 0;

  runSpecs({ dropout, seed }) {
    return [
      { id: 'plain', options: { task: 'spurious', seed } },
      { id: 'dropout', options: { task: 'spurious', seed, dropout } },
    ];
  }

  build() {
    const settings = htmlElement('div', { class: 'setting-row' });
    this.dropoutChoice = new ChoiceButtons({
      legend: 'Attention dropout p of the second model', part: 'dropout',
      choices: dropoutChoices.map((value) => ({ value })),
      onChange: (value) => this.change('dropout', Number(value)),
    });
    this.seed = seedField((seed) => this.change('seed', seed));
    this.seed.input.addEventListener('invalid-seed', () => { this.seed.input.value = String(this.view.seed); });
    settings.append(this.dropoutChoice.element, this.seed.element);
    const element = htmlElement('div', { class: 'panels' });
    this.#panels = ['plain', 'dropout'].map((model) => this.#buildPanel(model));
    element.append(...this.#panels.map(({ element: panel }) => panel));
    return { settings, element };
  }

  #buildPanel(model) {
    const element = htmlElement('section', { class: 'panel', 'data-model': model });
    const title = htmlElement('p', { class: 'panel-title' });
    const modelName = () => (model === 'plain' ? 'without dropout' : `with dropout p = ${this.view.dropout}`);
    const losses = curveFigure({ series: lossSeries, yLabel: 'loss', label: 'Loss over training', fileName: `loss-${model}` });
    const weights = curveFigure({
      series: weightSeries, yLabel: "[CLS]'s weight", yDomain: [0, 1], label: "Where [CLS] looks over training", fileName: `weights-${model}`,
    });
    const map = new Heatmap({
      label: "[CLS]'s attention on validation sentences", rowTitle: 'sentence', columnTitle: 'token',
      fileName: `attention-${model}`,
      direction: 'Each row is one validation sentence, named by its label (+ or −) and its marker (S+ or S−, here at random); each cell is how much [CLS] takes from that token.',
      describe: (row, col, value) => this.#describeCell(model, row, col, value),
    });
    const summary = scrollingBox(`Summary, ${model === 'plain' ? 'without' : 'with'} dropout`);
    const table = htmlElement('table', { class: 'summary' });
    summary.append(table);
    const held = {
      curves: new WithheldPlaceholder(this, 'curves'),
      attention: new WithheldPlaceholder(this, 'attention'),
      summary: new WithheldPlaceholder(this, 'summary'),
    };
    const attentionParts = htmlElement('div', { class: 'panel' });
    attentionParts.append(weights.figure, map.element);
    element.append(title, held.summary.element, summary, held.curves.element, losses.figure, held.attention.element, attentionParts);
    return { model, element, title, modelName, losses, weights, map, table, summary, attentionParts, held, tokens: [] };
  }

  #describeCell(model, row, col, value) {
    const panel = this.#panels.find((p) => p.model === model);
    const token = panel.tokens[row]?.[col] ?? '';
    return `sentence ${row + 1}, ${token}: ${value.toFixed(2)}`;
  }

  showView({ dropout, seed }) {
    this.dropoutChoice.value = dropout;
    this.seed.input.value = String(seed);
    for (const panel of this.#panels) panel.title.textContent = `The model ${panel.modelName()}`;
  }

  showWithheld(withheld) {
    for (const panel of this.#panels) {
      panel.held.curves.hold(withheld, panel.losses.figure);
      panel.held.attention.hold(withheld, panel.attentionParts);
      panel.held.summary.hold(withheld, panel.summary);
    }
  }

  draw(runs, { steps }) {
    for (const panel of this.#panels) {
      const metrics = runs.metrics(panel.model);
      if (!metrics.step?.length) continue;
      const step = metrics.step.at(-1);
      const lossPoints = curvePoints(metrics, [['train', 'trainLoss'], ['validation', 'validationLoss']]);
      panel.losses.plot.xDomain = [0, steps];
      panel.losses.plot.yDomain = [0, Math.max(1, ...lossPoints.validation.map(([, y]) => y), ...lossPoints.train.map(([, y]) => y)) * 1.05];
      panel.losses.plot.update(lossPoints, step);
      panel.weights.plot.xDomain = [0, steps];
      panel.weights.plot.update(curvePoints(metrics, [['marker', 'spuriousWeight'], ['words', 'signalWeight']]), step);
      for (const name of Object.keys(metrics)) panel.element.dataset[`metric${name[0].toUpperCase()}${name.slice(1)}`] = String(lastValue(metrics, name));
      this.#fillSummary(panel, metrics, step);
    }
    this.#showAttention(runs);
  }

  #fillSummary(panel, metrics, step) {
    const head = htmlElement('tr');
    head.append(htmlElement('th', { scope: 'col' }, `at step ${step}`), htmlElement('th', { scope: 'col' }, 'value'));
    const rows = summaryColumns.map(([name, label]) => {
      const row = htmlElement('tr', { 'data-metric': name });
      row.append(htmlElement('th', { scope: 'row' }, label), htmlElement('td', {}, lastValue(metrics, name).toFixed(3)));
      return row;
    });
    const thead = htmlElement('thead');
    thead.append(head);
    const tbody = htmlElement('tbody');
    tbody.append(...rows);
    panel.table.replaceChildren(thead, tbody);
  }

  /** Asks the worker for [CLS]'s attention now (the newest answer wins). */
  async #showAttention(runs) {
    const asked = ++this.#attentionAsked;
    try {
      const answers = await Promise.all(this.#panels.map(({ model }) => runs.attention(model, examplesShown)));
      if (asked !== this.#attentionAsked) return;
      answers.forEach((attention, index) => this.#drawAttention(this.#panels[index], attention));
    } catch (error) {
      if (!/disposed/.test(error.message)) throw error;
    }
  }

  #drawAttention(panel, { weights, tokens, labels, length, examples, roles }) {
    const cols = length - 1; // [CLS] reads the others; it is not one of its own keys
    const values = new Float32Array(examples * cols);
    panel.tokens = [];
    for (let row = 0; row < examples; row++) {
      values.set(weights.subarray(row * length + 1, (row + 1) * length), row * cols);
      panel.tokens.push(tokens.slice(row * length + 1, (row + 1) * length));
    }
    panel.map.update({
      values, rows: examples, cols, domain: [0, 1],
      rowLabels: Array.from(labels, (label, row) => `${label ? '+' : '−'} ${panel.tokens[row][roles.indexOf('spurious') - 1].replace('-', '−')}`),
      colLabels: roles.slice(1).map((role) => roleNames[role] ?? role),
    });
  }

  results(runs, { dropout, steps }) {
    const result = { dropout, steps };
    const fields = {
      leansOn: (m) => (lastValue(m, 'spuriousWeight') > lastValue(m, 'signalWeight') ? 'the marker' : 'the words'),
      validationAccuracy: (m) => lastValue(m, 'validationAccuracy'),
      trainAccuracy: (m) => lastValue(m, 'trainAccuracy'),
      validationLoss: (m) => lastValue(m, 'validationLoss'),
      markerWeight: (m) => lastValue(m, 'spuriousWeight'),
      wordsWeight: (m) => lastValue(m, 'signalWeight'),
    };
    for (const [name, read] of Object.entries(fields)) {
      result[name] = Object.fromEntries(['plain', 'dropout'].map((model) => [model, read(runs.metrics(model))]));
    }
    return result;
  }
}

customElements.define('dropout-experiment', DropoutExperiment);
