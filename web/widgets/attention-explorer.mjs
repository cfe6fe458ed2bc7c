/**
 * `<attention-explorer>`: attention as a lookup in a small library.
 *
 * Each book has a title whose meaning is a 2-D key vector (drawn as an arrow) and
 * contents that are a colour (its value, an RGB triple). The learner moves a query
 * point on the plane by dragging it (mouse, pen, finger) or with the arrow keys, sets a
 * temperature, and switches between a soft lookup (softmax weights) and a hard one (all
 * weight on the largest q·k). On every change the widget asks the attention core for
 * the dot products q·k, the logits q·k / T, the weights and the output — the weights'
 * blend of the colours — and shows them: weights as bars and arrow thickness, the blend
 * as a bar of contributions α_j v_j, one book's chain of numbers (lookup-chain.mjs) and
 * every number in a table. The hard lookup is a true argmax of the core's q·k; a tie
 * goes to the book listed first.
 *
 * The widget contract (lessons/README.md, "Writing a widget"): `static parameters`
 * (books, query, temperature, hard, follow), `state` in the URL, `statechange`,
 * `quantities` (titles, topBook, maxWeight, weights.<title>, dots.<title>, queryLength),
 * `data-ready`, CSS parts (temperature, hard, follow, books, download), and
 * `static evidence` (scores, weights) with `withheld`.
 *
 * For tests: `data-qx`, `data-qy`, `data-temperature`, `data-hard` and `data-keys` (the
 * books as JSON) on the element; `data-key-index`, `data-dot`, `data-score` (the logit;
 * q·k in the hard lookup) and `data-weight` on each table row; `data-output` (RGB as
 * JSON); `data-ready` once the first result is shown.
 */
import { loadLab } from '../runtime/lab.mjs';
import { colour } from '../runtime/theme-colours.mjs';
import { shadowResetCss } from '../runtime/shadow-reset.mjs';
import { ParameterMessage, parameterMessageStyles, readParameters } from '../runtime/widget-parameters.mjs';
import { WithheldPlaceholder, evidenceSet, withheldStyles } from '../runtime/withheld-evidence.mjs';
import { VectorPlane, vectorPlaneStyles } from '../figures/vector-plane.mjs';
import { SteppedSlider, steppedSliderStyles } from '../figures/stepped-slider.mjs';
import { StackedBar, stackedBarStyles } from '../figures/stacked-bar.mjs';
import { figureExportControls, figureExportStyles } from '../figures/figure-export.mjs';
import { defaultShelfText, formatShelf, keyExtent, parseShelf } from './book-shelf.mjs';
import { BookEditor, bookEditorStyles } from './book-editor.mjs';
import { LookupChain, lookupChainStyles } from './lookup-chain.mjs';
import { LibraryTable, libraryTableStyles } from './library-table.mjs';
import { htmlElement } from './html-element.mjs';

const defaults = { query: [1, 1], temperature: 1 };
const minTemperature = 0.1;
const maxTemperature = 4;
const temperatureStep = 0.05;

const roundCoordinate = (value) => Math.round(value * 1000) / 1000;
const percent = (fraction) => `${Math.round(100 * fraction)}%`;
const cssColour = (rgb) => `rgb(${rgb.map((channel) => Math.round(255 * Math.min(1, Math.max(0, channel)))).join(', ')})`;

/** The hard lookup: the index of the largest q·k; a tie goes to the book listed first. */
export function argmax(dots) {
  let best = 0;
  for (let index = 1; index < dots.length; index += 1) if (dots[index] > dots[best]) best = index;
  return best;
}

/** "x,y" → a point; `strict`: null unless both lie on the plane (else clamped onto it). */
function readQuery(text, strict) {
  const parts = String(text ?? '').split(',').map((part) => (part.trim() === '' ? NaN : Number(part)));
  if (parts.length !== 2 || !parts.every(Number.isFinite)) return null;
  if (strict && !parts.every((coordinate) => Math.abs(coordinate) <= keyExtent)) return null;
  return parts.map((coordinate) => roundCoordinate(Math.min(keyExtent, Math.max(-keyExtent, coordinate))));
}

