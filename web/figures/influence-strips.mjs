/**
 * Influence strips: for several readers of one sentence, one row of bars each, aligned
 * token by token, so the eye compares how far each reader can see. Bar j of a row is the
 * reader's influence of token j on the output at the chosen position, scaled to the
 * row's largest (each reader has its own units). A token the reader cannot see at all
 * (influence exactly 0) gets a small cross instead of a bar; the tokens it can see lie
 * over a band (its receptive field). The chosen output position and the watched token
 * are marked in every row. Beside the drawing it keeps the numbers as a table (tokens
 * as rows, readers as columns), its text alternative, each cell holding its
 * full-precision value in `data-value`. It knows nothing of what the readers are.
 */
import { svgElement } from './vector-plane.mjs';
import { colour } from '../runtime/theme-colours.mjs';

const widest = 640;
const narrowest = 300;

/** Styles for the strips, for a widget's shadow root and for exported figures. */
export const influenceStripsStyles = `
  .influence-strips { width: 100%; height: auto; display: block; font-family: system-ui, sans-serif; }
  .influence-strips text { font-size: 13px; fill: ${colour('text')}; }
  .influence-strips .reader-name { font-weight: 600; }
  .influence-strips .word { font-size: 12px; }
  .influence-strips .word.position, .influence-strips .word.source { font-weight: 700; }
  .influence-strips .baseline { stroke: ${colour('axis')}; stroke-width: 1; }
  .influence-strips .field { fill: ${colour('track')}; }
  .influence-strips .unseen { stroke: ${colour('muted-text')}; stroke-width: 1.5; }
  .influence-strips .position-mark { fill: none; stroke: ${colour('text')}; stroke-width: 1.5; stroke-dasharray: 4 3; }
  .influence-strips .source-mark { fill: ${colour('highlight')}; }
  .influence-strips .note { font-size: 12px; fill: ${colour('muted-text')}; }
`;

export class InfluenceStrips {
  /** `readers`: [{ id, name, colour }]; `label`: what the figure shows, for assistive technology. */
  constructor({ readers, label }) {
    this.readers = readers;
    this.width = widest;
    this.svg = svgElement('svg', { class: 'influence-strips', role: 'img', 'aria-label': label });
    this.table = document.createElement('table');
    this.table.className = 'data-table';
    const caption = document.createElement('caption');
    caption.textContent = label;
    this.tableHead = document.createElement('thead');
    this.tableBody = document.createElement('tbody');
    this.table.append(caption, this.tableHead, this.tableBody);
  }

  /** Draws again `pixels` wide (clamped to 300–640 units) so the words stay legible on a phone. */
  fitTo(pixels) {
    const width = Math.round(Math.min(widest, Math.max(narrowest, pixels)));
    if (width === this.width) return;
    this.width = width;
    if (this.last) this.update(this.last);
  }

  /**
   * `words`: the tokens; `values`: { readerId: Float32Array(words.length) };
   * `fields`: { readerId: { first, last } }; `position`: the output's token;
   * `source`: the token watched.
   */
  update(data) {
    this.last = data;
    const { words, values, fields, position, source } = data;
    const n = words.length;
    const width = this.width;
    const left = 4, right = 6, rowHeight = 50, gap = 8, nameHeight = 20, top = 4;
    const column = (width - left - right) / n;
    const longest = Math.max(...words.map((word, index) => `${word} ${index}`.length));
    const wordsHeight = 16 + 7 * longest * Math.sin((50 * Math.PI) / 180);
    const band = nameHeight + rowHeight + gap;
    const height = top + this.readers.length * band + wordsHeight;
    this.svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    const x = (index) => left + index * column;
    const parts = [];
    const rowsBottom = top + this.readers.length * band - gap;
    parts.push(svgElement('rect', { class: 'source-mark', x: x(source), y: top + nameHeight, width: column, height: rowsBottom - top - nameHeight }));
    this.readers.forEach((reader, row) => {
      const y0 = top + row * band + nameHeight;
      const base = y0 + rowHeight;
      const shown = values[reader.id];
      const field = fields[reader.id];
      const largest = Math.max(...shown);
      const group = svgElement('g', { 'data-reader': reader.id });
      group.append(svgElement('rect', {
        class: 'field', x: x(field.first), y: y0, width: (field.last - field.first + 1) * column, height: rowHeight,
      }));
      const name = svgElement('text', { class: 'reader-name', x: left, y: y0 - 6 });
      name.textContent = reader.name;
      group.append(name);
      for (let index = 0; index < n; index++) {
        const value = shown[index];
        const centre = x(index) + column / 2;
        if (value === 0) {
          const size = Math.min(4, column / 3);
          group.append(svgElement('path', {
            class: 'unseen', d: `M${centre - size} ${base - 4 - 2 * size}l${2 * size} ${2 * size}m0 ${-2 * size}l${-2 * size} ${2 * size}`,
          }));
          continue;
        }
        const barHeight = Math.max(1, ((rowHeight - 4) * value) / largest);
        const bar = svgElement('rect', {
          x: x(index) + column * 0.15, y: base - barHeight, width: column * 0.7, height: barHeight, 'data-token': index,
        });
        bar.style.fill = reader.colour;
        group.append(bar);
      }
      group.append(svgElement('line', { class: 'baseline', x1: left, x2: width - right, y1: base, y2: base }));
      parts.push(group);
    });
    parts.push(svgElement('rect', { class: 'position-mark', x: x(position) + 1, y: top + nameHeight - 4, width: column - 2, height: rowsBottom - top - nameHeight + 8 }));
    words.forEach((word, index) => {
      const kind = index === position ? ' position' : index === source ? ' source' : '';
      const label = svgElement('text', {
        class: `word${kind}`, transform: `translate(${x(index) + column / 2 + 4} ${rowsBottom + 8}) rotate(-50)`, 'text-anchor': 'end',
      });
      label.textContent = `${word} ${index}`;
      parts.push(label);
    });
    this.svg.replaceChildren(...parts);
    this.#fillTable(data);
  }

  #fillTable({ words, values, position, source }) {
    const head = document.createElement('tr');
    for (const title of ['token', ...this.readers.map(({ name }) => name)]) {
      const cell = document.createElement('th');
      cell.scope = 'col';
      cell.textContent = title;
      head.append(cell);
    }
    this.tableHead.replaceChildren(head);
    this.tableBody.replaceChildren(...words.map((word, index) => {
      const row = document.createElement('tr');
      row.dataset.token = String(index);
      const header = document.createElement('th');
      header.scope = 'row';
      const role = index === position ? ' (output)' : index === source ? ' (watched)' : '';
      header.textContent = `${index} ${word}${role}`;
      row.append(header, ...this.readers.map(({ id }) => {
        const value = values[id][index];
        const cell = document.createElement('td');
        cell.dataset.reader = id;
        cell.dataset.value = String(value);
        cell.textContent = value === 0 ? '0' : value.toPrecision(3);
        return cell;
      }));
      return row;
    }));
  }
}
