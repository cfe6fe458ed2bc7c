/**
 * `<pointer-chase>`: stacked attention layers follow pointers, one hop per layer.
 *
 * A row of tokens A, B, C, … each points at one token (an arrow). The attention core
 * (`lab.pointerChase`) gives each token a code (one-hot, or a random unit vector of
 * length dim < n), and runs L layers: the keys are the codes times the sharpness, the
 * values the codes of the tokens pointed at, and each layer's output is the next layer's
 * query, so the chase started at s stands, after layer l, at the token whose code is
 * nearest that output. The widget shows each layer's attention (a heatmap), the path of
 * one start through the layers, where every start lands against its true k-hop target
 * and the accuracy; and, averaged over many random rows (`lab.pointerChaseAccuracy`),
 * plots of the accuracy against hops (at the sharpness s and s/2) and against n/dim.
 * The learner redirects arrows (press a token, then its new target), picks k, L, the
 * sharpness, the code length and the start.
 *
 * The widget contract (lessons/README.md, "Writing a widget"): `static parameters`
 * (pointers, hops, layers, sharpness, dim, seed, start, sections), `state` in the URL,
 * `statechange`, `quantities`, `data-ready`, CSS parts (row, shuffle, hops, layers,
 * sharpness, dim, start, download) and `static evidence` (heatmaps, path, landings, hops,
 * crowding) with `withheld`.
 *
 * For tests: `data-pointers` (letters), `data-hops`, `data-layers`, `data-sharpness`,
 * `data-dim` ('one-hot' or a number), `data-seed`, `data-start` on the element; the
 * core's computation runs for all six layers (layer l's numbers do not depend on later
 * layers) and the first L are shown.
 */
import { loadLab } from '../runtime/lab.mjs';
import { colour } from '../runtime/theme-colours.mjs';
import { shadowResetCss } from '../runtime/shadow-reset.mjs';
import { ParameterMessage, parameterMessageStyles, readParameters } from '../runtime/widget-parameters.mjs';
import { WithheldPlaceholder, evidenceSet, withheldStyles } from '../runtime/withheld-evidence.mjs';
import { ChoiceButtons, choiceButtonsStyles } from '../figures/choice-buttons.mjs';
import { Heatmap, heatmapStyles } from '../figures/heatmap.mjs';
import { figureExportStyles } from '../figures/figure-export.mjs';
import { PointerRow, pointerRowStyles } from '../figures/pointer-row.mjs';
import { ChaseLandings, ChasePath, chasePathStyles, pathOf } from './chase-path.mjs';
import { ChasePlots, chasePlotStyles, maxHops, measurePlots } from './chase-plots.mjs';
import { htmlElement } from './html-element.mjs';

export const sharpnessChoices = [0.5, 1, 2, 4, 8, 16, 32, 64, 128];
const sectionNames = ['heatmaps', 'path', 'landings', 'plots'];
const maxTokens = 12;
const defaults = { pointers: [2, 4, 5, 1, 0, 3], hops: 2, layers: 2, sharpness: 128, dim: 0, seed: 1, start: 0, sections: sectionNames };

const letter = (index) => String.fromCharCode(65 + index);
const lettersOf = (pointers) => pointers.map(letter).join('');

function parseInteger(text, min, max) {
  const trimmed = String(text ?? '').trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value >= min && value <= max ? value : null;
}

/** "C E F B A D" or "CEFBAD" → [2, 4, 5, 1, 0, 3]; null unless every letter names one of the tokens. */
function readPointers(text) {
  const letters = String(text ?? '').toUpperCase().replace(/[\s,]/g, '');
  if (letters.length < 2 || letters.length > maxTokens || !/^[A-Z]+$/.test(letters)) return null;
  const pointers = [...letters].map((char) => char.charCodeAt(0) - 65);
  return pointers.every((target) => target < pointers.length) ? pointers : null;
}

