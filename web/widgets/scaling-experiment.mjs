/**
 * `<scaling-experiment>`: why attention divides q·k by sqrt(d_k), measured.
 *
 * For every key dimension d_k = 1, 2, 4, …, 1024 the attention core draws queries and
 * keys with N(0, 1) components (seeded) and reports, for three ways of scaling the
 * logits — none, 1/sqrt(d_k), L2-normalised keys — the variance of the logits, the
 * mean largest softmax weight and entropy of a row, and the mean size of the softmax
 * gradient. The widget plots all four against d_k (log axis), each plot with its data
 * table, and shows one row of logits and its softmax at the d_k the learner picks.
 *
 * Attributes: `dk` (a power of two, 1–1024), `seed`, `samples` (logits per point),
 * `keys` (logits per softmax row), `row` (the scaling of the row shown: none, sqrt,
 * l2). Each control is a CSS part named for its parameter (`dk`, `seed`, `row`), so an
 * embedding page can hide it. The learner's view is `state` ({ dk, seed, samples, row } as text), announced by
 * `statechange`; `quantities` publishes every measured number for exercises, e.g.
 * `variance.none.256`.
 *
 * For tests: `data-dk`, `data-seed`, `data-samples`, `data-keys`, `data-row` on the
 * element; `data-scaling` and full-precision `data-variance`, `data-max-weight`,
 * `data-entropy`, `data-gradient-norm` on each summary row; `data-logit`, `data-weight`
 * on each row-view entry; `data-value` on every plot table cell; `data-ready` while the
 * numbers shown are those of the current seed (it is removed during a new sweep).
 */
import { loadLab } from '../runtime/lab.mjs';
import { LinePlot, linePlotStyles } from '../figures/line-plot.mjs';
import { svgElement } from '../figures/vector-plane.mjs';
import { figureExportControls, figureExportStyles } from '../figures/figure-export.mjs';
import { htmlElement } from './html-element.mjs';

export const dimensions = Array.from({ length: 11 }, (_, power) => 2 ** power);

export const scalings = [
  { id: 'none', name: 'unscaled', colour: '#c2410c', dash: null },
  { id: 'sqrt', name: '÷√d_k', colour: '#0b57d0', dash: '8 5' },
  { id: 'l2', name: 'L2 keys', colour: '#15803d', dash: '2 4' },
];

/** The measured quantities, as the core names them and as the page labels them. */
const measures = [
  { id: 'variance', core: 'logitVariance', label: 'logit variance', short: 'variance', yLog: true, attribute: 'variance' },
  { id: 'maxWeight', core: 'meanMaxWeight', label: 'largest weight', short: 'max weight', yDomain: [0, 1], attribute: 'maxWeight' },
  { id: 'entropy', core: 'meanEntropy', label: 'entropy (nats)', short: 'entropy', attribute: 'entropy' },
  { id: 'gradientNorm', core: 'meanGradientNorm', label: 'softmax gradient', short: 'gradient', attribute: 'gradientNorm' },
];

const defaults = { dk: 64, seed: 1, samples: 20000, keys: 16, row: 'none' };

/** A whole number in [min, max] from text, or null. */
function parseInteger(text, min, max) {
  if (text === null || text === undefined || !/^\d+$/.test(String(text).trim())) return null;
  const value = Number(text);
  return value >= min && value <= max ? value : null;
}

/** A box that scrolls sideways when a table is wider than a phone, reachable by keyboard. */
function scrollingBox(label) {
  return htmlElement('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': label });
}

const rowWidth = 480;
const rowHeight = 220;

/** Styles of the one-row bar chart, shared by the page and the exported figure. */
const rowChartStyles = `
  .row-chart { width: 100%; max-width: 36rem; height: auto; display: block; }
  .row-chart .bar { fill: #0b57d0; }
  .row-chart text { font-size: 13px; fill: #1b1b1f; font-family: system-ui, sans-serif; }
  .row-chart .baseline { stroke: #4a4a55; }
`;

