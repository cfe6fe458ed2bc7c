/**
 * `<attention-explorer>`: attention as a lookup in a small library.
 *
 * Each book has a title whose meaning is a 2-D key vector (drawn as an arrow) and
 * contents that are a colour (its value, an RGB triple). The learner moves a query
 * point on the plane by dragging it (mouse, pen, finger) or with the arrow keys, sets a
 * temperature, and switches between a soft lookup (softmax weights) and a hard one
 * (all weight on the best match). On every change the widget asks the attention core
 * for the dot product q·k of each key, the weights and the output — the weights' blend
 * of the colours — and shows them: weights as bars and arrow thickness, the output as a
 * colour swatch, and all numbers in a table. The hard lookup is the core's softmax at a
 * temperature so close to 0 that it puts all weight on the largest score.
 *
 * Attributes (all optional): `books` (a shelf, see book-shelf.mjs), `query` ("x,y"),
 * `temperature`, `hard` ("true"/"false"). The controls are CSS parts named for what they
 * set (`temperature`, `hard`, `books`), so an embedding page can hide them; colours
 * follow the page's `--ink` and `--accent` custom properties where it sets them. The learner's state is `state`
 * ({ q, T, hard, books } as text), announced by `statechange` events; `quantities`
 * publishes what exercises may ask about (titles, topBook, maxWeight, weights).
 *
 * For tests and readers of the page, the element reflects what it passed and got:
 * `data-qx`, `data-qy`, `data-temperature`, `data-hard` and `data-keys` (the books as
 * JSON) on the element; `data-key-index`, `data-dot`, `data-score` (the logit) and
 * `data-weight` on each table row; `data-output` (RGB as JSON); `data-ready` once the
 * first result is shown.
 */
import { loadLab } from '../runtime/lab.mjs';
import { VectorPlane, vectorPlaneStyles } from '../figures/vector-plane.mjs';
import { defaultShelfText, formatShelf, parseShelf } from './book-shelf.mjs';
import { BookEditor, bookEditorStyles } from './book-editor.mjs';
import { figureExportControls, figureExportStyles } from '../figures/figure-export.mjs';
import { htmlElement } from './html-element.mjs';

const defaults = { query: [1, 1], temperature: 1 };
/** The temperature that stands for "→ 0": the softmax is then an argmax, to float precision. */
export const hardLookupTemperature = 1e-6;
const minTemperature = 0.1;
const maxTemperature = 4;

const roundCoordinate = (value) => Math.round(value * 1000) / 1000;
const percent = (fraction) => `${Math.round(100 * fraction)}%`;

/** A CSS colour for an RGB triple with channels in [0, 1]. */
const cssColour = (rgb) =>
  `rgb(${rgb.map((channel) => Math.round(255 * Math.min(1, Math.max(0, channel)))).join(', ')})`;

/** Reads "x,y" into a query inside the plane, or null. */
function parseQuery(text) {
  const parts = String(text ?? '').split(',').map(Number);
  if (parts.length !== 2 || !parts.every(Number.isFinite)) return null;
  return parts.map((coordinate) => roundCoordinate(Math.min(3, Math.max(-3, coordinate))));
}

function parseTemperature(text) {
  const value = Number(text);
  return text !== null && text !== undefined && text !== '' && Number.isFinite(value)
    ? Math.min(maxTemperature, Math.max(minTemperature, value))
    : null;
}

const styles = `
  :host { display: block; color: var(--ink, #1b1b1f); --explorer-accent: var(--accent, #0b57d0); }
  figure { margin: 0; display: grid; gap: 1rem 1.5rem; align-items: start;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 20rem), 1fr)); }
  .drawing { display: grid; gap: 0.5rem; min-width: 0; }
  .panel { display: grid; gap: 1rem; min-width: 0; }
  .hint { margin: 0; }
  .temperature { display: grid; grid-template-columns: auto minmax(0, 1fr) auto; gap: 0.75rem; align-items: center; }
  .temperature output { font-variant-numeric: tabular-nums; min-width: 4ch; text-align: right; }
  input[type=range] { width: 100%; margin: 0; accent-color: var(--explorer-accent); min-height: 2.75rem; }
  .lookup { display: flex; gap: 0.6rem; align-items: center; min-height: 2.75rem; }
  .lookup input { width: 1.4rem; height: 1.4rem; margin: 0; accent-color: var(--explorer-accent); }
  input:focus-visible { outline: 3px solid var(--explorer-accent); outline-offset: 3px; }
  table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
  caption { caption-side: bottom; text-align: left; padding-top: 0.75rem; }
  .output { display: flex; gap: 0.75rem; align-items: center; }
  .output-swatch { flex: none; width: 2.75rem; height: 2.75rem; border-radius: 0.4rem; border: 1px solid #1b1b1f; }
  th, td { padding: 0.35rem 0.4rem; border-bottom: 1px solid #e3e3ea; text-align: right; }
  th:first-child { text-align: left; }
  thead th { font-weight: 600; border-bottom: 2px solid #9a9aa8; white-space: nowrap; }
  tbody th { font-weight: 500; white-space: nowrap; }
  .swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.4em; flex: none;
    border-radius: 0.2em; border: 1px solid #1b1b1f; vertical-align: -0.05em; }
  .weight { display: flex; gap: 0.5rem; align-items: center; justify-content: flex-end; }
  .bar { flex: 1 1 4rem; max-width: 8rem; height: 0.8rem; background: #ececf2; border-radius: 0.2rem; overflow: hidden; }
  .bar-fill { display: block; height: 100%; width: 0; }
  .status { margin: 0; color: #8a1c1c; }
`;

