/**
 * `<context-readers>`: one sentence read by four kinds of reader — a stack of
 * convolutions, an RNN, local attention and global attention — and, for each, how
 * strongly every token can change the reader's output at a chosen position: the size of
 * the Jacobian d y_position / d x_j, computed exactly by the attention core
 * (`lab.influence`), with the tokens each reader can see at all (`lab.receptiveField`).
 * The learner picks the output and a token to watch (the subject of a long-distance
 * agreement, say), the layers, the kernel, the window and the RNN's memory, and sees the
 * convolution's view widen by kernel − 1 tokens per layer, local attention reach
 * layers × window, global attention reach everything in one layer and the RNN's
 * influence fade with distance. A plot shows the layers (RNN: steps) each reader needs
 * to connect two tokens d apart (`lab.pathLength`).
 *
 * The readers are random, untrained networks (weights and token vectors drawn from
 * `seed`): what they show is what each architecture can see, not what it has learned.
 *
 * The widget contract (lessons/README.md): `static parameters`, `state` in the URL,
 * `statechange`, `quantities`, `data-ready`, CSS parts (tokens, layers, kernel, window,
 * memory, seed, download) and `static evidence` (influence, reach, pathLength).
 *
 * For tests: `data-n`, `data-position`, `data-source`, `data-layers`, `data-kernel`,
 * `data-window`, `data-memory`, `data-seed` on the element; the strips' table cells carry
 * `data-reader` and full-precision `data-value`; each reach row `data-reader`,
 * `data-first`, `data-last`, `data-path`.
 */
import { loadLab } from '../runtime/lab.mjs';
import { colour } from '../runtime/theme-colours.mjs';
import { shadowResetCss } from '../runtime/shadow-reset.mjs';
import { ParameterMessage, parameterMessageStyles, readParameters } from '../runtime/widget-parameters.mjs';
import { WithheldPlaceholder, evidenceSet, withheldStyles } from '../runtime/withheld-evidence.mjs';
import { InfluenceStrips, influenceStripsStyles } from '../figures/influence-strips.mjs';
import { LinePlot, linePlotStyles } from '../figures/line-plot.mjs';
import { ChoiceButtons, choiceButtonsStyles } from '../figures/choice-buttons.mjs';
import { SteppedSlider, steppedSliderStyles } from '../figures/stepped-slider.mjs';
import { figureExportControls, figureExportStyles } from '../figures/figure-export.mjs';
import { fitToWidth } from '../figures/fit-width.mjs';
import { htmlElement } from './html-element.mjs';
import {
  contextReaders, defaultSentence, kernels, pathLengthTables, readerOptions, reachTables, farNearRatios, flattestReader,
} from './context-reader-math.mjs';

const maxWords = 40;
const defaults = { layers: 2, kernel: 3, window: 2, memory: 0.9, seed: 1 };

function parseInteger(text, min, max) {
  if (text === null || text === undefined || !/^\d+$/.test(String(text).trim())) return null;
  const value = Number(text);
  return value >= min && value <= max ? value : null;
}

function parseSentence(text) {
  const words = String(text).trim().split(/\s+/).filter(Boolean);
  return words.length >= 2 && words.length <= maxWords && words.every((word) => word.length <= 24) ? words : null;
}

const memoryOf = (text) => {
  const value = Number(String(text).trim());
  return /^\d*\.?\d+$/.test(String(text).trim()) && value >= 0.5 && value <= 1 ? Math.round(value * 20) / 20 : null;
};

const readers = {
  sentence: parseSentence,
  position: (text) => parseInteger(text, 0, maxWords - 1),
  source: (text) => parseInteger(text, 0, maxWords - 1),
  layers: (text) => parseInteger(text, 1, 16),
  kernel: (text) => (kernels.includes(parseInteger(text, 3, 15)) ? Number(text) : null),
  window: (text) => parseInteger(text, 1, 16),
  memory: memoryOf,
  seed: (text) => parseInteger(text, 0, 2 ** 31 - 1),
};

function tableDetails(summaryText, label, table) {
  const details = htmlElement('details');
  details.append(htmlElement('summary', {}, summaryText));
  const box = htmlElement('div', { class: 'table-scroll', tabindex: '0', role: 'group', 'aria-label': label });
  box.append(table);
  details.append(box);
  return details;
}