const styles = `
  :host { display: block; color: #1b1b1f; }
  .controls { display: grid; gap: 0.75rem 1.5rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 15rem), 1fr)); align-items: end; }
  .dimension { display: grid; grid-template-columns: auto minmax(0, 1fr) auto; gap: 0.75rem; align-items: center; }
  .dimension output { font-variant-numeric: tabular-nums; min-width: 5ch; text-align: right; font-weight: 600; }
  input[type=range] { width: 100%; margin: 0; accent-color: #0b57d0; min-height: 2.75rem; }
  .seed { display: flex; gap: 0.75rem; align-items: center; }
  .seed input { font: inherit; width: 7rem; min-height: 2.75rem; padding: 0.2rem 0.4rem; border: 1px solid #4a4a55; border-radius: 0.3rem; }
  fieldset { border: 1px solid #c9c9d3; border-radius: 0.4rem; margin: 0; padding: 0.3rem 0.75rem 0.5rem; }
  fieldset label { display: inline-flex; align-items: center; gap: 0.3rem; margin-right: 0.9rem; min-height: 2.75rem; }
  fieldset input { width: 1.2rem; height: 1.2rem; margin: 0; accent-color: #0b57d0; }
  input:focus-visible, summary:focus-visible { outline: 3px solid #0b57d0; outline-offset: 3px; }
  h3 { font-size: 1.05rem; margin: 1.5rem 0 0.5rem; }
  .table-scroll { overflow-x: auto; max-width: 100%; }
  table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
  caption { text-align: left; font-weight: 600; padding-bottom: 0.4rem; }
  .table-scroll:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
  th, td { padding: 0.3rem 0.4rem; border-bottom: 1px solid #e3e3ea; text-align: right; }
  th:first-child { text-align: left; }
  thead th { border-bottom: 2px solid #9a9aa8; }
  .plots { display: grid; gap: 1.25rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr)); }
  figure { margin: 0; display: grid; gap: 0.5rem; min-width: 0; }
  figcaption { font-weight: 600; }
  details summary { cursor: pointer; min-height: 2.75rem; display: flex; align-items: center; }
  .data-table caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .status { color: #8a1c1c; }
`;

/** The experiment, its controls, the plots and the one-row view. */
export class ScalingExperiment extends HTMLElement {
  /** Which attribute sets each parameter of `state` (so an embed can keep an attribute fixed). */
  static stateAttributes = Object.freeze({ dk: 'dk', seed: 'seed', samples: 'samples', row: 'row' });

  #lab = null;
  #view = { ...defaults };
  #results = null;
  #resultsFor = '';
  #measuring = '';
  #parts = null;
  #quantities = {};

  connectedCallback() {
    if (this.#parts) return;
    this.#applyState({});
    const root = this.attachShadow({ mode: 'open' });
    const style = htmlElement('style');
    style.textContent = styles + rowChartStyles + linePlotStyles + figureExportStyles;
    this.#parts = this.#build();
    root.append(style, this.#parts.element);
    this.#showControls();
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

  #applyState(state) {
    const pick = (name, read) => read(state[name]) ?? read(this.getAttribute(name)) ?? defaults[name];
    this.#view = {
      dk: pick('dk', (text) => {
        const value = parseInteger(text, 1, 1024);
        return dimensions.includes(value) ? value : null;
      }),
      seed: pick('seed', (text) => parseInteger(text, 0, 2 ** 31 - 1)),
      samples: pick('samples', (text) => parseInteger(text, 1000, 100000)),
      keys: parseInteger(this.getAttribute('keys'), 2, 64) ?? defaults.keys,
      row: pick('row', (text) => (scalings.some(({ id }) => id === text) ? text : null)),
    };
  }

  #announce(transient) {
    this.dispatchEvent(new CustomEvent('statechange', { detail: { transient } }));
  }

  #build() {
    const element = htmlElement('div');
    const controls = htmlElement('div', { class: 'controls' });

