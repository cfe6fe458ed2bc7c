/**
 * `<scaling-experiment>`: why attention divides q·k by sqrt(d_k), measured.
 *
 * For every key dimension d_k = 1, 2, 4, …, 1024 the attention core draws queries and
 * keys with N(0, 1) components (seeded) and reports, for three ways of scaling the
 * logits — none, 1/sqrt(d_k), L2-normalised keys — the variance of the logits, the
 * mean largest softmax weight and entropy of a row, and the mean size of the softmax
 * gradient. The widget plots all four against d_k (log axis) with reference lines
 * (y = d_k, the uniform row's weight 1/n, entropy ln n and gradient), each plot with its
 * data table; and, at the d_k the learner picks, a histogram of 2,048 logits q·k the
 * core computes, unscaled and scaled, beside one row of logits and its softmax.
 *
 * The widget contract (lessons/README.md, "Writing a widget"): `static parameters` (dk,
 * seed, samples, keys, row), `state` in the URL, `statechange`, `quantities`
 * (`variance.<scaling>.<dk>` and the like, `gradientPeak.<scaling>`, `dk`),
 * `data-ready`, CSS parts (dk, seed, row, download), and `static evidence` (summary,
 * histogram, row, variance, maxWeight, entropy, gradientNorm) with `withheld`.
 *
 * For tests: `data-dk`, `data-seed`, `data-samples`, `data-keys`, `data-row` on the
 * element; `data-scaling` and full-precision `data-variance`, `data-max-weight`,
 * `data-entropy`, `data-gradient-norm` on each summary row; `data-logit`, `data-weight`
 * on each row-view entry; `data-value` on every plot table cell; `data-ready` while the
 * numbers shown are those of the current seed (it is removed during a new sweep).
 */
import { loadLab } from '../runtime/lab.mjs';
import { colour } from '../runtime/theme-colours.mjs';
import { shadowResetCss } from '../runtime/shadow-reset.mjs';
import { ParameterMessage, parameterMessageStyles, readParameters } from '../runtime/widget-parameters.mjs';
import { WithheldPlaceholder, evidenceSet, withheldStyles } from '../runtime/withheld-evidence.mjs';
import { LinePlot, linePlotStyles } from '../figures/line-plot.mjs';
import { Histogram, histogramStyles } from '../figures/histogram.mjs';
import { SoftmaxRow, softmaxRowStyles } from '../figures/softmax-row.mjs';
import { ChoiceButtons, choiceButtonsStyles } from '../figures/choice-buttons.mjs';
import { figureExportControls, figureExportStyles } from '../figures/figure-export.mjs';
import { fitToWidth } from '../figures/fit-width.mjs';
import { htmlElement } from './html-element.mjs';

export const dimensions = Array.from({ length: 11 }, (_, power) => 2 ** power);

export const scalings = [
  { id: 'none', name: 'unscaled', colour: colour('series-1'), dash: null, symbol: 'circle', width: 2.5 },
  { id: 'sqrt', name: '÷√d_k', colour: colour('series-2'), dash: null, symbol: 'square', width: 5 },
  { id: 'l2', name: 'L2 keys', colour: colour('series-3'), dash: '6 4', symbol: 'triangle', width: 2 },
];

/** The measured quantities, as the core names them and as the page labels them, with each plot's reference lines. */
const measures = [
  { id: 'variance', core: 'logitVariance', label: 'logit variance', short: 'variance', yLog: true, attribute: 'variance',
    references: () => [{ label: 'y = d_k', y: (dk) => dk }] },
  { id: 'maxWeight', core: 'meanMaxWeight', label: 'largest weight', short: 'max weight', yDomain: [0, 1], attribute: 'maxWeight',
    references: (keys) => [{ label: `uniform 1/${keys}`, y: () => 1 / keys }] },
  { id: 'entropy', core: 'meanEntropy', label: 'entropy (nats)', short: 'entropy', attribute: 'entropy',
    references: (keys) => [{ label: `uniform ln ${keys}`, y: () => Math.log(keys) }] },
  { id: 'gradientNorm', core: 'meanGradientNorm', label: 'softmax gradient', short: 'gradient', attribute: 'gradientNorm',
    references: (keys) => [{ label: 'uniform weights', y: () => Math.sqrt(keys - 1) / keys }] },
];

