/**
 * `<learned-alignment>`: the word-order alignment learned live from example pairs. Word
 * embeddings (learned-alignment-model.mjs) train by gradient descent through the core's
 * attention and attentionBackward on ten English → French adjective–noun pairs; the
 * loss curve and the alignment of a pair the model never saw are redrawn as it trains.
 * Training runs in the page's thread in short slices (a few milliseconds each), so the
 * page stays responsive; the numbers depend only on the seed and the step, not on how
 * the steps were sliced.
 *
 * The widget contract (lessons/README.md): `static parameters` (seed, steps), `state`
 * (seed) in the URL, `statechange`, `quantities` (step, loss, firstLoss, peaks,
 * crossings), `data-ready` (set while the shown numbers are settled: not while training),
 * CSS parts (seed, train, progress). No evidence to withhold.
 *
 * For tests: `data-training-state` ('untrained', 'running', 'paused', 'done') and
 * `data-step` on the element; heatmap cells and loss-table cells carry `data-value`.
 */
import { loadLab } from '../runtime/lab.mjs';
import { shadowResetCss } from '../runtime/shadow-reset.mjs';
import { colour } from '../runtime/theme-colours.mjs';
import { ParameterMessage, parameterMessageStyles, readParameters } from '../runtime/widget-parameters.mjs';
import { evidenceSet } from '../runtime/withheld-evidence.mjs';
import { Heatmap, heatmapStyles } from '../figures/heatmap.mjs';
import { AlignmentLinks, alignmentLinksStyles } from '../figures/alignment-links.mjs';
import { figureExportStyles } from '../figures/figure-export.mjs';
import { fitToWidth } from '../figures/fit-width.mjs';
import { linePlotStyles } from '../figures/line-plot.mjs';
import { htmlElement } from './html-element.mjs';
import { trainingControlsStyles } from './training-controls.mjs';
import { curveFigure, curvePoints, parseInteger, seedField, trainingWidgetStyles } from './training-widget.mjs';
import { countCrossings } from './word-order-pairs.mjs';
import { alignment, createModel, heldOutPair, rowPeaks, trainStep, trainingPairs } from './learned-alignment-model.mjs';

const readers = {
  seed: (text) => parseInteger(text, 0, 2 ** 31 - 1),
  steps: (text) => parseInteger(text, 10, 2000),
};
const defaults = { seed: 1, steps: 200 };

/** How long one slice of training may hold the page's thread, in milliseconds. */
const sliceBudget = 12;

const styles = `
  .pairs { margin: 0; padding-left: 1.2rem; columns: 2 12rem; }
  .figures { display: grid; gap: 1.25rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 20rem), 1fr)); align-items: start; margin-top: 1rem; }
  .numbers { margin: 0; font-variant-numeric: tabular-nums; }
  .training-buttons button[aria-disabled=true] { cursor: not-allowed; opacity: 0.6; }
`;

export class LearnedAlignment extends HTMLElement {
  static parameters = Object.freeze({
    seed: 'a whole number from 0 to 2147483647 (the first embeddings)',
    steps: 'a whole number from 10 to 2000 (the training steps)',
  });

  static evidence = Object.freeze({});
  static stateAttributes = Object.freeze({ seed: 'seed' });

  #lab = null;
  #model = null;
  #attributes = { values: {}, problems: [] };
  #view = { ...defaults };
  #parts = null;
  #running = false;
  #timer = 0;
  #quantities = {};
  #withheld = new Set();