/** The interactive figure: the library plane, the lookup controls, the weights table and the book editor. */
export class AttentionExplorer extends HTMLElement {
  /** Which attribute sets each parameter of `state` (so an embed can keep an attribute fixed). */
  static stateAttributes = Object.freeze({ q: 'query', T: 'temperature', hard: 'hard', books: 'books' });

  #lab = null;
  #books = parseShelf(defaultShelfText);
  #query = defaults.query;
  #temperature = defaults.temperature;
  #hard = false;
  #plane = null;
  #keyShafts = [];
  #panel = null;
  #editor = null;
  #quantities = {};

  connectedCallback() {
    if (this.#plane) return;
    this.#applyState({});
    const root = this.attachShadow({ mode: 'open' });
    const style = htmlElement('style');
    style.textContent = vectorPlaneStyles + styles + bookEditorStyles + figureExportStyles;
    const figure = htmlElement('figure');
    this.#plane = this.#buildPlane();
    this.#panel = this.#buildPanel();
    this.#editor = new BookEditor({
      onAdd: (book) => this.#changeShelf([...this.#books, book]),
      onRemove: (index) => this.#changeShelf(this.#books.filter((_, at) => at !== index)),
    });
    const drawing = htmlElement('div', { class: 'drawing' });
    drawing.append(this.#plane.svg, figureExportControls({
      getSvg: () => this.#plane.svg, styles: vectorPlaneStyles, fileName: 'attention-library', label: 'the library figure',
    }));
    figure.append(drawing, this.#panel.element);
    root.append(style, figure, this.#editor.element);
    this.#showShelf();
    loadLab()
      .then((lab) => {
        this.#lab = lab;
        this.#recompute();
        this.dataset.ready = '';
      })
      .catch((error) => {
        this.#panel.status.textContent = `The attention core could not be loaded: ${error.message}`;
        this.#panel.status.hidden = false;
        console.error(error);
      });
  }

  /** The learner's view as text: query, temperature, soft or hard, and the books. */
  get state() {
    return {
      q: this.#query.join(','),
      T: String(this.#temperature),
      hard: this.#hard ? '1' : '0',
      books: formatShelf(this.#books),
    };
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

  #applyState(state) {
    this.#query = parseQuery(state.q) ?? parseQuery(this.getAttribute('query')) ?? defaults.query;
    this.#temperature = parseTemperature(state.T) ?? parseTemperature(this.getAttribute('temperature')) ?? defaults.temperature;
    this.#hard = (state.hard ?? (this.getAttribute('hard') === 'true' ? '1' : '0')) === '1';
    this.#books = [state.books, this.getAttribute('books'), defaultShelfText].reduce((found, text) => {
      if (found || !text) return found;
      try {
        return parseShelf(text);
      } catch (error) {
        console.warn(`attention-explorer: ignoring books "${text}": ${error.message}`);
        return null;
      }
    }, null);
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
    const temperatureRow = htmlElement('div', { class: 'temperature', part: 'temperature' });
    const slider = htmlElement('input', {
      type: 'range', id: 'temperature', min: String(minTemperature), max: String(maxTemperature), step: '0.05',
    });
    const sliderValue = htmlElement('output', { for: 'temperature' });
    slider.addEventListener('input', () => {
      this.#temperature = Number(slider.value);
      this.#recompute();
      this.#announce(true);
    });
    slider.addEventListener('change', () => this.#announce(false));
    temperatureRow.append(htmlElement('label', { for: 'temperature' }, 'Temperature'), slider, sliderValue);

    const lookup = htmlElement('label', { class: 'lookup', part: 'hard' });
    const hardSwitch = htmlElement('input', { type: 'checkbox', role: 'switch', id: 'hard' });
    hardSwitch.addEventListener('change', () => {
      this.#hard = hardSwitch.checked;
      this.#recompute();
      this.#announce(false);
    });
    lookup.append(hardSwitch, 'Hard lookup: all weight on the best match (argmax)');

    const table = htmlElement('table');
    const caption = htmlElement('caption');
    const outputSwatch = htmlElement('span', { class: 'output-swatch', 'aria-hidden': 'true' });
    const outputText = htmlElement('span', {}, 'Waiting for the attention core…');
    const outputLine = htmlElement('span', { class: 'output' });
    outputLine.append(outputSwatch, outputText);
    caption.append(outputLine);
    const head = htmlElement('thead');
    const headRow = htmlElement('tr');
    for (const title of ['key', 'q·k', 'weight']) headRow.append(htmlElement('th', { scope: 'col' }, title));
    head.append(headRow);
    const body = htmlElement('tbody');
    table.append(caption, head, body);

    const status = htmlElement('p', { class: 'status', role: 'alert' });
    status.hidden = true;
    element.append(hint, temperatureRow, lookup, table, status);
    return { element, slider, sliderValue, hardSwitch, body, outputSwatch, outputText, rows: [], status };
  }

  #buildRow(book, index) {
    const row = htmlElement('tr', { 'data-key-index': String(index) });
    const name = htmlElement('th', { scope: 'row' });
    const swatch = htmlElement('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.background = book.colour;
    name.append(swatch, book.title);
    const dot = htmlElement('td');
    const weightCell = htmlElement('td');
    const weight = htmlElement('div', { class: 'weight' });
    const bar = htmlElement('span', { class: 'bar', 'aria-hidden': 'true' });
    const barFill = htmlElement('span', { class: 'bar-fill' });
    barFill.style.background = book.colour;
    bar.append(barFill);
    const weightText = htmlElement('span');
    weight.append(bar, weightText);
    weightCell.append(weight);
    row.append(name, dot, weightCell);
    return { row, dot, barFill, weightText };
  }

  /** Redraws everything that depends on the books and the controls (not on the core's numbers). */
  #showShelf() {
    this.#plane.clearArrows();
    this.#keyShafts = this.#books.map((book) => this.#plane.addArrow({ to: book.key, colour: book.colour, label: book.title }));
    this.#panel.rows = this.#books.map((book, index) => this.#buildRow(book, index));
    this.#panel.body.replaceChildren(...this.#panel.rows.map(({ row }) => row));
    this.#editor.show(this.#books);
    this.#plane.placePoint(this.#query);
    const { slider, sliderValue, hardSwitch } = this.#panel;
    slider.value = String(this.#temperature);
    sliderValue.textContent = this.#temperature.toFixed(2);
    slider.disabled = this.#hard;
    hardSwitch.checked = this.#hard;
    this.dataset.keys = JSON.stringify(this.#books.map(({ title, key, value }) => ({ title, key, value })));
  }

  #changeShelf(books) {
    this.#books = books;
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

  /** Asks the core for the dot products (temperature 1) and the lookup's weights and output, and shows them. */
  #recompute() {
    if (!this.#lab) return;
    const { scores: dots } = this.#attend(1);
    const result = this.#attend(this.#hard ? hardLookupTemperature : this.#temperature);
    this.dataset.qx = String(this.#query[0]);
    this.dataset.qy = String(this.#query[1]);
    this.dataset.temperature = String(this.#temperature);
    this.dataset.hard = String(this.#hard);
    this.#panel.slider.disabled = this.#hard;
    this.#panel.sliderValue.textContent = this.#temperature.toFixed(2);
    this.#show(dots, result);
  }

  #show(dots, { output, weights, scores }) {
    const { rows, outputSwatch, outputText } = this.#panel;
    rows.forEach(({ row, dot, barFill, weightText }, index) => {
      row.dataset.dot = String(dots[index]);
      row.dataset.score = String(scores[index]);
      row.dataset.weight = String(weights[index]);
      dot.textContent = dots[index].toFixed(2);
      weightText.textContent = weights[index].toFixed(3);
      barFill.style.width = `${(100 * weights[index]).toFixed(2)}%`;
      this.#keyShafts[index].setAttribute('stroke-width', String(2 + 6 * weights[index]));
    });
    this.dataset.output = JSON.stringify(Array.from(output));
    const colour = cssColour(Array.from(output));
    outputSwatch.style.background = colour;
    const ranked = this.#books
      .map((book, index) => ({ title: book.title, weight: weights[index] }))
      .sort((a, b) => b.weight - a.weight);
    const [first, second] = ranked;
    outputText.textContent = second
      ? `Output: the colour ${colour}, a blend that is ${percent(first.weight)} ${first.title}, `
        + `${percent(second.weight)} ${second.title} and ${percent(Math.max(0, 1 - first.weight - second.weight))} the rest.`
      : `Output: the colour ${colour}, all of it ${first.title}.`;
    this.#quantities = {
      titles: this.#books.map((book) => book.title),
      topBook: first.title,
      maxWeight: first.weight,
      weights: Object.fromEntries(this.#books.map((book, index) => [book.title, weights[index]])),
    };
  }
}

customElements.define('attention-explorer', AttentionExplorer);