const defaults = { dk: 64, seed: 1, samples: 20000, keys: 16, row: 'none' };
/** The histogram: logits of `histogramQueries` × `histogramKeys` pairs, in bins of width 2 over ±64. */
const histogramQueries = 32;
const histogramKeys = 64;

/** A whole number in [min, max] from text, or null. */
function parseInteger(text, min, max) {
  if (text === null || text === undefined || !/^\d+$/.test(String(text).trim())) return null;
  const value = Number(text);
  return value >= min && value <= max ? value : null;
}

const readers = {
  dk: (text) => (dimensions.includes(parseInteger(text, 1, 1024)) ? Number(text) : null),
  seed: (text) => parseInteger(text, 0, 2 ** 31 - 1),
  samples: (text) => parseInteger(text, 1000, 100000),
  keys: (text) => parseInteger(text, 2, 64),
  row: (text) => (scalings.some(({ id }) => id === text.trim()) ? text.trim() : null),
};

/** A box that scrolls sideways when a table is wider than a phone, reachable by keyboard. */
function scrollingBox(label) {
  return htmlElement('div', { class: 'table-scroll', tabindex: '0', role: 'group', 'aria-label': label });
}

/** A data table behind a disclosure, under a figure. */
function tableDetails(summaryText, label, table) {
  const details = htmlElement('details');
  details.append(htmlElement('summary', {}, summaryText));
  const box = scrollingBox(label);
  box.append(table);
  details.append(box);
  return details;
}

const styles = `
  .controls { display: grid; gap: 1rem 1.5rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 16rem), 1fr)); align-items: end; }
  .controls > .choice-buttons:first-child { grid-column: 1 / -1; }
  .seed { display: flex; gap: 0.75rem; align-items: center; font-weight: 600; }
  .seed input { font: inherit; width: 7rem; min-height: 2.75rem; padding: 0.2rem 0.4rem; border-radius: 0.3rem;
    border: 1px solid ${colour('muted-text')}; color: ${colour('text')}; background: ${colour('background')}; }
  input:focus-visible, summary:focus-visible { outline: 3px solid ${colour('focus')}; outline-offset: 3px; }
  .figure-title { font-size: 1.05rem; font-weight: 700; margin: 1.5rem 0 0.5rem; }
  .samples, .progress { margin: 0.75rem 0 0; }
  .table-scroll { overflow-x: auto; max-width: 100%; }
  table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
  caption { text-align: left; font-weight: 600; padding-bottom: 0.4rem; }
  .table-scroll:focus-visible { outline: 3px solid ${colour('focus')}; outline-offset: 2px; }
  th, td { padding: 0.3rem 0.4rem; border-bottom: 1px solid ${colour('rule')}; text-align: right; }
  th:first-child { text-align: left; }
  thead th { border-bottom: 2px solid ${colour('axis')}; }
  .plots, .at-dk { display: grid; gap: 1.25rem; align-items: start; grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr)); }
  figure { margin: 0; display: grid; gap: 0.5rem; min-width: 0; align-content: start; }
  figcaption { font-weight: 600; }
  details summary { display: list-item; cursor: pointer; min-height: 2.75rem; padding-top: 0.6rem; }
  .data-table caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .status { color: ${colour('error')}; }
`;

/** The experiment, its controls, the view at one d_k and the plots against d_k. */
export class ScalingExperiment extends HTMLElement {
  static parameters = Object.freeze({
    dk: 'a power of two from 1 to 1024 (the d_k shown first)',
    seed: 'a whole number from 0 to 2147483647',
    samples: 'a whole number from 1000 to 100000 (logits measured per point)',
    keys: 'a whole number from 2 to 64 (logits per softmax row)',
    row: '"none", "sqrt" or "l2" (the scaling of the row shown)',
  });

  static evidence = Object.freeze({
    summary: 'the summary table at the chosen d_k',
    histogram: 'the histogram of q·k at the chosen d_k',
    row: 'the row of logits and its softmax',
    variance: 'the plot of the logit variance against d_k',
    maxWeight: 'the plot of the largest weight against d_k',
    entropy: 'the plot of the entropy against d_k',
    gradientNorm: 'the plot of the softmax gradient against d_k',
  });

  /** Which attribute sets each parameter of `state` (so an embed can keep an attribute fixed). */
  static stateAttributes = Object.freeze({ dk: 'dk', seed: 'seed', samples: 'samples', row: 'row' });

  #lab = null;
  #attributes = { values: {}, problems: [] };
  #view = { ...defaults };
  #results = null;
  #resultsFor = '';
  #measuring = '';
  #parts = null;
  #quantities = {};
  #withheld = new Set();