const styles = `
  .controls { display: grid; gap: 1rem 1.5rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 15rem), 1fr)); align-items: end; }
  .controls > .choice-buttons { grid-column: 1 / -1; }
  .token-choice, .seed { display: grid; gap: 0.25rem; font-weight: 600; }
  select, .seed input { font: inherit; min-height: 2.75rem; padding: 0.2rem 0.4rem; border-radius: 0.3rem; max-width: 100%;
    border: 1px solid ${colour('muted-text')}; color: ${colour('text')}; background: ${colour('background')}; }
  select:focus-visible, input:focus-visible, summary:focus-visible, .table-scroll:focus-visible { outline: 3px solid ${colour('focus')}; outline-offset: 2px; }
  .figure-title { font-size: 1.05rem; font-weight: 700; margin: 1.5rem 0 0.5rem; }
  figure { margin: 0; display: grid; gap: 0.5rem; min-width: 0; }
  figure[data-figure] > svg { max-width: 44rem; }
  figure[data-figure="path-length"] > svg { max-width: 32rem; }
  figcaption { font-weight: 600; }
  .table-scroll { overflow-x: auto; max-width: 100%; }
  table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
  th, td { padding: 0.3rem 0.4rem; border-bottom: 1px solid ${colour('rule')}; text-align: right; }
  th:first-child { text-align: left; }
  thead th { border-bottom: 2px solid ${colour('axis')}; }
  .reach caption { text-align: left; font-weight: 600; padding-bottom: 0.4rem; }
  .reach .swatch { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 0.15rem; margin-right: 0.4rem; vertical-align: -0.05rem; }
  .data-table caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  details summary { display: list-item; cursor: pointer; min-height: 2.75rem; padding-top: 0.6rem; }
  .note { color: ${colour('muted-text')}; margin: 0.5rem 0 0; }
  .status { color: ${colour('error')}; }
`;

export class ContextReaders extends HTMLElement {
  static parameters = Object.freeze({
    sentence: `words separated by spaces (2 to ${maxWords} words)`,
    position: 'a token number from 0 to the sentence\'s last (the output whose influences are shown)',
    source: 'a token number from 0 to the sentence\'s last (the token watched)',
    layers: 'a whole number from 1 to 16 (layers of convolution and of local attention)',
    kernel: 'an odd number from 3 to 15 (the convolution\'s width)',
    window: 'a whole number from 1 to 16 (local attention sees |i − j| ≤ window)',
    memory: 'a number from 0.5 to 1 in steps of 0.05 (the RNN\'s recurrent singular values)',
    seed: 'a whole number from 0 to 2147483647',
  });

  static evidence = Object.freeze({
    influence: 'the influence of every token for each reader',
    reach: 'the table of what each reader sees and the steps it needs',
    pathLength: 'the plot of the layers or steps needed against distance',
  });

  static stateAttributes = Object.freeze({
    position: 'position', source: 'source', layers: 'layers', kernel: 'kernel', window: 'window', memory: 'memory', seed: 'seed',
  });

  #lab = null;
  #attributes = { values: {}, problems: [] };
  #words = defaultSentence;
  #view = null;
  #parts = null;
  #quantities = {};
  #tables = null;
  #cache = new Map();
  #withheld = new Set();

