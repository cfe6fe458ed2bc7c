/**
 * What the widgets that train models while the learner watches share (lessons 7 and 8):
 * the widget contract of lessons/README.md around a set of runs in the training worker
 * (training-runs.mjs) and their controls (training-controls.mjs).
 *
 * A subclass declares `static parameters`, `static evidence`, `static readers` (one per
 * parameter: text → value or null), `static defaults` and `static stateNames` (the
 * parameters kept in the URL), and implements:
 *   build()            → { element } the figures (the base adds the controls above them);
 *   runSpecs(view)     → [{ id, options }] the runs this view trains (createTrainer options);
 *   draw(runs, view)   to show the runs' metrics as they arrive;
 *   results(runs, view) → the quantities once every run is done;
 *   showWithheld(set)  to hide what exercises hold back.
 *
 * The runs are recreated whenever the view's runs change (another seed, another dropout);
 * they train at once unless `autostart` is false. `data-ready` is set while the shown
 * numbers are settled (paused or done), and removed while the models train, so exercises
 * re-check their answers when a run ends. The quantities are those of the finished runs:
 * retraining the same runs (Reset, Train again) leaves them as they were, since the same
 * seed gives the same curve.
 */
import { shadowResetCss } from '../runtime/shadow-reset.mjs';
import { colour } from '../runtime/theme-colours.mjs';
import { ParameterMessage, parameterMessageStyles, readParameters } from '../runtime/widget-parameters.mjs';
import { evidenceSet, withheldStyles } from '../runtime/withheld-evidence.mjs';
import { TrainingControls, trainingControlsStyles } from './training-controls.mjs';
import { TrainingRuns } from './training-runs.mjs';
import { htmlElement } from './html-element.mjs';
import { LinePlot, linePlotStyles } from '../figures/line-plot.mjs';
import { figureExportControls, figureExportStyles } from '../figures/figure-export.mjs';
import { fitToWidth } from '../figures/fit-width.mjs';

/** A whole number in [min, max] from text, or null. */
export function parseInteger(text, min, max) {
  if (text === null || text === undefined || !/^\d+$/.test(String(text).trim())) return null;
  const value = Number(text);
  return value >= min && value <= max ? value : null;
}

/** A number in [min, max] from text, or null. */
export function parseNumber(text, min, max) {
  const trimmed = String(text ?? '').trim();
  if (!/^\d*\.?\d+(e-?\d+)?$/i.test(trimmed)) return null;
  const value = Number(trimmed);
  return value >= min && value <= max ? value : null;
}

/** `true` / `false` from text, or null. */
export const parseBoolean = (text) => ({ true: true, false: false })[String(text).trim()] ?? null;

/** Styles every training widget shares: figures side by side, tables, the seed field. */
export const trainingWidgetStyles = `
  .setting-row { display: flex; flex-wrap: wrap; gap: 1rem 1.5rem; align-items: end; }
  .seed { display: flex; gap: 0.75rem; align-items: center; font-weight: 600; }
  .seed input { font: inherit; width: 7rem; min-height: 2.75rem; padding: 0.2rem 0.4rem; border-radius: 0.3rem;
    border: 1px solid ${colour('muted-text')}; color: ${colour('text')}; background: ${colour('background')}; }
  input:focus-visible, summary:focus-visible { outline: 3px solid ${colour('focus')}; outline-offset: 3px; }
  .panels { display: grid; gap: 1.25rem; align-items: start; grid-template-columns: repeat(auto-fit, minmax(min(100%, 20rem), 1fr)); }
  .panel { display: grid; gap: 0.75rem; min-width: 0; align-content: start; }
  .panel-title { font-size: 1.05rem; font-weight: 700; margin: 0; }
  figure { margin: 0; display: grid; gap: 0.5rem; min-width: 0; align-content: start; }
  figcaption { font-weight: 600; }
  .table-scroll { overflow-x: auto; max-width: 100%; }
  .table-scroll:focus-visible { outline: 3px solid ${colour('focus')}; outline-offset: 2px; }
  table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
  caption { text-align: left; font-weight: 600; padding-bottom: 0.4rem; }
  th, td { padding: 0.3rem 0.4rem; border-bottom: 1px solid ${colour('rule')}; text-align: right; }
  th:first-child { text-align: left; }
  thead th { border-bottom: 2px solid ${colour('axis')}; }
  details summary { display: list-item; cursor: pointer; min-height: 2.75rem; padding-top: 0.6rem; }
  .data-table caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .note { margin: 0; color: ${colour('muted-text')}; }
  .status { color: ${colour('error')}; }
`;