    const dimension = htmlElement('div', { class: 'dimension', part: 'dk' });
    const slider = htmlElement('input', { type: 'range', id: 'dk', min: '0', max: String(dimensions.length - 1), step: '1' });
    const sliderValue = htmlElement('output', { for: 'dk' });
    slider.addEventListener('input', () => {
      this.#view.dk = dimensions[Number(slider.value)];
      this.#showControls();
      this.#recompute();
      this.#announce(true);
    });
    slider.addEventListener('change', () => this.#announce(false));
    dimension.append(htmlElement('label', { for: 'dk' }, 'Key dimension d_k'), slider, sliderValue);

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

    const rowChoice = htmlElement('fieldset', { part: 'row' });
    rowChoice.append(htmlElement('legend', {}, 'Scaling of the row shown'));
    const rowRadios = scalings.map(({ id, name }) => {
      const label = htmlElement('label');
      const radio = htmlElement('input', { type: 'radio', name: 'row', value: id });
      radio.addEventListener('change', () => {
        this.#view.row = id;
        this.#recompute();
        this.#announce(false);
      });
      label.append(radio, name);
      rowChoice.append(label);
      return radio;
    });
    controls.append(dimension, seedLabel, rowChoice);

    const samplesNote = htmlElement('p', { class: 'samples' });
    const summary = this.#buildSummary();
    const rowView = this.#buildRowView();
    const plots = htmlElement('div', { class: 'plots' });
    const plotParts = measures.map((measure) => this.#buildPlot(measure));
    plots.append(...plotParts.map(({ figure }) => figure));
    const status = htmlElement('p', { class: 'status', role: 'alert' });
    status.hidden = true;
    const progress = htmlElement('p', { class: 'progress', role: 'status' });
    element.append(controls, samplesNote, progress, summary.element, rowView.element,
      htmlElement('h3', {}, 'Against d_k, from 1 to 1024'), plots, status);
    return { element, slider, sliderValue, seed, rowRadios, samplesNote, progress, summary, rowView, plotParts, status };
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
    return { element, caption, rows };
  }

  #buildRowView() {
    const element = htmlElement('section', { class: 'row-view' });
    const heading = htmlElement('h3');
    const svg = svgElement('svg', { viewBox: `0 0 ${rowWidth} ${rowHeight}`, role: 'img', class: 'row-chart' });
    const figure = htmlElement('figure');
    figure.append(svg, figureExportControls({
      getSvg: () => svg, styles: rowChartStyles, fileName: 'softmax-row', label: 'the softmax row chart',
    }));
    const details = htmlElement('details');
    details.append(htmlElement('summary', {}, 'The row as a table'));
    const tableScroll = scrollingBox('Row table');
    const table = htmlElement('table');
    const caption = htmlElement('caption', {}, 'Logits and softmax weights of one row');
    const head = htmlElement('thead');
    const headRow = htmlElement('tr');
    for (const title of ['key', 'logit', 'weight']) headRow.append(htmlElement('th', { scope: 'col' }, title));
    head.append(headRow);
    const body = htmlElement('tbody');
    table.append(caption, head, body);
    tableScroll.append(table);
    details.append(tableScroll);
    element.append(heading, figure, details);
    return { element, heading, svg, body };
  }