const readers = {
  pointers: readPointers,
  hops: (text) => parseInteger(text, 1, maxHops),
  layers: (text) => parseInteger(text, 1, maxHops),
  sharpness: (text) => (sharpnessChoices.includes(Number(String(text).trim())) && String(text).trim() !== '' ? Number(text) : null),
  dim: (text) => (String(text).trim() === 'one-hot' ? 0 : parseInteger(text, 1, maxTokens - 1)),
  seed: (text) => parseInteger(text, 0, 2 ** 31 - 1),
  start: (text) => (/^[A-La-l]$/.test(String(text).trim()) ? String(text).trim().toUpperCase().charCodeAt(0) - 65 : null),
  sections: (text) => {
    const names = String(text).split(',').map((name) => name.trim()).filter(Boolean);
    if (names.length === 1 && names[0] === 'all') return sectionNames;
    return names.length && names.every((name) => sectionNames.includes(name)) ? names : null;
  },
};

const styles = `
  .controls { display: grid; gap: 1rem 1.5rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 15rem), 1fr)); align-items: start; margin-top: 1rem; }
  .row-tools { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; }
  .row-tools button { font: inherit; min-height: 2.75rem; padding: 0.3rem 0.9rem; border-radius: 0.4rem; cursor: pointer;
    border: 1px solid ${colour('muted-text')}; color: ${colour('text')}; background: ${colour('background')}; }
  .row-tools button:focus-visible, summary:focus-visible, .table-scroll:focus-visible { outline: 3px solid ${colour('focus')}; outline-offset: 2px; }
  .row-note { margin: 0; color: ${colour('muted-text')}; }
  .figure-title { font-size: 1.05rem; font-weight: 700; margin: 1.5rem 0 0.5rem; }
  .heatmaps { display: grid; gap: 1.25rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 16rem), 1fr)); align-items: start; }
  .layer-map { display: grid; gap: 0.25rem; min-width: 0; }
  .layer-title { margin: 0; font-weight: 700; }
  .plots { display: grid; gap: 1.25rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr)); align-items: start; }
  figure { margin: 0; display: grid; gap: 0.5rem; min-width: 0; align-content: start; }
  figcaption { font-weight: 600; }
  .plot-note { margin: 0; color: ${colour('muted-text')}; font-size: 0.95rem; }
  .table-scroll { overflow-x: auto; max-width: 100%; }
  table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
  caption { text-align: left; font-weight: 600; padding-bottom: 0.4rem; }
  th, td { padding: 0.3rem 0.5rem; border-bottom: 1px solid ${colour('rule')}; text-align: left; }
  thead th, tr:first-child th { border-bottom: 2px solid ${colour('axis')}; }
  details summary { display: list-item; cursor: pointer; min-height: 2.75rem; padding-top: 0.6rem; }
  .data-table caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .status { color: ${colour('error')}; }
`;

export class PointerChase extends HTMLElement {
  static parameters = Object.freeze({
    pointers: 'one letter per token, the token it points at (2 to 12 tokens, named A, B, C, …; e.g. "C E F B A D")',
    hops: 'a whole number from 1 to 6 (the hops k the question asks for)',
    layers: 'a whole number from 1 to 6 (the layers L stacked)',
    sharpness: `one of ${sharpnessChoices.join(', ')}`,
    dim: '"one-hot" or a whole number from 1 to 11, below the number of tokens (the code length)',
    seed: 'a whole number from 0 to 2147483647 (draws the codes and the random rows)',
    start: 'the letter of a token (the start whose path is shown)',
    sections: '"all" or a list of heatmaps, path, landings, plots',
  });

  static evidence = Object.freeze({
    heatmaps: "each layer's attention heatmap",
    path: 'the path of the chosen start through the layers',
    landings: 'where every start lands, and the accuracy',
    hops: 'the plot of accuracy against hops',
    crowding: 'the plot of accuracy against n/dim',
  });

  static stateAttributes = Object.freeze({
    pointers: 'pointers', hops: 'hops', layers: 'layers', sharpness: 'sharpness', dim: 'dim', start: 'start',
  });

