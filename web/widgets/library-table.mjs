/**
 * The library's table, book by book: each book's key length |k|, its dot product q·k and
 * its weight (as a number and a bar in the book's colour). Either number column can be
 * held back while an exercise waits for the learner's answer.
 *
 * For tests: `data-key-index`, `data-dot`, `data-score` and `data-weight` on each row,
 * `data-column` (key, length, dot, weight) on each header and cell.
 */
import { htmlElement } from './html-element.mjs';
import { colour } from '../runtime/theme-colours.mjs';

export const libraryTableStyles = `
  .table-scroll { overflow-x: auto; max-width: 100%; }
  table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
  caption { caption-side: top; text-align: left; font-weight: 600; padding-bottom: 0.4rem; }
  th, td { padding: 0.35rem 0.4rem; border-bottom: 1px solid ${colour('rule')}; text-align: right; }
  th:first-child { text-align: left; }
  thead th { font-weight: 600; border-bottom: 2px solid ${colour('axis')}; white-space: nowrap; }
  tbody th { font-weight: 500; white-space: nowrap; }
  .swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.4em; flex: none;
    border-radius: 0.2em; border: 1px solid ${colour('text')}; vertical-align: -0.05em; }
  .weight { display: flex; gap: 0.5rem; align-items: center; justify-content: flex-end; }
  .bar { flex: 1 1 4rem; max-width: 8rem; height: 0.8rem; background: ${colour('track')}; border-radius: 0.2rem; overflow: hidden; }
  .bar-fill { display: block; height: 100%; width: 0; }
`;

export class LibraryTable {
  #rows = [];

  constructor() {
    this.element = htmlElement('div', { class: 'table-scroll', tabindex: '0', role: 'group', 'aria-label': 'The lookup, book by book' });
    const table = htmlElement('table');
    const head = htmlElement('thead');
    const headRow = htmlElement('tr');
    this.headers = Object.fromEntries([['key', 'key'], ['|k|', 'length'], ['q·k', 'dot'], ['weight', 'weight']].map(([title, column]) =>
      [column, htmlElement('th', { scope: 'col', 'data-column': column }, title)]));
    headRow.append(...Object.values(this.headers));
    head.append(headRow);
    this.body = htmlElement('tbody');
    table.append(htmlElement('caption', {}, 'The lookup, book by book'), head, this.body);
    this.element.append(table);
  }

  /** One row per book (numbers to follow with `update`). */
  showBooks(books) {
    this.#rows = books.map((book, index) => {
      const row = htmlElement('tr', { 'data-key-index': String(index) });
      const name = htmlElement('th', { scope: 'row' });
      const swatch = htmlElement('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.background = book.colour;
      name.append(swatch, book.title);
      const length = htmlElement('td', { 'data-column': 'length' }, Math.hypot(...book.key).toFixed(2));
      const dot = htmlElement('td', { 'data-column': 'dot' });
      const weightCell = htmlElement('td', { 'data-column': 'weight' });
      const weight = htmlElement('div', { class: 'weight' });
      const bar = htmlElement('span', { class: 'bar', 'aria-hidden': 'true' });
      const barFill = htmlElement('span', { class: 'bar-fill' });
      barFill.style.background = book.colour;
      bar.append(barFill);
      const weightText = htmlElement('span');
      weight.append(bar, weightText);
      weightCell.append(weight);
      row.append(name, length, dot, weightCell);
      return { row, dot, weightCell, barFill, weightText };
    });
    this.body.replaceChildren(...this.#rows.map(({ row }) => row));
  }

  /** Shows the core's dot products, logits (`scores`) and weights. */
  update({ dots, scores, weights }) {
    this.#rows.forEach(({ row, dot, barFill, weightText }, index) => {
      row.dataset.dot = String(dots[index]);
      row.dataset.score = String(scores[index]);
      row.dataset.weight = String(weights[index]);
      dot.textContent = dots[index].toFixed(2);
      weightText.textContent = weights[index].toFixed(3);
      barFill.style.width = `${(100 * weights[index]).toFixed(2)}%`;
    });
  }

  /** Hides the q·k column while `scores` is held back, the weight column while `weights` is. */
  hold({ scores, weights }) {
    for (const element of [this.headers.dot, ...this.#rows.map((row) => row.dot)]) element.hidden = scores;
    for (const element of [this.headers.weight, ...this.#rows.map((row) => row.weightCell)]) element.hidden = weights;
  }
}