function readTemperature(text, strict) {
  const value = String(text ?? '').trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value) || (strict && (value < minTemperature || value > maxTemperature))) return null;
  return Math.min(maxTemperature, Math.max(minTemperature, value));
}

function readShelf(text) {
  try {
    return parseShelf(text);
  } catch {
    return null;
  }
}

const readers = {
  books: readShelf,
  query: (text) => readQuery(text, true),
  temperature: (text) => readTemperature(text, true),
  hard: (text) => (text.trim() === 'true' ? true : text.trim() === 'false' ? false : null),
  follow: (text) => text.trim(),
};

const styles = `
  figure { margin: 0; display: grid; gap: 1rem 1.5rem; align-items: start;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 20rem), 1fr)); }
  .drawing { display: grid; gap: 0.5rem; min-width: 0; }
  .readout { position: sticky; top: 0; z-index: 1; margin: 0; padding: 0.35rem 0.5rem; border-radius: 0.4rem;
    font-variant-numeric: tabular-nums; background: ${colour('background')}; border: 1px solid ${colour('rule')}; }
  .panel { display: grid; gap: 1rem; min-width: 0; }
  .hint { margin: 0; }
  .lookup { display: flex; gap: 0.6rem; align-items: center; min-height: 2.75rem; }
  .lookup input { width: 1.4rem; height: 1.4rem; margin: 0; flex: none; accent-color: ${colour('accent')}; }
  input:focus-visible, select:focus-visible { outline: 3px solid ${colour('focus')}; outline-offset: 3px; }
  .blend { display: grid; gap: 0.4rem; }
  .blend p { margin: 0; }
  .output { display: flex; gap: 0.75rem; align-items: center; }
  .output-swatch { flex: none; width: 2.75rem; height: 2.75rem; border-radius: 0.4rem; border: 1px solid ${colour('text')}; }
  .status { margin: 0; color: ${colour('error')}; }
  .book-editor, .chain { margin-top: 1.25rem; }
`;

/** The interactive figure: the library plane, the lookup controls, the weights table, the chain, the blend and the book editor. */
export class AttentionExplorer extends HTMLElement {
  static parameters = Object.freeze({
    books: `a shelf of 1 to 10 books with different titles, separated by ";", each written title:x,y:#rrggbb (x and y from -${keyExtent} to ${keyExtent})`,
    query: `a point x,y with x and y from -${keyExtent} to ${keyExtent}`,
    temperature: `a number from ${minTemperature} to ${maxTemperature}`,
    hard: '"true" (the hard lookup, an argmax) or "false"',
    follow: 'the title of the book whose chain of numbers is shown (empty: the top book)',
  });

  static evidence = Object.freeze({
    scores: 'the dot products q·k',
    weights: 'the weights, their bars and the blend',
  });

  /** Which attribute sets each parameter of `state` (so an embed can keep an attribute fixed). */
  static stateAttributes = Object.freeze({ q: 'query', T: 'temperature', hard: 'hard', books: 'books', follow: 'follow' });

  #lab = null;
  #attributes = { values: {}, problems: [] };
  #books = parseShelf(defaultShelfText);
  #query = defaults.query;
  #temperature = defaults.temperature;
  #hard = false;
  #follow = '';
  #withheld = new Set();
  #plane = null;
  #keyShafts = [];
  #parts = null;
  #editor = null;
  #chain = null;
  #quantities = {};
  #lookup = null;

