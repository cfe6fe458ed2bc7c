/**
 * A labelled matrix of numbers as an HTML table: a caption naming it, row and column
 * labels, each number rounded for reading with its full value in `data-value`.
 *
 * Cells may be editable (`editable: true`, or a function of (row, col)): each is then a
 * text field a learner types a number into, big enough to tap. The matrix is one tab
 * stop; inside it the arrow keys move between fields (left and right once the caret is
 * at the field's edge). A number typed is reported at once through `onEdit(row, col,
 * value)`; text that is not a number is kept as typed, marked invalid, and explained
 * under the table, naming the cell.
 *
 * Linked highlighting: `highlight({ rows, cols, cells })` marks rows, columns or single
 * cells (e.g. the row of the query being walked); `setLinked(true)` marks the whole
 * matrix (its term in a formula is hovered). Hovering a cell calls `onCell({ row, col,
 * source: 'hover' })` and leaving it `source: 'leave'`; focus entering or leaving the
 * matrix calls `onFocusChange(inside)`.
 *
 *   const wq = new MatrixView({ label: 'W_Q', editable: true,
 *     onEdit: (row, col, value) => { designed[row][col] = value; recompute(); } });
 *   root.append(styleElement(matrixViewStyles), wq.element);
 *   wq.update({ values, rows: 8, cols: 4, rowLabels: features, colLabels: slots });
 */
import { themeVar } from './theme-colours.mjs';

/** Styles for matrix views, for a widget's shadow root. */
export const matrixViewStyles = `
  .matrix { display: grid; gap: 0.3rem; min-width: 0; }
  .matrix-scroll { overflow-x: auto; max-width: 100%; border-radius: 0.3rem; }
  .matrix-scroll:focus-visible { outline: 3px solid ${themeVar('focus')}; outline-offset: 2px; }
  .matrix table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
  .matrix caption { text-align: left; font-weight: 600; padding: 0.1rem 0.2rem 0.3rem; white-space: nowrap; }
  .matrix th, .matrix td { padding: 0.15rem 0.4rem; text-align: right; white-space: nowrap;
    border-bottom: 1px solid ${themeVar('grid')}; }
  .matrix thead th { font-weight: 600; color: ${themeVar('muted-text')}; font-size: 0.9rem; }
  .matrix tbody th { font-weight: 500; text-align: left; color: ${themeVar('muted-text')}; }
  .matrix td.linked, .matrix tr.linked th { background: ${themeVar('highlight')}; color: ${themeVar('text')}; }
  .matrix.is-linked .matrix-scroll { outline: 3px solid ${themeVar('highlight')}; outline-offset: 1px; }
  .matrix td.editable { padding: 0.1rem; }
  .matrix input { font: inherit; width: 4.2rem; min-height: 2.75rem; text-align: right; padding: 0.1rem 0.35rem;
    border: 1px solid ${themeVar('muted-text')}; border-radius: 0.3rem;
    background: ${themeVar('background')}; color: ${themeVar('text')}; }
  .matrix input:focus-visible { outline: 3px solid ${themeVar('focus')}; outline-offset: 1px; }
  .matrix input[aria-invalid="true"] { border: 2px solid ${themeVar('error')}; }
  .matrix-error { margin: 0; color: ${themeVar('error')}; }
  .matrix-error:empty { display: none; }
`;

/**
 * A number typed by a learner, or null: digits with an optional sign, point and
 * exponent ("-0.5", "2e-3", with a typographic minus too), finite in float32.
 */
export function parseNumberText(text) {
  const cleaned = String(text).trim().replace(/^[\u2212\u2013]/, '-');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned)) return null;
  const value = Number(cleaned);
  return Number.isFinite(value) && Math.abs(value) <= 3.4028234663852886e38 ? value : null;
}

let matrixCount = 0;

export class MatrixView {
  #options;
  #data = null;
  #fields = [];
  #cells = [];
  #rowHeads = [];
  #errors = new Map();

  constructor({
    label, rowTitle = 'row', columnTitle = 'column', editable = false, format = (value) => formatNumber(value),
    onEdit = () => {}, onCell = () => {}, onFocusChange = () => {},
  }) {
    this.#options = { label, rowTitle, columnTitle, editable, format, onEdit, onCell, onFocusChange };
    this.id = `matrix-${(matrixCount += 1)}`;
    this.element = document.createElement('div');
    this.element.className = 'matrix';
    this.scroll = document.createElement('div');
    this.scroll.className = 'matrix-scroll';
    this.scroll.setAttribute('role', 'region');
    this.scroll.setAttribute('aria-label', label);
    this.table = document.createElement('table');
    this.caption = document.createElement('caption');
    this.caption.textContent = label;
    this.error = document.createElement('p');
    this.error.className = 'matrix-error';
    this.error.id = `${this.id}-error`;
    this.error.setAttribute('role', 'alert');
    this.scroll.append(this.table);
    this.element.append(this.scroll, this.error);
    this.element.addEventListener('focusin', () => onFocusChange(true));
    this.element.addEventListener('focusout', (event) => {
      if (!this.element.contains(event.relatedTarget)) onFocusChange(false);
    });
    this.table.addEventListener('pointerover', (event) => {
      const cell = event.target.closest?.('[data-row]');
      if (cell) onCell({ row: Number(cell.dataset.row), col: Number(cell.dataset.col), source: 'hover' });
    });
    this.table.addEventListener('pointerleave', () => onCell({ row: -1, col: -1, source: 'leave' }));
  }