  #lab = null;
  #attributes = { values: {}, problems: [] };
  #view = { ...defaults };
  #parts = null;
  #quantities = {};
  #withheld = new Set();
  #plotsFor = '';
  #measured = null;
  #rowView = null;
  #draws = 0;

  connectedCallback() {
    if (this.#parts) return;
    this.#attributes = readParameters(this, readers);
    this.#applyState({});
    const root = this.attachShadow({ mode: 'open' });
    const style = htmlElement('style');
    style.textContent = shadowResetCss + styles + pointerRowStyles + choiceButtonsStyles + heatmapStyles + figureExportStyles
      + chasePathStyles + chasePlotStyles + withheldStyles + parameterMessageStyles;
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
    const { pointers, hops, layers, sharpness, dim, start } = this.#view;
    return {
      pointers: lettersOf(pointers), hops: String(hops), layers: String(layers), sharpness: String(sharpness),
      dim: dim ? String(dim) : 'one-hot', start: letter(start),
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
    const pick = (name) => readers[name](String(state[name] ?? '')) ?? attribute[name] ?? defaults[name];
    const pointers = pick('pointers');
    const n = pointers.length;
    const dim = pick('dim');
    const start = pick('start');
    this.#view = {
      pointers, hops: pick('hops'), layers: pick('layers'), sharpness: pick('sharpness'),
      dim: dim < n ? dim : 0, seed: attribute.seed ?? defaults.seed, start: start < n ? start : 0,
      sections: attribute.sections ?? defaults.sections,
    };
  }

  #announce() {
    this.dispatchEvent(new CustomEvent('statechange', { detail: { transient: false } }));
  }

  #change(changes) {
    Object.assign(this.#view, changes);
    this.#showControls();
    this.#recompute();
    this.#announce();
  }

