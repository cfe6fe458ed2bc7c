/**
 * `<word-order>`: toy translation pairs whose word order crosses, aligned two ways. The
 * attention alignment (rows = target words, columns = source words) is built from word
 * identities and computed by the core's attention; its peaks cross wherever the
 * languages order words differently. Beside it, the best monotonic (CTC-style)
 * alignment of the same weights (`lab.monotonicAlignment`), which may never go back: the
 * target words it gets wrong are marked and counted. The learner picks a pair, or builds
 * their own by reordering the target words — by dragging a word's handle, or with its
 * "earlier" and "later" buttons (keyboard and touch alike).
 *
 * The widget contract (lessons/README.md): `static parameters` (pair, order), `state` in
 * the URL, `statechange`, `quantities`, `data-ready`, CSS parts (pair, order, download),
 * `static evidence` (monotonic).
 *
 * For tests: `data-pair`, `data-order`, `data-misaligned` (the wrong target rows,
 * comma-separated), `data-path`, `data-total` on the element; heatmap cells carry
 * `data-value`.
 */
import { loadLab } from '../runtime/lab.mjs';
import { colour } from '../runtime/theme-colours.mjs';
import { shadowResetCss } from '../runtime/shadow-reset.mjs';
import { ParameterMessage, parameterMessageStyles, readParameters } from '../runtime/widget-parameters.mjs';
import { WithheldPlaceholder, evidenceSet, withheldStyles } from '../runtime/withheld-evidence.mjs';
import { Heatmap, heatmapStyles } from '../figures/heatmap.mjs';
import { AlignmentLinks, alignmentLinksStyles } from '../figures/alignment-links.mjs';
import { ChoiceButtons, choiceButtonsStyles } from '../figures/choice-buttons.mjs';
import { figureExportStyles } from '../figures/figure-export.mjs';
import { fitToWidth } from '../figures/fit-width.mjs';
import { htmlElement } from './html-element.mjs';
import { WordReorder, wordReorderStyles } from '../figures/word-reorder.mjs';
import { alignPair, countCrossings, pairIds, pairWithOrder, readOrder, reversedOrder, wordOrderPairs } from './word-order-pairs.mjs';

const yours = wordOrderPairs.find(({ id }) => id === 'yours');
const identity = yours.source.map((_, index) => index);

const readers = {
  pair: (text) => (pairIds.includes(text.trim()) ? text.trim() : null),
  order: (text) => readOrder(text, yours.source.length),
};

const styles = `
  .figures { display: grid; gap: 1.25rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 20rem), 1fr)); align-items: start; margin-top: 1rem; }
  figure.side { margin: 0; display: grid; gap: 0.5rem; min-width: 0; align-content: start; }
  figcaption { font-weight: 600; }
  .count { margin: 0; font-weight: 600; }
  .wrong-list { margin: 0; padding-left: 1.2rem; }
  .pair-text { margin: 0.75rem 0 0; }
  .status { color: ${colour('error')}; }
`;

export class WordOrder extends HTMLElement {
  static parameters = Object.freeze({
    pair: `one of ${pairIds.map((id) => `"${id}"`).join(', ')} (the pair shown first)`,
    order: `the learner's target order: the numbers 0 to ${yours.source.length - 1} in some order, separated by commas`,
  });

  static evidence = Object.freeze({
    monotonic: 'the best monotonic alignment and the words it gets wrong',
  });

  static stateAttributes = Object.freeze({ pair: 'pair', order: 'order' });

  #lab = null;
  #attributes = { values: {}, problems: [] };
  #view = { pair: 'adjective', order: [...identity] };
  #parts = null;
  #quantities = {};
  #fixed = {};
  #withheld = new Set();