  connectedCallback() {
    if (this.#parts) return;
    this.#attributes = readParameters(this, readers);
    this.#applyState({});
    const root = this.attachShadow({ mode: 'open' });
    const style = htmlElement('style');
    style.textContent = shadowResetCss + styles + softmaxRowStyles + linePlotStyles + histogramStyles + figureExportStyles
      + choiceButtonsStyles + withheldStyles + parameterMessageStyles;
    const message = new ParameterMessage();
    message.show(this.#attributes.problems);
    this.#parts = this.#build();
    root.append(style, message.element, this.#parts.element);
    this.#showControls();
    this.#showWithheld();
    loadLab()
      .then((lab) => {
        this.#lab = lab;
        this.#recompute();
      })
      .catch((error) => {
        this.#parts.status.textContent = `The attention core could not be loaded: ${error.message}`;
        this.#parts.status.hidden = false;
        console.error(error);
      });
  }

  get state() {
    const { dk, seed, samples, row } = this.#view;
    return { dk: String(dk), seed: String(seed), samples: String(samples), row };
  }

  set state(state) {
    this.#applyState(state);
    if (!this.#parts) return;
    this.#showControls();
    this.#recompute();
  }

  get quantities() {
    return this.#quantities;
  }

  /** The evidence held back until the learner answers (names of `static evidence`). */
  get withheld() {
    return new Set(this.#withheld);
  }

  set withheld(names) {
    this.#withheld = evidenceSet(this, names);
    if (this.#parts) this.#showWithheld();
  }

  #applyState(state) {
    const attribute = this.#attributes.values;
    const pick = (name) => readers[name](String(state[name] ?? '')) ?? attribute[name] ?? defaults[name];
    this.#view = { dk: pick('dk'), seed: pick('seed'), samples: pick('samples'), keys: attribute.keys ?? defaults.keys, row: pick('row') };
  }

  #announce(transient) {
    this.dispatchEvent(new CustomEvent('statechange', { detail: { transient } }));
  }

  #build() {
    const element = htmlElement('div');
    const controls = htmlElement('div', { class: 'controls' });
    const dimension = new ChoiceButtons({
      legend: 'Key dimension d_k', part: 'dk', choices: dimensions.map((value) => ({ value })),
      onChange: (value) => {
        this.#view.dk = Number(value);
        this.#recompute();
        this.#announce(false);
      },
    });
    const seedLabel = htmlElement('label', { class: 'seed', part: 'seed' }, 'Random seed');
    const seed = htmlElement('input', { type: 'number', id: 'seed', min: '0', step: '1', inputmode: 'numeric' });
    seed.addEventListener('change', () => {
      const value = parseInteger(seed.value, 0, 2 ** 31 - 1);
      if (value === null) {
        seed.value = String(this.#view.seed);
        return;
      }
      this.#view.seed = value;
      this.#recompute();
      this.#announce(false);
    });
    seedLabel.append(seed);
    const rowChoice = new ChoiceButtons({
      legend: 'Scaling of the row shown', part: 'row', choices: scalings.map(({ id, name }) => ({ value: id, label: name })),
      onChange: (value) => {
        this.#view.row = value;
        this.#recompute();
        this.#announce(false);
      },
    });
    controls.append(dimension.element, seedLabel, rowChoice.element);

    const samplesNote = htmlElement('p', { class: 'samples' });
    const progress = htmlElement('p', { class: 'progress', role: 'status' });
    const atTitle = htmlElement('p', { class: 'figure-title' });
    const atDk = htmlElement('div', { class: 'at-dk' });
    const histogram = this.#buildHistogram();
    const rowView = this.#buildRowView();
    atDk.append(histogram.held.element, histogram.figure, rowView.held.element, rowView.figure);
    const summary = this.#buildSummary();
    const plots = htmlElement('div', { class: 'plots' });
    const plotParts = measures.map((measure) => this.#buildPlot(measure));
    plots.append(...plotParts.flatMap(({ held, figure }) => [held.element, figure]));
    const status = htmlElement('p', { class: 'status', role: 'alert' });
    status.hidden = true;
    element.append(controls, samplesNote, progress, atTitle, atDk, summary.held.element, summary.element,
      htmlElement('p', { class: 'figure-title' }, 'Against d_k, from 1 to 1024'), plots, status);
    return { element, dimension, seed, rowChoice, samplesNote, progress, atTitle, histogram, summary, rowView, plotParts, status };
  }

  #buildHistogram() {
    const histogram = new Histogram({
      series: scalings.slice(0, 2), domain: [-64, 64], bins: 64, xLabel: 'logit', label: 'Histogram of 2,048 logits q·k',
    });
    const figure = htmlElement('figure', { 'data-figure': 'histogram' });
    figure.append(htmlElement('figcaption', {}, 'How q·k spreads, unscaled and ÷√d_k'), histogram.svg,
      figureExportControls({ getSvg: () => histogram.svg, styles: histogramStyles, fileName: 'logit-histogram', label: 'the histogram' }),
      tableDetails('Data table', 'Histogram table', histogram.table));
    fitToWidth(histogram.svg, histogram);
    return { histogram, figure, held: new WithheldPlaceholder(this, 'histogram') };
  }

  #buildRowView() {
    const chart = new SoftmaxRow();
    const figure = htmlElement('figure', { 'data-figure': 'row' });
    const caption = htmlElement('figcaption');
    figure.append(caption, chart.svg,
      figureExportControls({ getSvg: () => chart.svg, styles: softmaxRowStyles, fileName: 'softmax-row', label: 'the softmax row chart' }),
      tableDetails('The row as a table', 'Row table', chart.table));
    fitToWidth(chart.svg, chart);
    return { chart, figure, caption, held: new WithheldPlaceholder(this, 'row') };
  }

  #buildSummary() {
    const element = scrollingBox('Summary table');
    const table = htmlElement('table', { class: 'summary' });
    const caption = htmlElement('caption');
    const head = htmlElement('thead');
    const headRow = htmlElement('tr');
    for (const title of ['scaling', ...measures.map(({ short }) => short)]) headRow.append(htmlElement('th', { scope: 'col' }, title));
    head.append(headRow);
    const body = htmlElement('tbody');
    const rows = scalings.map(({ id, name }) => {
      const row = htmlElement('tr', { 'data-scaling': id });
      const cells = measures.map(() => htmlElement('td'));
      row.append(htmlElement('th', { scope: 'row' }, name), ...cells);
      body.append(row);
      return { row, cells };
    });
    table.append(caption, head, body);
    element.append(table);
    return { element, caption, rows, held: new WithheldPlaceholder(this, 'summary') };
  }

  #buildPlot(measure) {
    const label = `${measure.label} against d_k, for each scaling`;
    const plot = new LinePlot({
      series: scalings, xLabel: 'd_k', yLabel: measure.label, yLog: measure.yLog, yDomain: measure.yDomain, label,
      references: measure.references(this.#view.keys),
    });
    const figure = htmlElement('figure', { 'data-measure': measure.id });
    figure.append(htmlElement('figcaption', {}, `The ${label}`), plot.svg, figureExportControls({
      getSvg: () => plot.svg, styles: linePlotStyles, fileName: `scaling-${measure.id}`, label: `the ${measure.label} plot`,
    }), tableDetails('Data table', `${measure.label} table`, plot.table));
    fitToWidth(plot.svg, plot);
    return { figure, plot, measure, held: new WithheldPlaceholder(this, measure.id) };
  }

  #showControls() {
    const { dimension, seed, rowChoice, samplesNote } = this.#parts;
    const { dk, samples, keys, row } = this.#view;
    dimension.value = dk;
    seed.value = String(this.#view.seed);
    rowChoice.value = row;
    samplesNote.textContent = `Each point: the variance of ${samples.toLocaleString('en')} independent q·k pairs; the softmax measures over rows of ${keys} keys sharing one query.`;
  }

  #showWithheld() {
    const { histogram, rowView, summary, plotParts } = this.#parts;
    histogram.held.hold(this.#withheld, histogram.figure);
    rowView.held.hold(this.#withheld, rowView.figure);
    summary.held.hold(this.#withheld, summary.element);
    for (const { held, figure } of plotParts) held.hold(this.#withheld, figure);
  }

  /**
   * Runs the sweep over every d_k and scaling in the core, one call at a time with a
   * pause between calls so the page stays responsive (the whole sweep takes a few
   * seconds). The d_k on show is measured first and its summary and row shown at once;
   * the plots follow when the sweep ends. A newer sweep (another seed) supersedes it.
   */
  async #measure(signature) {
    const { seed, samples, keys } = this.#view;
    this.#measuring = signature;
    delete this.dataset.ready;
    const results = Object.fromEntries(scalings.map(({ id }) => [id, {}]));
    const shownFirst = this.#view.dk;
    const jobs = [shownFirst, ...dimensions.filter((dk) => dk !== shownFirst)]
      .flatMap((dk) => scalings.map(({ id }) => ({ dk, scaling: id })));
    for (const [done, { dk, scaling }] of jobs.entries()) {
      this.#parts.progress.textContent = `Measuring in the attention core: ${done} of ${jobs.length} points…`;
      await new Promise((resolve) => { setTimeout(resolve, 0); });
      if (this.#measuring !== signature) return;
      results[scaling][dk] = this.#lab.scalingExperiment({ dk, samples, keys, seed, scaling });
      if (done === scalings.length - 1 && this.#view.dk === shownFirst) this.#showAtDk(results, shownFirst);
    }
    this.#parts.progress.textContent = '';
    this.#measuring = '';
    this.#results = results;
    this.#resultsFor = signature;
    this.#recompute();
    this.dataset.ready = '';
  }

  #recompute() {
    if (!this.#lab) return;
    const { dk, seed, samples, keys, row } = this.#view;
    const signature = `${seed}/${samples}/${keys}`;
    if (this.#resultsFor !== signature) {
      if (this.#measuring !== signature) this.#measure(signature);
      return;
    }
    const results = this.#results;
    Object.assign(this.dataset, { dk: String(dk), seed: String(seed), samples: String(samples), keys: String(keys), row });
    this.#showAtDk(results, dk);
    for (const { plot, measure } of this.#parts.plotParts) {
      plot.update(Object.fromEntries(scalings.map(({ id }) =>
        [id, dimensions.map((d) => [d, results[id][d][measure.core]])])), dk);
    }
    const peak = (id) => dimensions.reduce((best, d) => (results[id][d].meanGradientNorm > results[id][best].meanGradientNorm ? d : best));
    this.#quantities = {
      dk,
      ...Object.fromEntries(measures.map((measure) => [measure.id, Object.fromEntries(scalings.map(({ id }) =>
        [id, Object.fromEntries(dimensions.map((d) => [d, results[id][d][measure.core]]))]))])),
      gradientPeak: Object.fromEntries(scalings.map(({ id }) => [id, String(peak(id))])),
    };
  }

  /** Everything about one d_k: the summary table, the histogram and the row. */
  #showAtDk(results, dk) {
    const { atTitle, summary, rowView } = this.#parts;
    atTitle.textContent = `At d_k = ${dk}`;
    summary.caption.textContent = `Measured at d_k = ${dk}`;
    scalings.forEach(({ id }, index) => {
      const result = results[id][dk];
      const { row, cells } = summary.rows[index];
      measures.forEach((measure, at) => {
        row.dataset[measure.attribute] = String(result[measure.core]);
        cells[at].textContent = result[measure.core].toPrecision(4);
      });
    });
    const { row } = this.#view;
    const { logits, weights } = results[row][dk];
    const scalingName = scalings.find(({ id }) => id === row).name;
    const label = `One row at d_k = ${dk} (${scalingName}): ${logits.length} logits and their softmax`;
    rowView.caption.textContent = label;
    rowView.chart.update(logits, weights, label);
    this.#showHistogram(dk);
  }

  /** 2,048 logits from the core (32 queries × 64 keys of the core's seeded normals), unscaled and ÷√d_k. */
  #showHistogram(dk) {
    const { seed } = this.#view;
    const normals = this.#lab.randomNormal({ seed, count: (histogramQueries + histogramKeys) * dk });
    const q = normals.subarray(0, histogramQueries * dk);
    const k = normals.subarray(histogramQueries * dk);
    const logits = (scaling) => this.#lab.attention({
      q, k, v: new Float32Array(histogramKeys), nq: histogramQueries, nk: histogramKeys, dk, dv: 1, scaling, scores: true,
    }).scores;
    const root = Math.sqrt(dk);
    this.#parts.histogram.histogram.update({ none: logits('none'), sqrt: logits('sqrt') }, {
      marks: [{ x: -root, label: '' }, { x: root, label: `±√d_k = ±${Number(root.toFixed(2))}` }],
      description: `at d_k = ${dk}; the unscaled logits have standard deviation about √d_k = ${Number(root.toFixed(2))}, the scaled ones about 1`,
    });
  }
}

customElements.define('scaling-experiment', ScalingExperiment);