  connectedCallback() {
    if (this.#parts) return;
    this.#attributes = readParameters(this, readers);
    this.#words = this.#attributes.values.sentence ?? defaultSentence;
    const problems = [...this.#attributes.problems];
    for (const name of ['position', 'source']) {
      if ((this.#attributes.values[name] ?? 0) >= this.#words.length) {
        problems.push({ name, value: this.getAttribute(name), accepts: `a token number from 0 to ${this.#words.length - 1}` });
        delete this.#attributes.values[name];
      }
    }
    this.#applyState({});
    const root = this.attachShadow({ mode: 'open' });
    const style = htmlElement('style');
    style.textContent = shadowResetCss + styles + influenceStripsStyles + linePlotStyles + choiceButtonsStyles
      + steppedSliderStyles + figureExportStyles + withheldStyles + parameterMessageStyles;
    const message = new ParameterMessage();
    message.show(problems);
    this.#parts = this.#build();
    root.append(style, message.element, this.#parts.element);
    this.#showControls();
    this.#showWithheld();
    loadLab()
      .then((lab) => {
        this.#lab = lab;
        this.#tables = { path: pathLengthTables(lab, this.#words.length), reach: reachTables(lab) };
        this.#recompute();
        this.dataset.ready = '';
      })
      .catch((error) => {
        this.#parts.status.textContent = `The attention core could not be loaded: ${error.message}`;
        this.#parts.status.hidden = false;
        console.error(error);
      });
  }

  get state() {
    const { position, source, layers, kernel, window, memory, seed } = this.#view;
    return {
      position: String(position), source: String(source), layers: String(layers), kernel: String(kernel),
      window: String(window), memory: String(memory), seed: String(seed),
    };
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

  get withheld() {
    return new Set(this.#withheld);
  }

  set withheld(names) {
    this.#withheld = evidenceSet(this, names);
    if (this.#parts) this.#showWithheld();
  }

  #applyState(state) {
    const attribute = this.#attributes.values;
    const last = this.#words.length - 1;
    const verb = this.#words.findIndex((word, index) => index > 1 && /^(is|are|was|were)$/i.test(word));
    const fallback = { ...defaults, position: verb > 0 ? verb : last, source: verb > 0 ? 1 : 0 };
    const pick = (name) => {
      const value = readers[name](String(state[name] ?? ''));
      const usable = (v) => v !== null && v !== undefined && (name !== 'position' && name !== 'source' ? true : v <= last);
      if (usable(value)) return value;
      return usable(attribute[name]) ? attribute[name] : fallback[name];
    };
    this.#view = Object.fromEntries(Object.keys(ContextReaders.stateAttributes).map((name) => [name, pick(name)]));
  }

  #announce(transient) {
    this.dispatchEvent(new CustomEvent('statechange', { detail: { transient } }));
  }

  /** Sets one value of the view from a control, recomputes and tells the page. */
  #set(name, value, transient = false) {
    this.#view[name] = value;
    this.#recompute();
    this.#announce(transient);
  }

  #build() {
    const element = htmlElement('div');
    const controls = htmlElement('div', { class: 'controls' });
    const tokenChoice = (name, labelText, part) => {
      const label = htmlElement('label', { class: 'token-choice', part }, labelText);
      const select = htmlElement('select', { 'data-control': name });
      this.#words.forEach((word, index) => select.append(htmlElement('option', { value: String(index) }, `${index} ${word}`)));
      select.addEventListener('change', () => this.#set(name, Number(select.value)));
      label.append(select);
      controls.append(label);
      return select;
    };
    const position = tokenChoice('position', 'Output at token', 'tokens');
    const source = tokenChoice('source', 'Watch token', 'tokens');
    const slider = (name, label, min, max, step, part, format = String) => {
      const control = new SteppedSlider({
        label, min, max, step, part, format,
        onInput: (value, { transient }) => this.#set(name, value, transient),
        onCommit: () => this.#announce(false),
      });
      controls.append(control.element);
      return control;
    };
    const layers = slider('layers', 'Layers (convolution, local attention)', 1, 16, 1, 'layers');
    const window = slider('window', 'Local attention window', 1, 16, 1, 'window', (value) => `±${value}`);
    const memory = slider('memory', 'RNN memory (singular values)', 0.5, 1, 0.05, 'memory', (value) => value.toFixed(2));
    const kernel = new ChoiceButtons({
      legend: 'Convolution kernel width', part: 'kernel', choices: kernels.map((value) => ({ value })),
      onChange: (value) => this.#set('kernel', Number(value)),
    });
    const seedLabel = htmlElement('label', { class: 'seed', part: 'seed' }, 'Random seed');
    const seed = htmlElement('input', { type: 'number', min: '0', step: '1', inputmode: 'numeric' });
    seed.addEventListener('change', () => {
      const value = parseInteger(seed.value, 0, 2 ** 31 - 1);
      if (value === null) seed.value = String(this.#view.seed);
      else this.#set('seed', value);
    });
    seedLabel.append(seed);
    controls.append(kernel.element, seedLabel);

    const reach = this.#buildReach();
    const strips = this.#buildStrips();
    const plot = this.#buildPlot();
    const status = htmlElement('p', { class: 'status', role: 'alert' });
    status.hidden = true;
    element.append(controls, htmlElement('p', { class: 'figure-title' }, 'What each reader sees'), reach.held.element, reach.element,
      strips.held.element, strips.figure, htmlElement('p', { class: 'figure-title' }, 'Steps needed to connect two tokens'),
      plot.held.element, plot.figure, status);
    return { element, position, source, layers, window, memory, kernel, seed, reach, strips, plot, status };
  }

  #buildReach() {
    const element = htmlElement('div', { class: 'table-scroll', tabindex: '0', role: 'group', 'aria-label': 'What each reader sees' });
    const table = htmlElement('table', { class: 'reach' });
    const caption = htmlElement('caption');
    const head = htmlElement('thead');
    const headRow = htmlElement('tr');
    for (const title of ['reader', 'sees tokens', 'to connect', 'watched token']) {
      headRow.append(htmlElement('th', { scope: 'col' }, title));
    }
    head.append(headRow);
    const body = htmlElement('tbody');
    const rows = contextReaders.map(({ id, name, colour: swatch }) => {
      const row = htmlElement('tr', { 'data-reader': id });
      const header = htmlElement('th', { scope: 'row' });
      const mark = htmlElement('span', { class: 'swatch', 'aria-hidden': 'true' });
      mark.style.background = swatch;
      header.append(mark, name);
      const cells = [htmlElement('td'), htmlElement('td'), htmlElement('td')];
      row.append(header, ...cells);
      body.append(row);
      return { row, cells };
    });
    table.append(caption, head, body);
    element.append(table);
    return { element, caption, rows, held: new WithheldPlaceholder(this, 'reach') };
  }

  #buildStrips() {
    const label = 'Influence of every token on the output, for each reader (bars scaled to each reader’s largest)';
    const strips = new InfluenceStrips({ readers: contextReaders, label });
    const figure = htmlElement('figure', { 'data-figure': 'influence' });
    const caption = htmlElement('figcaption');
    const note = htmlElement('p', { class: 'note' },
      'Bars are scaled to each reader’s largest influence; a cross marks a token the reader cannot see at all (influence exactly 0); the shaded band is its receptive field; the dashed box is the output, the highlighted column the watched token.');
    figure.append(caption, strips.svg, note, figureExportControls({
      getSvg: () => strips.svg, styles: influenceStripsStyles, fileName: 'influence', label: 'the influence strips',
    }), tableDetails('Data table', 'Influence table', strips.table));
    fitToWidth(strips.svg, strips);
    return { strips, figure, caption, held: new WithheldPlaceholder(this, 'influence') };
  }

  #buildPlot() {
    const label = 'Layers (RNN: steps) needed before a token d positions back can influence the output';
    const plot = new LinePlot({
      series: contextReaders.map(({ id, name, colour: seriesColour, symbol, dash }) => ({ id, name, colour: seriesColour, symbol, dash })),
      xLabel: 'distance d (tokens)', yLabel: 'layers or steps', xLog: false, label,
    });
    const figure = htmlElement('figure', { 'data-figure': 'path-length' });
    const caption = htmlElement('figcaption', {}, label);
    figure.append(caption, plot.svg, figureExportControls({
      getSvg: () => plot.svg, styles: linePlotStyles, fileName: 'path-length', label: 'the path length plot',
    }), tableDetails('Data table', 'Path length table', plot.table));
    fitToWidth(plot.svg, plot);
    return { plot, figure, caption, held: new WithheldPlaceholder(this, 'pathLength') };
  }

  #showControls() {
    const { position, source, layers, window, memory, kernel, seed } = this.#parts;
    position.value = String(this.#view.position);
    source.value = String(this.#view.source);
    layers.value = this.#view.layers;
    window.value = this.#view.window;
    memory.value = this.#view.memory;
    kernel.value = this.#view.kernel;
    seed.value = String(this.#view.seed);
  }

  #showWithheld() {
    const { reach, strips, plot } = this.#parts;
    reach.held.hold(this.#withheld, reach.element);
    strips.held.hold(this.#withheld, strips.figure);
    plot.held.hold(this.#withheld, plot.figure);
  }

  /** The core's influence for one reader; cached, so moving the kernel recomputes only the convolution. */
  #influence(options) {
    const key = JSON.stringify(options);
    if (!this.#cache.has(key)) {
      if (this.#cache.size > 64) this.#cache.clear();
      this.#cache.set(key, this.#lab.influence(options));
    }
    return this.#cache.get(key);
  }

  #recompute() {
    if (!this.#lab) return;
    const lab = this.#lab;
    const view = this.#view;
    const words = this.#words;
    const n = words.length;
    const values = {}, fields = {}, paths = {};
    const distance = view.position - view.source;
    for (const { id } of contextReaders) {
      const options = readerOptions(id, { ...view, n });
      values[id] = this.#influence(options);
      fields[id] = lab.receptiveField(options);
      paths[id] = lab.pathLength({ reader: id, distance, ...(id === 'conv' ? { kernel: view.kernel } : {}), ...(id === 'local' ? { window: view.window } : {}) });
    }
    Object.assign(this.dataset, {
      n: String(n), position: String(view.position), source: String(view.source), layers: String(view.layers),
      kernel: String(view.kernel), window: String(view.window), memory: String(view.memory), seed: String(view.seed),
    });
    this.#showReach(values, fields, paths);
    const { strips, caption } = this.#parts.strips;
    caption.textContent = `Influence on the output at “${words[view.position]}” (token ${view.position}); watched: “${words[view.source]}” (token ${view.source})`;
    strips.update({ words, values, fields, position: view.position, source: view.source });
    this.#showPlot(distance);
    this.#quantities = this.#publish(values, fields, paths);
  }

  #showReach(values, fields, paths) {
    const { caption, rows } = this.#parts.reach;
    const { position, source } = this.#view;
    caption.textContent = `Output at token ${position}, watched token ${source} (distance ${position - source}); to connect: layers (RNN: steps) before the watched token can reach the output; watched token: its influence as a share of the reader’s largest`;
    contextReaders.forEach(({ id }, index) => {
      const { row, cells } = rows[index];
      const { first, last } = fields[id];
      const path = paths[id];
      const largest = Math.max(...values[id]);
      const share = values[id][source] / largest;
      Object.assign(row.dataset, { first: String(first), last: String(last), path: String(path) });
      cells[0].textContent = `${first} to ${last}`;
      cells[1].textContent = Number.isFinite(path) ? `${path} ${id === 'rnn' ? 'steps' : path === 1 ? 'layer' : 'layers'}` : 'never';
      cells[2].textContent = share === 0 ? '0' : `${(100 * share).toPrecision(3)}%`;
    });
  }

  #showPlot(distance) {
    const { plot } = this.#parts.plot;
    const { kernel, window } = this.#view;
    const table = this.#tables.path;
    const distances = table.distances;
    const points = {
      conv: distances.map((d) => [d, table.conv[kernel][d]]),
      rnn: distances.map((d) => [d, table.rnn[d]]),
      local: distances.map((d) => [d, table.local[window][d]]),
      global: distances.map((d) => [d, table.global[d]]),
    };
    plot.update(points, Math.min(Math.max(1, Math.abs(distance)), distances.at(-1)));
    this.#parts.plot.caption.textContent = `Layers (RNN: steps) needed before a token d positions back can influence the output, with kernel ${kernel} and window ±${window}`;
  }

  #publish(values, fields, paths) {
    const words = this.#words;
    const { position, source } = this.#view;
    const byReader = (make) => Object.fromEntries(contextReaders.map(({ id }) => [id, make(id)]));
    return {
      words: [...words],
      n: words.length,
      position,
      source,
      influence: byReader((id) => Object.fromEntries([...values[id]].map((value, index) => [index, value]))),
      field: byReader((id) => ({ ...fields[id], width: fields[id].last - fields[id].first + 1 })),
      path: byReader((id) => paths[id]),
      farNear: farNearRatios(values, position),
      flattest: flattestReader(values, position),
      pathLength: this.#tables.path.quantities,
      fieldWidth: this.#tables.reach,
      shortestReader: this.#tables.path.shortest,
    };
  }
}

customElements.define('context-readers', ContextReaders);