  connectedCallback() {
    if (this.#parts) return;
    this.#attributes = readParameters(this, readers);
    this.#applyState({});
    const root = this.attachShadow({ mode: 'open' });
    const style = htmlElement('style');
    style.textContent = shadowResetCss + styles + heatmapStyles + alignmentLinksStyles + choiceButtonsStyles + wordReorderStyles
      + figureExportStyles + withheldStyles + parameterMessageStyles;
    const message = new ParameterMessage();
    message.show(this.#attributes.problems);
    this.#parts = this.#build();
    root.append(style, message.element, this.#parts.element);
    this.#showControls();
    this.#showWithheld();
    loadLab()
      .then((lab) => {
        this.#lab = lab;
        this.#fixed = Object.fromEntries(wordOrderPairs.filter(({ id }) => id !== 'yours')
          .map((pair) => [pair.id, alignPair(lab, pair).misaligned.length]));
        this.#fixed.reversed = alignPair(lab, pairWithOrder(yours, reversedOrder(yours.source.length))).misaligned.length;
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
    return { pair: this.#view.pair, order: this.#view.order.join(',') };
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
    this.#view = {
      pair: readers.pair(String(state.pair ?? '')) ?? attribute.pair ?? 'adjective',
      order: readers.order(String(state.order ?? '')) ?? attribute.order ?? [...identity],
    };
  }

  #build() {
    const element = htmlElement('div');
    const pair = new ChoiceButtons({
      legend: 'Translation pair', part: 'pair', choices: wordOrderPairs.map(({ id, name }) => ({ value: id, label: name })),
      onChange: (value) => {
        this.#view.pair = value;
        this.#showControls();
        this.#recompute();
        this.dispatchEvent(new CustomEvent('statechange', { detail: { transient: false } }));
      },
    });
    const reorder = new WordReorder({
      part: 'order',
      onChange: (order, { transient }) => {
        this.#view.order = order;
        this.#recompute();
        this.dispatchEvent(new CustomEvent('statechange', { detail: { transient } }));
      },
    });
    const pairText = htmlElement('p', { class: 'pair-text' });
    const attention = this.#buildAttention();
    const monotonic = this.#buildMonotonic();
    const figures = htmlElement('div', { class: 'figures' });
    figures.append(attention.figure, monotonic.held.element, monotonic.figure);
    const status = htmlElement('p', { class: 'status', role: 'alert' });
    status.hidden = true;
    element.append(pair.element, reorder.element, pairText, figures, status);
    return { element, pair, reorder, pairText, attention, monotonic, status };
  }

  #buildAttention() {
    const figure = htmlElement('figure', { class: 'side', 'data-figure': 'attention' });
    const links = new AlignmentLinks({ label: 'Attention’s alignment: each target word to the source word it weighs most' });
    const map = new Heatmap({
      label: 'Attention alignment weights', rowTitle: 'target word', columnTitle: 'source word', fileName: 'attention-alignment',
    });
    figure.append(htmlElement('figcaption', {}, 'Attention: free to look anywhere'), links.svg, map.element);
    fitToWidth(links.svg, links);
    return { figure, links, map };
  }

  #buildMonotonic() {
    const figure = htmlElement('figure', { class: 'side', 'data-figure': 'monotonic' });
    const links = new AlignmentLinks({ label: 'The best monotonic alignment: it never goes back' });
    const count = htmlElement('p', { class: 'count', role: 'status' });
    const wrongList = htmlElement('ul', { class: 'wrong-list' });
    const map = new Heatmap({
      label: 'Monotonic alignment', rowTitle: 'target word', columnTitle: 'source word', fileName: 'monotonic-alignment',
      direction: 'Each row is one target word; the coloured cell is the source word the monotonic path gives it, with the weight it scores there. Highlighted rows are the words it gets wrong.',
    });
    figure.append(htmlElement('figcaption', {}, 'Monotonic (CTC-style): never goes back'), count, wrongList, links.svg, map.element);
    fitToWidth(links.svg, links);
    return { figure, links, count, wrongList, map, held: new WithheldPlaceholder(this, 'monotonic') };
  }

  #showControls() {
    const { pair, reorder } = this.#parts;
    pair.value = this.#view.pair;
    reorder.element.hidden = this.#view.pair !== 'yours';
    reorder.show(yours.source, this.#view.order);
  }

  #showWithheld() {
    const { monotonic } = this.#parts;
    monotonic.held.hold(this.#withheld, monotonic.figure);
  }

  #recompute() {
    if (!this.#lab) return;
    const base = wordOrderPairs.find(({ id }) => id === this.#view.pair);
    const pair = pairWithOrder(base, this.#view.order);
    const aligned = alignPair(this.#lab, pair);
    const { weights, rows, cols, path, total, misaligned } = aligned;
    const wrong = [...misaligned];
    Object.assign(this.dataset, {
      pair: pair.id, order: this.#view.order.join(','), misaligned: wrong.join(','), path: [...path].join(','), total: String(total),
    });
    this.#parts.pairText.textContent = `${pair.source.join(' ')} → ${pair.target.join(' ')}`;
    const labels = { rowLabels: pair.target, colLabels: pair.source };
    const { attention, monotonic } = this.#parts;
    const peaks = Array.from({ length: rows }, (_, row) => {
      const slice = weights.subarray(row * cols, row * cols + cols);
      return slice.indexOf(Math.max(...slice));
    });
    const crossings = countCrossings(peaks);
    attention.links.update({
      source: pair.source, target: pair.target, links: peaks,
      description: `${crossings} pair${crossings === 1 ? '' : 's'} of lines cross`,
    });
    attention.map.update({ values: weights, rows, cols, ...labels, domain: [0, 1] });
    const taken = new Float32Array(rows * cols);
    path.forEach((column, row) => { taken[row * cols + column] = weights[row * cols + column]; });
    monotonic.map.update({ values: taken, rows, cols, ...labels, domain: [0, 1] });
    monotonic.map.highlight({ rows: wrong });
    monotonic.links.update({
      source: pair.source, target: pair.target, links: [...path], wrong,
      description: `no lines cross; ${wrong.length} of ${rows} target words are aligned wrongly`,
    });
    monotonic.count.textContent = `It gets ${wrong.length} of ${rows} target words wrong (total weight ${total.toFixed(3)} of a possible ${rowBestSum(weights, rows, cols).toFixed(3)}).`;
    monotonic.wrongList.replaceChildren(...wrong.map((row) => htmlElement('li', {},
      `“${pair.target[row]}” is given “${pair.source[path[row]]}” instead of “${pair.source[peaks[row]]}”`)));
    this.#quantities = {
      pair: pair.id,
      rows,
      crossings,
      misaligned: { ...this.#fixed, yours: this.#view.pair === 'yours' ? wrong.length : alignPair(this.#lab, pairWithOrder(yours, this.#view.order)).misaligned.length, shown: wrong.length },
      wrongWords: wrong.map((row) => pair.target[row]),
    };
  }
}

function rowBestSum(weights, rows, cols) {
  let sum = 0;
  for (let row = 0; row < rows; row++) sum += Math.max(...weights.subarray(row * cols, row * cols + cols));
  return sum;
}

customElements.define('word-order', WordOrder);