  #build() {
    const element = htmlElement('div');
    const row = new PointerRow({
      label: 'Tokens and their pointers: press a token, then the token it should point at', part: 'row',
      onRedirect: (from, to) => {
        const pointers = [...this.#view.pointers];
        pointers[from] = to;
        this.#change({ pointers });
      },
    });
    const tools = htmlElement('div', { class: 'row-tools' });
    const shuffle = htmlElement('button', { type: 'button', part: 'shuffle' }, 'Draw random arrows');
    shuffle.addEventListener('click', () => {
      if (!this.#lab) return;
      this.#draws += 1;
      this.#change({ pointers: [...this.#lab.randomPointers({ n: this.#view.pointers.length, seed: this.#draws })] });
    });
    const pathNote = htmlElement('span');
    const note = htmlElement('p', { class: 'row-note' }, 'To move an arrow, press its token, then the token it should point at. ');
    note.append(pathNote);
    tools.append(shuffle, note);
    const controls = htmlElement('div', { class: 'controls' });
    const numbers = Array.from({ length: maxHops }, (_, index) => ({ value: index + 1 }));
    const hops = new ChoiceButtons({ legend: 'Hops k the question asks for', part: 'hops', choices: numbers, onChange: (value) => this.#change({ hops: Number(value) }) });
    const layers = new ChoiceButtons({ legend: 'Layers L stacked', part: 'layers', choices: numbers, onChange: (value) => this.#change({ layers: Number(value) }) });
    const sharpness = new ChoiceButtons({
      legend: 'Sharpness (multiplies the keys)', part: 'sharpness', choices: sharpnessChoices.map((value) => ({ value })),
      onChange: (value) => this.#change({ sharpness: Number(value) }),
    });
    const dimSlot = htmlElement('div', { part: 'dim' });
    const startSlot = htmlElement('div', { part: 'start' });
    controls.append(hops.element, layers.element, sharpness.element, dimSlot, startSlot);

    const heatmapsBox = htmlElement('div', { 'data-view': 'heatmaps' });
    const heatmapGrid = htmlElement('div', { class: 'heatmaps' });
    heatmapsBox.append(htmlElement('p', { class: 'figure-title' }, 'Each layer’s attention'), heatmapGrid);
    const maps = Array.from({ length: maxHops }, (_, layer) => {
      const box = htmlElement('div', { class: 'layer-map', 'data-layer': String(layer + 1) });
      const map = new Heatmap({
        label: `Layer ${layer + 1} attention`, rowTitle: 'start', columnTitle: 'key', format: (w) => w.toFixed(2),
        fileName: `pointer-chase-layer-${layer + 1}`,
        direction: `Row s: where the chase started at s looks in layer ${layer + 1}. The key it picks is where the chase stands before this hop.`,
      });
      box.append(htmlElement('p', { class: 'layer-title' }, `Layer ${layer + 1}`), map.element);
      heatmapGrid.append(box);
      return { box, map };
    });
    const path = new ChasePath();
    const landings = new ChaseLandings();
    const plots = new ChasePlots();
    const plotsBox = htmlElement('div', { class: 'plots', 'data-view': 'plots' });
    const held = {
      heatmaps: new WithheldPlaceholder(this, 'heatmaps'), path: new WithheldPlaceholder(this, 'path'),
      landings: new WithheldPlaceholder(this, 'landings'), hops: new WithheldPlaceholder(this, 'hops'),
      crowding: new WithheldPlaceholder(this, 'crowding'),
    };
    plotsBox.append(held.hops.element, plots.hops.figure, held.crowding.element, plots.crowding.figure);
    const status = htmlElement('p', { class: 'status', role: 'alert' });
    status.hidden = true;
    const shown = (name) => this.#view.sections.includes(name);
    heatmapsBox.hidden = !shown('heatmaps');
    plotsBox.hidden = !shown('plots');
    element.append(row.element, tools, controls,
      ...(shown('path') ? [held.path.element, path.element] : []),
      ...(shown('landings') ? [held.landings.element, landings.element] : []),
      ...(shown('heatmaps') ? [held.heatmaps.element, heatmapsBox] : []),
      ...(shown('plots') ? [plotsBox] : []), status);
    return { element, row, pathNote, hops, layers, sharpness, dimSlot, startSlot, dimChoice: null, startChoice: null, dimFor: 0, maps, heatmapsBox, path, landings, plots, plotsBox, held, status };
  }

  /** The code-length and start buttons depend on the number of tokens: rebuilt when it changes. */
  #rebuildTokenChoices(n) {
    const parts = this.#parts;
    if (parts.dimFor === n) return;
    parts.dimFor = n;
    parts.dimChoice = new ChoiceButtons({
      legend: 'Code length dim', part: 'dim-choice',
      choices: [{ value: 'one-hot', label: `one-hot (${n})` }, ...Array.from({ length: n - 1 }, (_, index) => ({ value: n - 1 - index }))],
      onChange: (value) => this.#change({ dim: value === 'one-hot' ? 0 : Number(value) }),
    });
    parts.startChoice = new ChoiceButtons({
      legend: 'Start followed', part: 'start-choice',
      choices: Array.from({ length: n }, (_, index) => ({ value: letter(index) })),
      onChange: (value) => this.#change({ start: value.charCodeAt(0) - 65 }),
    });
    parts.dimSlot.replaceChildren(parts.dimChoice.element);
    parts.startSlot.replaceChildren(parts.startChoice.element);
  }

  #showControls() {
    const { hops, layers, sharpness, dim, start, pointers } = this.#view;
    this.#rebuildTokenChoices(pointers.length);
    this.#parts.hops.value = hops;
    this.#parts.layers.value = layers;
    this.#parts.sharpness.value = sharpness;
    this.#parts.dimChoice.value = dim ? dim : 'one-hot';
    this.#parts.startChoice.value = letter(start);
  }

  /** The row of arrows; the start's true path is highlighted unless the path is held back (it would give the answer away). */
  #showRow() {
    if (!this.#rowView) return;
    const { labels, pointers, start, truePath } = this.#rowView;
    const { row, pathNote } = this.#parts;
    const held = this.#withheld.has('path');
    row.update({ labels, pointers, start, path: held ? [start] : truePath });
    pathNote.textContent = held ? `The start ${labels[start]} has a thick border.`
      : `The start ${labels[start]} has a thick border; the thick arrows are its true ${truePath.length - 1}-hop path.`;
  }

  #showWithheld() {
    this.#showRow();
    const { held, path, landings, heatmapsBox, plots } = this.#parts;
    held.path.hold(this.#withheld, path.element);
    held.landings.hold(this.#withheld, landings.element);
    held.heatmaps.hold(this.#withheld, heatmapsBox);
    held.hops.hold(this.#withheld, plots.hops.figure);
    held.crowding.hold(this.#withheld, plots.crowding.figure);
  }

  /** The core's chase over all six layers for the current row, sharpness and codes. */
  #runChase() {
    const { pointers, sharpness, dim, seed } = this.#view;
    const options = { pointers, layers: maxHops, hops: maxHops, sharpness, seed };
    if (dim) options.dim = dim;
    return this.#lab.pointerChase(options);
  }

  #recompute() {
    if (!this.#lab) return;
    const view = this.#view;
    const { pointers, hops, layers, sharpness, dim, seed, start } = view;
    const n = pointers.length;
    const labels = pointers.map((_, index) => letter(index));
    const result = this.#runChase();
    const chase = { labels, n, layers, hops, positions: result.positions, targets: result.targets, weights: result.weights };
    Object.assign(this.dataset, {
      pointers: lettersOf(pointers), hops: String(hops), layers: String(layers), sharpness: String(sharpness),
      dim: dim ? String(dim) : 'one-hot', seed: String(seed), start: letter(start),
    });
    const truePath = [start];
    for (let step = 1; step <= hops; step++) truePath.push(result.targets[(step - 1) * n + start]);
    this.#rowView = { labels, pointers, start, truePath };
    this.#showRow();
    this.#parts.path.update(chase, start);
    const { correct, accuracy } = this.#parts.landings.update(chase);
    this.#parts.maps.forEach(({ box, map }, layer) => {
      box.hidden = layer >= layers;
      if (layer >= layers) return;
      map.update({ values: result.weights.subarray(layer * n * n, (layer + 1) * n * n), rows: n, cols: n, rowLabels: labels, colLabels: labels, domain: [0, 1] });
      map.highlight({ rows: [start] });
    });
    const byLayer = (array) => Object.fromEntries(Array.from({ length: maxHops }, (_, layer) => [String(layer + 1),
      Object.fromEntries(labels.map((label, s) => [label, labels[array[layer * n + s]]]))]));
    if (view.sections.includes('plots')) this.#showPlots(labels);
    this.#quantities = {
      tokens: labels, start: letter(start), hops, layers, sharpness, correct, accuracy,
      landing: labels[pathOf(chase, start)[layers - 1]], target: labels[result.targets[(hops - 1) * n + start]],
      after: byLayer(result.positions), targets: byLayer(result.targets),
      ...this.#plotQuantities(),
    };
    this.dataset.ready = '';
  }

  /** The averaged plots, measured again only when n, sharpness, codes or seed change. */
  #showPlots(labels) {
    const { pointers, sharpness, dim, seed, hops } = this.#view;
    const n = pointers.length;
    const signature = `${n}/${sharpness}/${dim}/${seed}`;
    if (this.#plotsFor !== signature) {
      this.#measured = measurePlots(this.#lab, { n, sharpness, dim: dim || n, seed });
      this.#plotsFor = signature;
    }
    this.#parts.plots.update(this.#measured, { hops, labels });
  }

  #plotQuantities() {
    const measured = this.#measured;
    if (!measured) return {};
    const perHop = (accuracy) => Object.fromEntries([...accuracy].map((value, index) => [String(index + 1), value]));
    return {
      halfSharpness: measured.sharpness / 2,
      hopAccuracy: { chosen: perHop(measured.chosen.accuracy), half: perHop(measured.half.accuracy) },
      crowding: Object.fromEntries(measured.crowding.map((point) => [String(point.dim), perHop(point.accuracy)])),
    };
  }
}

customElements.define('pointer-chase', PointerChase);