/** A box that scrolls sideways when a table is wider than a phone, reachable by keyboard. */
export function scrollingBox(label) {
  return htmlElement('div', { class: 'table-scroll', tabindex: '0', role: 'group', 'aria-label': label });
}

/** A data table behind a disclosure, under a figure. */
export function tableDetails(summaryText, label, table) {
  const details = htmlElement('details');
  details.append(htmlElement('summary', {}, summaryText));
  const box = scrollingBox(label);
  box.append(table);
  details.append(box);
  return details;
}

/** A seed field: a labelled number input that calls `onChange(seed)` with a valid seed. */
export function seedField(onChange) {
  const label = htmlElement('label', { class: 'seed', part: 'seed' }, 'Random seed');
  const input = htmlElement('input', { type: 'number', min: '0', step: '1', inputmode: 'numeric' });
  label.append(input);
  input.addEventListener('change', () => {
    const value = parseInteger(input.value, 0, 2 ** 31 - 1);
    if (value === null) input.dispatchEvent(new CustomEvent('invalid-seed'));
    else onChange(value);
  });
  return { element: label, input };
}

export class TrainingWidget extends HTMLElement {
  static readers = {};
  static defaults = {};
  static stateNames = [];
  static styles = '';

  #attributes = { values: {}, problems: [] };
  #withheld = new Set();
  #signature = '';
  #quantities = {};
  #pendingStart = false;
  #connected = false;
  #status = null;
  #stateBeforeConnected = null;
  view = {};