  /** Whether (row, col) is a field the learner may type into. */
  #isEditable(row, col) {
    const { editable } = this.#options;
    return typeof editable === 'function' ? editable(row, col) : Boolean(editable);
  }

  /** Shows `values` (rows × cols, row-major). Fields the learner is typing in keep their text. */
  update({ values, rows, cols, rowLabels, colLabels }) {
    const labels = (given, count) => given ?? Array.from({ length: count }, (_, index) => String(index + 1));
    const data = { values, rows, cols, rowLabels: labels(rowLabels, rows), colLabels: labels(colLabels, cols) };
    const shape = (d) => `${d.rows}x${d.cols}:${d.rowLabels.join('\u0001')}:${d.colLabels.join('\u0001')}`;
    if (!this.#data || shape(this.#data) !== shape(data)) this.#build(data);
    this.#data = data;
    const active = this.element.getRootNode().activeElement;
    for (let row = 0; row < rows; row++) {
      for (let col = 0; col < cols; col++) {
        const value = values[row * cols + col];
        const cell = this.#cells[row][col];
        cell.dataset.value = String(value);
        const field = this.#fields[row]?.[col];
        if (field) {
          if (field !== active && !this.#errors.has(field)) field.value = String(value);
        } else {
          cell.textContent = this.#options.format(value);
        }
      }
    }
  }

  #build({ rows, cols, rowLabels, colLabels }) {
    const { rowTitle, columnTitle, label } = this.#options;
    const head = document.createElement('thead');
    const headRow = document.createElement('tr');
    const corner = document.createElement('th');
    corner.scope = 'col';
    corner.textContent = `${rowTitle} \\ ${columnTitle}`;
    headRow.append(corner, ...colLabels.map((name) => {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = name;
      return th;
    }));
    head.append(headRow);
    const body = document.createElement('tbody');
    this.#cells = [];
    this.#fields = [];
    this.#rowHeads = [];
    this.#errors.clear();
    this.error.textContent = '';
    for (let row = 0; row < rows; row++) {
      const line = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = rowLabels[row];
      line.append(th);
      const cells = [];
      const fields = [];
      for (let col = 0; col < cols; col++) {
        const td = document.createElement('td');
        Object.assign(td.dataset, { row: String(row), col: String(col) });
        if (this.#isEditable(row, col)) {
          td.className = 'editable';
          const field = document.createElement('input');
          Object.assign(field, { type: 'text', autocomplete: 'off', spellcheck: false, tabIndex: -1 });
          field.setAttribute('aria-label', `${label}, ${rowTitle} ${rowLabels[row]}, ${columnTitle} ${colLabels[col]}`);
          field.setAttribute('aria-describedby', this.error.id);
          field.addEventListener('input', () => this.#typed(field, row, col));
          field.addEventListener('change', () => this.#typed(field, row, col));
          field.addEventListener('keydown', (event) => this.#onKey(event, field, row, col));
          field.addEventListener('focus', () => this.#makeTabStop(field));
          td.append(field);
          fields[col] = field;
        }
        cells.push(td);
      }
      line.append(...cells);
      body.append(line);
      this.#cells.push(cells);
      this.#fields.push(fields);
      this.#rowHeads.push(line);
    }
    this.table.replaceChildren(this.caption, head, body);
    const first = this.#fields.flat().find(Boolean);
    if (first) this.#makeTabStop(first);
    else this.scroll.tabIndex = 0;
  }

  #makeTabStop(field) {
    for (const other of this.#fields.flat()) if (other) other.tabIndex = other === field ? 0 : -1;
  }

  #typed(field, row, col) {
    const value = parseNumberText(field.value);
    const { label, rowTitle, columnTitle } = this.#options;
    const { rowLabels, colLabels } = this.#data;
    if (value === null) {
      field.setAttribute('aria-invalid', 'true');
      this.#errors.set(field, `${label}, ${rowTitle} ${rowLabels[row]}, ${columnTitle} ${colLabels[col]}: "${field.value}" is not a number; the heatmap uses the last number this cell held.`);
    } else {
      field.removeAttribute('aria-invalid');
      this.#errors.delete(field);
    }
    this.error.textContent = [...this.#errors.values()].join(' ');
    if (value !== null) this.#options.onEdit(row, col, value);
  }

  #onKey(event, field, row, col) {
    const atStart = field.selectionStart === 0 && field.selectionEnd === 0;
    const atEnd = field.selectionStart === field.value.length;
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: atStart ? [0, -1] : null, ArrowRight: atEnd ? [0, 1] : null };
    const move = moves[event.key];
    if (!move) return;
    const target = this.#fields[row + move[0]]?.[col + move[1]];
    if (!target) return;
    event.preventDefault();
    target.focus();
    target.select();
  }

  /** Marks rows, columns and single cells ([row, col] pairs); no argument clears. */
  highlight({ rows = [], cols = [], cells = [] } = {}) {
    this.#rowHeads.forEach((line, row) => line.classList.toggle('linked', rows.includes(row)));
    this.#cells.forEach((line, row) => line.forEach((td, col) => td.classList.toggle('linked',
      rows.includes(row) || cols.includes(col) || cells.some(([r, c]) => r === row && c === col))));
  }

  /** Renames the matrix (its caption and region). */
  setLabel(label) {
    if (label === this.#options.label) return;
    this.#options.label = label;
    this.caption.textContent = label;
    this.scroll.setAttribute('aria-label', label);
  }

  /** Marks the whole matrix as the one a linked term names. */
  setLinked(linked) {
    this.element.classList.toggle('is-linked', linked);
  }
}

/** A number for reading: at most three decimals, no trailing zeros, a true minus sign. */
export function formatNumber(value) {
  if (value === -Infinity) return '−∞';
  if (value === Infinity) return '∞';
  const rounded = Math.abs(value) >= 1000 ? value.toPrecision(4) : String(Number(value.toFixed(3)));
  return (rounded === '-0' ? '0' : rounded).replace('-', '−');
}