  connectedCallback() {
    if (this.#parts) return;
    this.#attributes = readParameters(this, readers);
    this.#applyState({});
    const root = this.attachShadow({ mode: 'open' });
    const style = htmlElement('style');
    style.textContent = shadowResetCss + trainingWidgetStyles + trainingControlsStyles + heatmapStyles + alignmentLinksStyles
      + linePlotStyles + figureExportStyles + parameterMessageStyles + styles;
    const message = new ParameterMessage();
    message.show(this.#attributes.problems);
    this.#parts = this.#build();
    root.append(style, message.element, this.#parts.element);
    this.dataset.trainingState = 'untrained';
    loadLab()
      .then((lab) => {
        this.#lab = lab;
        this.#reset();
      })
      .catch((error) => {
        this.#parts.status.textContent = `The attention core could not be loaded: ${error.message}`;
        this.#parts.status.hidden = false;
        console.error(error);
      });
  }

  disconnectedCallback() {
    if (!this.#running) return;
    this.#pause();
    this.#show('paused');
  }

  get state() {
    return { seed: String(this.#view.seed) };
  }

  set state(state) {
    const before = this.#view.seed;
    this.#applyState(state);
    if (this.#parts && this.#view.seed !== before) this.#reset();
  }

  get quantities() {
    return this.#quantities;
  }

  get withheld() {
    return new Set(this.#withheld);
  }

  set withheld(names) {
    this.#withheld = evidenceSet(this, names);
  }

  #applyState(state) {
    const attribute = this.#attributes.values;
    this.#view = {
      seed: readers.seed(String(state.seed ?? '')) ?? attribute.seed ?? defaults.seed,
      steps: attribute.steps ?? defaults.steps,
    };
  }

  #build() {
    const element = htmlElement('div');
    const examples = htmlElement('details');
    examples.append(htmlElement('summary', {}, `The ${trainingPairs.length} example pairs it learns from`));
    const list = htmlElement('ul', { class: 'pairs' });
    list.append(...trainingPairs.map(({ source, target }) => htmlElement('li', {}, `${source.join(' ')} → ${target.join(' ')}`)));
    examples.append(list);

    const settings = htmlElement('div', { class: 'setting-row' });
    const seed = seedField((value) => {
      this.#view = { ...this.#view, seed: value };
      this.#reset();
      this.dispatchEvent(new CustomEvent('statechange', { detail: { transient: false } }));
    });
    seed.input.addEventListener('invalid-seed', () => { seed.input.value = String(this.#view.seed); });
    settings.append(seed.element);

    const controls = htmlElement('div', { class: 'training-controls' });
    const buttons = htmlElement('div', { class: 'training-buttons', part: 'train', role: 'group', 'aria-label': 'Training of the word vectors' });
    const toggle = htmlElement('button', { type: 'button', class: 'toggle' }, 'Train');
    const reset = htmlElement('button', { type: 'button', class: 'reset' }, 'Reset');
    toggle.addEventListener('click', () => this.#toggle());
    reset.addEventListener('click', () => this.#reset());
    buttons.append(toggle, reset);
    const progress = htmlElement('p', { class: 'training-progress', part: 'progress' });
    const announcer = htmlElement('p', { class: 'visually-hidden', 'aria-live': 'polite' });
    controls.append(buttons, progress, announcer);

    const curve = curveFigure({
      series: [{ id: 'loss', name: 'training loss', colour: colour('series-1'), symbol: 'none', width: 2.5 }],
      yLabel: 'cross-entropy (nats)', label: 'Training loss over the steps', fileName: 'alignment-loss',
      references: [{ label: 'chance: ln 3', y: () => Math.log(3) }],
    });
    const held = htmlElement('figure', { 'data-figure': 'held-out' });
    const links = new AlignmentLinks({ label: 'The learned alignment of the held-out pair: each target word to the source word it weighs most' });
    const map = new Heatmap({
      label: 'Learned alignment weights on the held-out pair', rowTitle: 'target word', columnTitle: 'source word',
      fileName: 'learned-alignment',
    });
    const numbers = htmlElement('p', { class: 'numbers', role: 'status' });
    held.append(htmlElement('figcaption', {}, `A pair it never saw: ${heldOutPair.source.join(' ')} → ${heldOutPair.target.join(' ')}`),
      numbers, links.svg, map.element);
    fitToWidth(links.svg, links);
    const figures = htmlElement('div', { class: 'figures' });
    figures.append(held, curve.figure);
    const status = htmlElement('p', { class: 'status', role: 'alert' });
    status.hidden = true;
    element.append(examples, settings, controls, figures, status);
    return { element, seed, toggle, reset, progress, announcer, curve, links, map, numbers, status };
  }

  #toggle() {
    if (!this.#model) return;
    if (this.#running) {
      this.#pause();
      this.#show('paused');
      return;
    }
    if (this.#model.step >= this.#view.steps) this.#reset();
    this.#running = true;
    this.#show('running');
    this.#timer = setTimeout(() => this.#slice(), 0);
  }

  #pause() {
    this.#running = false;
    clearTimeout(this.#timer);
  }

  #reset() {
    this.#pause();
    if (!this.#lab) return;
    this.#model = createModel(this.#lab, { seed: this.#view.seed });
    this.#show('untrained');
  }

  #slice() {
    if (!this.#running) return;
    const started = performance.now();
    try {
      while (this.#model.step < this.#view.steps && performance.now() - started < sliceBudget) trainStep(this.#lab, this.#model);
    } catch (error) {
      this.#pause();
      this.#parts.status.textContent = `The training stopped: ${error.message}`;
      this.#parts.status.hidden = false;
      console.error(error);
      return;
    }
    const done = this.#model.step >= this.#view.steps;
    if (done) this.#running = false;
    this.#show(done ? 'done' : 'running');
    if (!done) this.#timer = setTimeout(() => this.#slice(), 0);
  }

  /** Draws the model as it is now, in training state `state`. */
  #show(state) {
    const model = this.#model;
    const { seed, toggle, progress, announcer, curve, links, map, numbers } = this.#parts;
    seed.input.value = String(this.#view.seed);
    const label = { running: 'Pause', done: 'Train again' }[state] ?? (model.step > 0 ? 'Resume' : 'Train');
    toggle.textContent = label;
    toggle.dataset.action = label.toLowerCase().replace(' ', '-');
    const stateName = { untrained: 'Not trained yet', running: 'Training', paused: 'Paused', done: 'Done' }[state];
    progress.textContent = `${stateName}: step ${model.step} of ${this.#view.steps}`;
    if (state !== this.dataset.trainingState) announcer.textContent = state === 'untrained' ? '' : `${stateName} at step ${model.step}`;

    const shown = alignment(this.#lab, model, heldOutPair);
    const peaks = rowPeaks(shown);
    const crossings = countCrossings(peaks);
    const { source, target, translates } = heldOutPair;
    map.update({ values: shown.weights, rows: shown.rows, cols: shown.cols, rowLabels: target, colLabels: source, domain: [0, 1] });
    const wrong = peaks.map((column, row) => (column === translates[row] ? -1 : row)).filter((row) => row >= 0);
    links.update({
      source, target, links: peaks, wrong,
      description: `${crossings} pair${crossings === 1 ? '' : 's'} of lines cross; ${wrong.length} of ${target.length} target words peak on the wrong source word`,
    });
    const loss = model.losses.at(-1);
    numbers.textContent = `Step ${model.step}: ${peaks.map((column, row) => `${target[row]} → ${source[column]}`).join(', ')}`
      + ` (${target.length - wrong.length} of ${target.length} right, ${crossings} crossing${crossings === 1 ? '' : 's'})`
      + (loss === undefined ? '.' : `; training loss ${loss.toFixed(4)}.`);
    if (model.losses.length) {
      const metrics = { step: model.losses.map((_, index) => index), loss: model.losses };
      curve.plot.xDomain = [0, this.#view.steps];
      curve.plot.update(curvePoints(metrics, [['loss', 'loss']]), model.step - 1);
    } else {
      curve.plot.svg.replaceChildren();
      curve.plot.tableHead.replaceChildren();
      curve.plot.tableBody.replaceChildren();
    }
    this.#quantities = {
      step: model.step, loss: loss ?? null, firstLoss: model.losses[0] ?? null,
      peaks: peaks.map((column) => source[column]), crossings,
    };
    this.dataset.trainingState = state;
    this.dataset.step = String(model.step);
    if (state === 'running') delete this.dataset.ready;
    else this.dataset.ready = '';
  }
}

customElements.define('learned-alignment', LearnedAlignment);