  connectedCallback() {
    if (this.#plane) return;
    this.#attributes = readParameters(this, readers);
    this.#applyState({});
    const root = this.attachShadow({ mode: 'open' });
    const style = htmlElement('style');
    style.textContent = shadowResetCss + vectorPlaneStyles + styles + libraryTableStyles + bookEditorStyles + figureExportStyles + steppedSliderStyles
      + stackedBarStyles + lookupChainStyles + withheldStyles + parameterMessageStyles;
    const message = new ParameterMessage();
    message.show(this.#attributes.problems);
    const figure = htmlElement('figure');
    this.#plane = this.#buildPlane();
    this.#parts = this.#buildPanel();
    this.#chain = new LookupChain({
      onFollow: (title) => {
        this.#follow = title;
        this.#recompute();
        this.#announce(false);
      },
    });
    this.#editor = new BookEditor({
      onAdd: (book) => this.#changeShelf([...this.#books, book]),
      onRemove: (index) => this.#changeShelf(this.#books.filter((_, at) => at !== index)),
    });
    const drawing = htmlElement('div', { class: 'drawing' });
    drawing.append(this.#parts.readout, this.#plane.svg, figureExportControls({
      getSvg: () => this.#plane.svg, styles: vectorPlaneStyles, fileName: 'attention-library', label: 'the library figure',
    }));
    figure.append(drawing, this.#parts.element);
    root.append(style, message.element, figure, this.#chain.element, this.#editor.element);
    this.#showShelf();
    requestAnimationFrame(() => this.#plane.refreshLayout());
    loadLab()
      .then((lab) => {
        this.#lab = lab;
        this.#recompute();
        this.dataset.ready = '';
      })
      .catch((error) => {
        this.#parts.status.textContent = `The attention core could not be loaded: ${error.message}`;
        this.#parts.status.hidden = false;
        console.error(error);
      });
  }

  /** The learner's view as text: query, temperature, soft or hard, the books, and the book followed (when one is). */
  get state() {
    const state = { q: this.#query.join(','), T: String(this.#temperature), hard: this.#hard ? '1' : '0', books: formatShelf(this.#books) };
    if (this.#follow) state.follow = this.#follow;
    return state;
  }

  /** Restores a view; a missing or unreadable parameter falls back to the attribute, then the default. */
  set state(state) {
    this.#applyState(state);
    if (!this.#plane) return;
    this.#showShelf();
    this.#recompute();
  }

  /** What exercises may ask about the current view. */
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
    this.#query = readQuery(state.q, false) ?? attribute.query ?? defaults.query;
    this.#temperature = readTemperature(state.T, false) ?? attribute.temperature ?? defaults.temperature;
    this.#hard = state.hard === '1' || state.hard === '0' ? state.hard === '1' : attribute.hard ?? false;
    this.#books = (state.books && readShelf(state.books)) ?? attribute.books ?? parseShelf(defaultShelfText);
    this.#follow = typeof state.follow === 'string' ? state.follow : attribute.follow ?? '';
  }

  #announce(transient) {
    this.dispatchEvent(new CustomEvent('statechange', { detail: { transient } }));
  }

  #buildPlane() {
    const plane = new VectorPlane({ label: 'The library: each book title is a key arrow; the dot is the query' });
    plane.addMovablePoint({
      label: 'query',
      ariaLabel: 'Query point. Arrow keys move it; hold Shift for bigger steps',
      onMove: (position, { transient }) => this.#moveQuery(position, transient),
      onRelease: () => this.#announce(false),
    });
    return plane;
  }

  #buildPanel() {
    const element = htmlElement('div', { class: 'panel' });
    const hint = htmlElement('p', { class: 'hint' },
      'Drag the query, or focus it and use the arrow keys. Each score is q·k divided by the temperature; '
      + 'the softmax turns scores into weights, and the output blends the colours by those weights.');
    const readout = htmlElement('p', { class: 'readout', 'aria-hidden': 'true' });
    const temperature = new SteppedSlider({
      label: 'Temperature', min: minTemperature, max: maxTemperature, step: temperatureStep, id: 'temperature', part: 'temperature',
      format: (value) => value.toFixed(2),
      onInput: (value, { transient }) => {
        this.#temperature = value;
        this.#recompute();
        this.#announce(transient);
      },
      onCommit: () => this.#announce(false),
    });
    const lookup = htmlElement('label', { class: 'lookup', part: 'hard' });
    const hardSwitch = htmlElement('input', { type: 'checkbox', role: 'switch', id: 'hard' });
    hardSwitch.addEventListener('change', () => {
      this.#hard = hardSwitch.checked;
      this.#recompute();
      this.#announce(false);
    });
    lookup.append(hardSwitch, 'Hard lookup: all weight on the largest q·k (argmax; a tie goes to the book listed first)');

    const held = new WithheldPlaceholder(this, ['scores', 'weights']);
    const table = new LibraryTable();

    const blend = htmlElement('div', { class: 'blend' });
    const bar = new StackedBar({ label: 'How much of each book’s colour goes into the output' });
    const outputSwatch = htmlElement('span', { class: 'output-swatch', 'aria-hidden': 'true' });
    const outputText = htmlElement('span', {}, 'Waiting for the attention core…');
    const outputLine = htmlElement('p', { class: 'output' });
    outputLine.append(outputSwatch, outputText);
    blend.append(htmlElement('p', {}, 'The output, Σ α_j v_j: each book’s colour in proportion to its weight.'), bar.element, outputLine);

    const status = htmlElement('p', { class: 'status', role: 'alert' });
    status.hidden = true;
    element.append(hint, temperature.element, lookup, held.element, table.element, blend, status);
    return { element, readout, temperature, hardSwitch, table, outputSwatch, outputText, bar, blend, status, held };
  }

  /** Redraws everything that depends on the books and the controls (not on the core's numbers). */
  #showShelf() {
    this.#lookup = null;
    this.#plane.clearArrows();
    this.#keyShafts = this.#books.map((book) => this.#plane.addArrow({ to: book.key, colour: book.colour, label: book.title }));
    this.#parts.table.showBooks(this.#books);
    this.#editor.show(this.#books);
    this.#plane.placePoint(this.#query);
    this.#parts.temperature.value = this.#temperature;
    this.#parts.temperature.disabled = this.#hard;
    this.#parts.hardSwitch.checked = this.#hard;
    this.dataset.keys = JSON.stringify(this.#books.map(({ title, key, value }) => ({ title, key, value })));
    this.#showWithheld();
  }

  /** Hides what is held back (one placeholder says what, above the table), and shows the rest. */
  #showWithheld() {
    const scores = this.#withheld.has('scores');
    const weights = this.#withheld.has('weights');
    const { held, table, blend } = this.#parts;
    held.show(this.#withheld);
    table.hold({ scores, weights });
    blend.hidden = weights;
    this.#chain?.hold(scores || weights);
    if (this.#lookup) this.#showChain(!scores && !weights);
    this.#keyShafts.forEach((shaft, index) => {
      const weight = this.#lookup?.weights[index] ?? 0;
      shaft.setAttribute('stroke-width', String(weights ? 3 : 2 + 6 * weight));
    });
    this.#showReadout();
  }

  /** The chain of the followed book (the top one by default, named in the menu unless that would give an answer away). */
  #showChain(revealing) {
    const followed = this.#books.findIndex((book) => book.title === this.#follow);
    const top = argmax(this.#lookup.weights);
    this.#chain.showBooks(this.#books, followed >= 0 ? this.#follow : '', revealing ? this.#books[top].title : '');
    this.#chain.update(followed >= 0 ? followed : top, this.#lookup);
  }

  #changeShelf(books) {
    this.#books = books;
    if (this.#follow && !books.some((book) => book.title === this.#follow)) this.#follow = '';
    this.#showShelf();
    this.#recompute();
    this.#announce(false);
  }

  #moveQuery(position, transient) {
    this.#query = position.map(roundCoordinate);
    this.#plane.placePoint(this.#query);
    this.#recompute();
    this.#announce(transient);
  }

  /** One call to the core: the library's keys and values, the query, and a temperature. */
  #attend(temperature) {
    return this.#lab.attention({
      q: Float32Array.from(this.#query),
      k: Float32Array.from(this.#books.flatMap((book) => book.key)),
      v: Float32Array.from(this.#books.flatMap((book) => book.value)),
      nq: 1,
      nk: this.#books.length,
      dk: 2,
      dv: 3,
      scaling: 'none',
      temperature,
      scores: true,
    });
  }

  /**
   * Asks the core for the dot products (temperature 1) and, for the soft lookup, the
   * logits, weights and output at the temperature; the hard lookup puts all weight on
   * the argmax of the core's dot products. Then shows them.
   */
  #recompute() {
    if (!this.#lab) return;
    const { scores: dots } = this.#attend(1);
    let lookup;
    if (this.#hard) {
      const winner = argmax(dots);
      const weights = Float32Array.from(this.#books, (_, index) => (index === winner ? 1 : 0));
      lookup = { dots, scores: dots, weights, output: Float32Array.from(this.#books[winner].value), winner };
    } else {
      const { scores, weights, output } = this.#attend(this.#temperature);
      lookup = { dots, scores, weights, output, winner: argmax(dots) };
    }
    this.#lookup = { ...lookup, books: this.#books, query: this.#query, temperature: this.#temperature, hard: this.#hard };
    this.dataset.qx = String(this.#query[0]);
    this.dataset.qy = String(this.#query[1]);
    this.dataset.temperature = String(this.#temperature);
    this.dataset.hard = String(this.#hard);
    this.#parts.temperature.value = this.#temperature;
    this.#parts.temperature.disabled = this.#hard;
    this.#show();
  }

  #showReadout() {
    const [x, y] = this.#query;
    const parts = [`q = (${x.toFixed(2)}, ${y.toFixed(2)}), |q| = ${Math.hypot(x, y).toFixed(2)}`,
      this.#hard ? 'hard lookup' : `T = ${this.#temperature.toFixed(2)}`];
    if (this.#lookup && !this.#withheld.has('weights')) {
      const { weights } = this.#lookup;
      const top = argmax(weights);
      parts.push(`top: ${this.#books[top].title} ${percent(weights[top])}`);
    }
    this.#parts.readout.textContent = parts.join(' · ');
  }

  #show() {
    const { dots, scores, weights, output } = this.#lookup;
    const { table, outputSwatch, outputText, bar } = this.#parts;
    table.update({ dots, scores, weights });
    this.dataset.output = JSON.stringify(Array.from(output));
    const blendColour = cssColour(Array.from(output));
    outputSwatch.style.background = blendColour;
    bar.update(this.#books.map((book, index) => ({ name: book.title, fraction: weights[index], colour: book.colour })));
    const ranked = this.#books.map((book, index) => ({ title: book.title, weight: weights[index] })).sort((a, b) => b.weight - a.weight);
    const [first, second] = ranked;
    outputText.textContent = second && second.weight > 0
      ? `Output: the colour ${blendColour}, a blend that is ${percent(first.weight)} ${first.title}, `
        + `${percent(second.weight)} ${second.title} and ${percent(Math.max(0, 1 - first.weight - second.weight))} the rest.`
      : `Output: the colour ${blendColour}, all of it ${first.title}.`;
    const top = argmax(weights);
    this.#showWithheld();
    this.#quantities = {
      titles: this.#books.map((book) => book.title),
      topBook: this.#books[top].title,
      maxWeight: weights[top],
      weights: Object.fromEntries(this.#books.map((book, index) => [book.title, weights[index]])),
      dots: Object.fromEntries(this.#books.map((book, index) => [book.title, dots[index]])),
      queryLength: Math.hypot(...this.#query),
    };
  }
}

customElements.define('attention-explorer', AttentionExplorer);
