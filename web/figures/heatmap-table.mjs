/**
 * The data table of a heatmap (heatmap.mjs), its text alternative: the whole matrix while
 * it is small (rows and columns up to `tableLimit`), else the focused row, one line per
 * column, so that it stays usable at 1024 × 1024. Full-precision values in `data-value`.
 */
import { plural } from './heatmap-drawing.mjs';

const cell = (tag, content, attributes = {}) => {
  const element = document.createElement(tag);
  element.textContent = content;
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
};

/** The table for `data` ({ values, rows, cols, rowLabels, colLabels }) with the focus at `cursor`. */
export function heatmapTable({ values, rows, cols, rowLabels, colLabels }, { label, rowTitle, columnTitle, format, tableLimit }, cursor) {
  const shown = (value) => (value === -Infinity ? 'masked' : format(value));
  const table = document.createElement('table');
  if (rows <= tableLimit && cols <= tableLimit) {
    table.append(cell('caption', `${label}: rows are ${plural(rowTitle)}, columns ${plural(columnTitle)}`));
    const head = document.createElement('tr');
    head.append(cell('th', `${rowTitle} \\ ${columnTitle}`, { scope: 'col' }), ...colLabels.map((name) => cell('th', name, { scope: 'col' })));
    table.append(head);
    for (let row = 0; row < rows; row++) {
      const line = document.createElement('tr');
      if (row === cursor.row) line.className = 'focused-row';
      line.append(cell('th', rowLabels[row], { scope: 'row' }), ...colLabels.map((_, col) => cell('td', shown(values[row * cols + col]), {
        'data-value': String(values[row * cols + col]),
      })));
      table.append(line);
    }
    return table;
  }
  const { row } = cursor;
  table.append(cell('caption', `${label}, ${rowTitle} ${rowLabels[row]} (row ${row + 1} of ${rows}): one line per ${columnTitle}; move the focus in the heatmap to change the row`));
  const head = document.createElement('tr');
  head.append(cell('th', columnTitle, { scope: 'col' }), cell('th', 'value', { scope: 'col' }));
  table.append(head);
  for (let col = 0; col < cols; col++) {
    const value = values[row * cols + col];
    const line = document.createElement('tr');
    line.append(cell('th', `${col + 1}: ${colLabels[col]}`, { scope: 'row' }),
      cell('td', shown(value), { 'data-value': String(value), class: col === cursor.col ? 'focused' : '' }));
    table.append(line);
  }
  return table;
}