  #buildPlot(measure) {
    const label = `${measure.label} against d_k, for each scaling`;
    const plot = new LinePlot({
      series: scalings, xLabel: 'd_k', yLabel: measure.label, yLog: measure.yLog, yDomain: measure.yDomain, label,
    });
    const figure = htmlElement('figure', { 'data-measure': measure.id });
    const caption = htmlElement('figcaption', {}, `The ${label}`);
    const details = htmlElement('details');
    details.append(htmlElement('summary', {}, 'Data table'));
    const tableScroll = scrollingBox(`${measure.label} table`);
    tableScroll.append(plot.table);
    details.append(tableScroll);
    figure.append(caption, plot.svg, figureExportControls({
      getSvg: () => plot.svg, styles: linePlotStyles, fileName: `scaling-${measure.id}`, label: `the ${measure.label} plot`,
    }), details);
    return { figure, plot, measure };
  }

  #showControls() {
    const { slider, sliderValue, seed, rowRadios, samplesNote } = this.#parts;
    const { dk, samples, keys, row } = this.#view;
    slider.value = String(dimensions.indexOf(dk));
    slider.setAttribute('aria-valuetext', `d_k = ${dk}`);
    sliderValue.textContent = String(dk);
    seed.value = String(this.#view.seed);
    rowRadios.forEach((radio) => { radio.checked = radio.value === row; });
    samplesNote.textContent = `Each point: the variance of ${samples.toLocaleString('en')} independent q·k pairs; the softmax measures over rows of ${keys} keys sharing one query.`;
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
      if (done === scalings.length - 1 && this.#view.dk === shownFirst) {
        this.#showSummary(results, shownFirst);
        this.#showRow(results[this.#view.row][shownFirst], shownFirst, this.#view.row);
      }
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
    this.#showSummary(results, dk);
    this.#showRow(results[row][dk], dk, row);
    for (const { plot, measure } of this.#parts.plotParts) {
      plot.update(Object.fromEntries(scalings.map(({ id }) =>
        [id, dimensions.map((d) => [d, results[id][d][measure.core]])])), dk);
    }
    this.#quantities = {
      dk,
      ...Object.fromEntries(measures.map((measure) => [measure.id, Object.fromEntries(scalings.map(({ id }) =>
        [id, Object.fromEntries(dimensions.map((d) => [d, results[id][d][measure.core]]))]))])),
    };
  }

  #showSummary(results, dk) {
    const { caption, rows } = this.#parts.summary;
    caption.textContent = `Measured at d_k = ${dk}`;
    scalings.forEach(({ id }, index) => {
      const result = results[id][dk];
      const { row, cells } = rows[index];
      measures.forEach((measure, at) => {
        row.dataset[measure.attribute] = String(result[measure.core]);
        cells[at].textContent = result[measure.core].toPrecision(4);
      });
    });
  }

  #showRow({ logits, weights }, dk, row) {
    const { heading, svg, body } = this.#parts.rowView;
    const scalingName = scalings.find(({ id }) => id === row).name;
    heading.textContent = `One row at d_k = ${dk} (${scalingName}): ${logits.length} logits and their softmax`;
    svg.setAttribute('aria-label', `Bar chart of the softmax weights of one row of ${logits.length} logits at d_k = ${dk}, ${scalingName}; `
      + `the largest weight is ${Math.max(...weights).toFixed(3)}`);
    const left = 36;
    const bottom = rowHeight - 24;
    const barSpace = (rowWidth - left - 8) / weights.length;
    const bars = Array.from(weights, (weight, index) => {
      const barHeight = weight * (bottom - 16);
      return svgElement('rect', {
        class: 'bar', x: left + index * barSpace + 2, y: bottom - barHeight, width: barSpace - 4, height: barHeight,
      });
    });
    const labels = Array.from(weights, (_, index) => Object.assign(
      svgElement('text', { x: left + (index + 0.5) * barSpace, y: bottom + 16, 'text-anchor': 'middle' }),
      { textContent: String(index + 1) }));
    const axis = [0, 0.5, 1].map((value) => Object.assign(
      svgElement('text', { x: left - 6, y: bottom - value * (bottom - 16), 'text-anchor': 'end', 'dominant-baseline': 'middle' }),
      { textContent: String(value) }));
    svg.replaceChildren(svgElement('line', { class: 'baseline', x1: left, x2: rowWidth - 8, y1: bottom, y2: bottom }),
      ...bars, ...labels, ...axis);
    body.replaceChildren(...Array.from(logits, (logit, index) => {
      const tableRow = htmlElement('tr', { 'data-logit': String(logit), 'data-weight': String(weights[index]) });
      tableRow.append(htmlElement('th', { scope: 'row' }, String(index + 1)),
        htmlElement('td', {}, logit.toFixed(3)), htmlElement('td', {}, weights[index].toFixed(4)));
      return tableRow;
    }));
  }
}

customElements.define('scaling-experiment', ScalingExperiment);