  constructor() {
    super();
    this.runs = new TrainingRuns(() => this.#changed());
  }

  connectedCallback() {
    if (this.#connected) return;
    this.#connected = true;
    if (this.shadowRoot) { // connected again after being removed: its runs were freed
      this.#setup();
      return;
    }
    const { readers } = this.constructor;
    this.#attributes = readParameters(this, readers);
    this.view = this.#viewFrom(this.#stateBeforeConnected ?? {});
    const root = this.attachShadow({ mode: 'open' });
    const style = htmlElement('style');
    style.textContent = shadowResetCss + trainingWidgetStyles + trainingControlsStyles + withheldStyles + parameterMessageStyles
      + linePlotStyles + figureExportStyles + this.constructor.styles;
    const message = new ParameterMessage();
    message.show(this.#attributes.problems);
    this.controls = new TrainingControls(this.runs, { label: this.constructor.trainedThing });
    const figures = this.build();
    this.#status = htmlElement('p', { class: 'status', role: 'alert' });
    this.#status.hidden = true;
    root.append(style, message.element, ...[figures.settings].filter(Boolean), this.controls.element, figures.element, this.#status);
    this.showView(this.view);
    this.showWithheld(this.#withheld);
    this.#setup();
  }

  disconnectedCallback() {
    // A widget moved within the page is connected again at once; one removed frees its runs.
    queueMicrotask(() => {
      if (!this.isConnected) {
        this.runs.dispose();
        this.#signature = '';
        this.#connected = false;
      }
    });
  }

  get state() {
    return Object.fromEntries(this.constructor.stateNames.map((name) => [name, String(this.view[name])]));
  }

  set state(state) {
    if (!this.shadowRoot) { // read with the attributes, once connected
      this.#stateBeforeConnected = { ...state };
      return;
    }
    this.view = this.#viewFrom(state);
    if (!this.#connected) return;
    this.showView(this.view);
    this.#setup();
  }

  get quantities() {
    return this.#quantities;
  }

  get withheld() {
    return new Set(this.#withheld);
  }

  set withheld(names) {
    this.#withheld = evidenceSet(this, names);
    if (this.#connected) this.showWithheld(this.#withheld);
  }

  /** Sets one value of the view from a control, and retrains if the runs change. */
  change(name, value) {
    this.view = { ...this.view, [name]: value };
    this.showView(this.view);
    this.#setup();
    this.dispatchEvent(new CustomEvent('statechange', { detail: { transient: false } }));
  }

  /** Subclasses: show the view's settings in their controls. */
  showView() {}

  #viewFrom(state) {
    const { readers, defaults, stateNames } = this.constructor;
    const attribute = this.#attributes.values;
    const view = {};
    for (const name of Object.keys(defaults)) {
      const fromState = stateNames.includes(name) && state[name] !== undefined ? readers[name](String(state[name])) : null;
      view[name] = fromState ?? attribute[name] ?? defaults[name];
    }
    return view;
  }

  /** Creates the runs of the current view, unless they exist already. */
  async #setup() {
    const specs = this.runSpecs(this.view);
    const signature = JSON.stringify([specs, this.view.steps]);
    if (signature === this.#signature) return;
    this.#signature = signature;
    this.#quantities = {};
    delete this.dataset.ready;
    // Not settled until the runs have started, when they are to start at once.
    this.#pendingStart = this.view.autostart;
    try {
      const current = await this.runs.setup(specs, this.view.steps);
      if (!current) return;
    } catch (error) {
      this.#fail(error);
      return;
    }
    if (this.view.autostart) this.runs.start();
    this.#changed();
  }

  #fail(error) {
    this.#status.textContent = `The training could not run: ${error.message}`;
    this.#status.hidden = false;
    console.error(error);
  }

  #changed() {
    const state = this.runs.state;
    if (state === 'running' || state === 'done') this.#pendingStart = false;
    this.controls.update();
    if (state === 'starting') return;
    this.draw(this.runs, this.view);
    if (state === 'done') this.#quantities = this.results(this.runs, this.view);
    const settled = (state === 'paused' || state === 'done') && !this.#pendingStart && !this.runs.error;
    this.dataset.trainingState = state;
    this.dataset.step = String(this.runs.step);
    if (settled && !this.hasAttribute('data-ready')) this.dataset.ready = '';
    else if (!settled && this.hasAttribute('data-ready')) delete this.dataset.ready;
  }
}

/**
 * A figure of curves over training steps: a LinePlot on a linear step axis from 0 to
 * `steps`, its export menu and data table. `series`: LinePlot series.
 */
export function curveFigure({ series, yLabel, label, fileName, yDomain = null, references = [] }) {
  const plot = new LinePlot({ series, xLabel: 'step', yLabel, xLog: false, yDomain, references, label });
  const figure = htmlElement('figure', { 'data-figure': fileName });
  figure.append(htmlElement('figcaption', {}, label), plot.svg,
    figureExportControls({ getSvg: () => plot.svg, styles: linePlotStyles, fileName, label: `the ${label.toLowerCase()} plot` }),
    tableDetails('Data table', `${label} table`, plot.table));
  fitToWidth(plot.svg, plot);
  return { figure, plot };
}

/** At most `count` rows of `metrics` (every few rows, the last one always), as [[step, value], …] per name. */
export function curvePoints(metrics, names, count = 61) {
  const rows = metrics.step?.length ?? 0;
  const stride = Math.max(1, Math.ceil(rows / count));
  const picked = [];
  for (let row = 0; row < rows; row += stride) picked.push(row);
  if (rows && picked.at(-1) !== rows - 1) picked.push(rows - 1);
  return Object.fromEntries(names.map(([id, name]) => [id, picked.map((row) => [metrics.step[row], metrics[name][row]])]));
}

/** The last recorded value of metric `name`. */
export const lastValue = (metrics, name) => metrics[name]?.at(-1);
