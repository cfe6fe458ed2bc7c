/**
 * How a heatmap (heatmap.mjs) puts its numbers on screen, in two ways:
 * - `SvgCells`: one focusable SVG rectangle per cell (an ARIA grid of gridcells), with
 *   row and column labels and, when cells are large enough, the numbers inside;
 * - `drawCanvas`: one canvas pixel per cell, scaled up by CSS (`image-rendering:
 *   pixelated`), for up to 1024 × 1024 cells in one pass over a Uint32Array.
 * Both colour a cell from a theme scale (theme-colours.mjs); a masked cell (-Infinity)
 * gets the theme's track colour. Neither knows what the numbers mean.
 */
import { svgElement } from './vector-plane.mjs';
import { canvasPixel, cssColour, readableOn } from './theme-colours.mjs';

/** The plural of a title: query → queries, key → keys. */
export const plural = (word) => (/[^aeiou]y$/.test(word) ? `${word.slice(0, -1)}ies` : `${word}s`);

/** The position of `value` on the colour scale, 0 to 1, for the domain [low, high]. */
export function scalePosition(value, [low, high]) {
  if (high === low) return 0.5;
  return Math.min(1, Math.max(0, (value - low) / (high - low)));
}

/** The range of the finite values: [min(0, smallest), largest] or symmetric about 0 when `diverging`. */
export function defaultDomain(values, diverging) {
  let low = Infinity, high = -Infinity;
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    if (value < low) low = value;
    if (value > high) high = value;
  }
  if (low > high) return diverging ? [-1, 1] : [0, 1];
  if (diverging) {
    const reach = Math.max(Math.abs(low), Math.abs(high)) || 1;
    return [-reach, reach];
  }
  return [Math.min(0, low), high > Math.min(0, low) ? high : Math.min(0, low) + 1];
}

const imageCache = new WeakMap();

/**
 * Paints `values` (rows × cols, row-major) into `canvas`, one pixel per cell, through
 * `scale.lut`; -Infinity (masked) cells get `masked` (bytes). One pass, no allocation
 * after the first call at a given size.
 */
export function drawCanvas(canvas, { values, rows, cols, domain, scale, masked }) {
  if (canvas.width !== cols) canvas.width = cols;
  if (canvas.height !== rows) canvas.height = rows;
  const context = canvas.getContext('2d');
  let image = imageCache.get(canvas);
  if (!image || image.width !== cols || image.height !== rows) {
    image = context.createImageData(cols, rows);
    imageCache.set(canvas, image);
  }
  const pixels = new Uint32Array(image.data.buffer);
  const lut = scale.lut;
  const maskedPixel = canvasPixel(masked);
  const [low, high] = domain;
  const factor = high === low ? 0 : 255 / (high - low);
  const middle = high === low ? 128 : 0;
  const count = rows * cols;
  for (let index = 0; index < count; index++) {
    const value = values[index];
    if (value === -Infinity) {
      pixels[index] = maskedPixel;
      continue;
    }
    let at = middle + (value - low) * factor;
    at = at < 0 ? 0 : at > 255 ? 255 : at;
    pixels[index] = lut[at | 0];
  }
  context.putImageData(image, 0, 0);
}

/** Cell size (px) for `count` cells across `room` px: from 14 to 44. */
const cellSizeFor = (count, room) => Math.max(14, Math.min(44, Math.floor(room / count)));

/** Width in SVG units of the longest of `labels` at 13px. */
const labelExtent = (labels) => Math.min(130, 10 + 7.4 * Math.max(1, ...labels.map((label) => String(label).length)));

/**
 * The SVG drawing: labels, an ARIA grid of focusable cells, numbers inside large cells,
 * and an overlay for highlighted rows and columns and the focus ring.
 */
export class SvgCells {
  constructor({ label, rowTitle, columnTitle }) {
    this.svg = svgElement('svg', { class: 'heatmap-svg', role: 'grid', 'aria-label': label });
    this.labels = svgElement('g', { class: 'heatmap-labels', 'aria-hidden': 'true' });
    this.grid = svgElement('g', { class: 'heatmap-cells' });
    this.numbers = svgElement('g', { class: 'heatmap-numbers', 'aria-hidden': 'true' });
    this.overlay = svgElement('g', { class: 'heatmap-overlay', 'aria-hidden': 'true' });
    this.ring = svgElement('rect', { class: 'heatmap-ring' });
    this.svg.append(this.labels, this.grid, this.numbers, this.overlay);
    Object.assign(this, { rowTitle, columnTitle, cells: [], shape: '' });
  }

  /**
   * Rebuilds the grid when the shape, labels or room change; otherwise only recolours.
   * `width`: the px the drawing may take; the SVG is drawn at that size, so its text
   * stays 13 px on a phone as on a desktop.
   */
  update({ values, rows, cols, rowLabels, colLabels, domain, scale, theme, format, describe, width }) {
    const shape = `${rows}x${cols}:${width}:${rowLabels.join('\u0001')}:${colLabels.join('\u0001')}`;
    if (shape !== this.shape) this.#layout(rows, cols, rowLabels, colLabels, width);
    this.shape = shape;
    const showNumbers = this.cell >= 34;
    const numbers = [];
    for (let row = 0; row < rows; row++) {
      for (let col = 0; col < cols; col++) {
        const value = values[row * cols + col];
        const rect = this.cells[row][col];
        const fill = value === -Infinity ? theme.track : scale.at(scalePosition(value, domain));
        rect.setAttribute('fill', cssColour(fill));
        rect.dataset.value = String(value);
        rect.setAttribute('aria-label', describe(row, col, value));
        if (!showNumbers) continue;
        const text = svgElement('text', {
          x: this.left + (col + 0.5) * this.cell, y: this.top + (row + 0.5) * this.cell,
          'text-anchor': 'middle', 'dominant-baseline': 'central',
          fill: cssColour(readableOn(fill, [theme.text, theme.background])),
        });
        text.textContent = value === -Infinity ? '−∞' : format(value);
        numbers.push(text);
      }
    }
    this.numbers.replaceChildren(...numbers);
  }

  #layout(rows, cols, rowLabels, colLabels, width) {
    const left = labelExtent(rowLabels) + 24;
    const top = labelExtent(colLabels) * 0.72 + 30;
    const right = Math.max(16, labelExtent(colLabels.slice(-1)) * 0.72 - 8);
    const cell = cellSizeFor(cols, width - left - right);
    Object.assign(this, { cell, left, top, rows, cols });
    const drawnWidth = left + cols * cell + right;
    const height = top + rows * cell + 8;
    this.svg.setAttribute('viewBox', `0 0 ${drawnWidth} ${height}`);
    this.svg.setAttribute('width', String(drawnWidth));
    this.svg.setAttribute('height', String(height));
    this.svg.setAttribute('aria-rowcount', String(rows));
    this.svg.setAttribute('aria-colcount', String(cols));
    const text = (attributes, content) => Object.assign(svgElement('text', attributes), { textContent: content });
    this.labels.replaceChildren(
      text({ class: 'heatmap-axis-title', x: left, y: 14 }, `${plural(this.columnTitle)} →`),
      text({ class: 'heatmap-axis-title', transform: `translate(14 ${top}) rotate(90)` }, `${plural(this.rowTitle)} →`),
      ...rowLabels.map((label, row) => text({
        x: left - 6, y: top + (row + 0.5) * cell, 'text-anchor': 'end', 'dominant-baseline': 'central',
      }, label)),
      ...colLabels.map((label, col) => text({
        transform: `translate(${left + (col + 0.5) * cell} ${top - 6}) rotate(-45)`,
      }, label)),
    );
    this.cells = [];
    const rowGroups = [];
    for (let row = 0; row < rows; row++) {
      const group = svgElement('g', { role: 'row', 'aria-rowindex': String(row + 1) });
      const cells = [];
      for (let col = 0; col < cols; col++) {
        const rect = svgElement('rect', {
          role: 'gridcell', tabindex: '-1', 'aria-colindex': String(col + 1), class: 'heatmap-cell',
          x: left + col * cell, y: top + row * cell, width: cell, height: cell, 'data-row': row, 'data-col': col,
        });
        cells.push(rect);
      }
      group.append(...cells);
      rowGroups.push(group);
      this.cells.push(cells);
    }
    this.grid.replaceChildren(...rowGroups);
  }

  /** The focusable element of a cell. */
  cellElement(row, col) {
    return this.cells[row]?.[col] ?? null;
  }

  /** Draws the focus ring around (row, col) and bands over highlighted rows and columns. */
  mark({ row, col }, { rows = [], cols = [] }) {
    const { left, top, cell } = this;
    const bands = [
      ...rows.filter((r) => r < this.rows).map((r) => svgElement('rect', {
        class: 'heatmap-band', x: left, y: top + r * cell, width: this.cols * cell, height: cell,
      })),
      ...cols.filter((c) => c < this.cols).map((c) => svgElement('rect', {
        class: 'heatmap-band', x: left + c * cell, y: top, width: cell, height: this.rows * cell,
      })),
    ];
    Object.entries({ x: left + col * cell + 1.5, y: top + row * cell + 1.5, width: cell - 3, height: cell - 3 })
      .forEach(([name, value]) => this.ring.setAttribute(name, value));
    this.overlay.replaceChildren(...bands, this.ring);
    this.cells.flat().forEach((rect) => rect.setAttribute('tabindex', '-1'));
    this.cellElement(row, col)?.setAttribute('tabindex', '0');
  }
}

/**
 * The colour legend into `svg` (viewBox 0 0 320 44): the scale's gradient with its ends
 * (and 0 in the middle when `diverging`) labelled, and the masked colour when any cell is.
 */
export function drawLegend(svg, { id, scale, theme, domain: [low, high], format, diverging, hasMasked }) {
  const gradient = svgElement('linearGradient', { id });
  scale.stops.forEach((stop, index) => gradient.append(svgElement('stop', {
    offset: `${(index / (scale.stops.length - 1)) * 100}%`, 'stop-color': cssColour(stop),
  })));
  const text = (x, y, content, anchor) => Object.assign(svgElement('text', { x, y, 'text-anchor': anchor }), { textContent: content });
  const barWidth = hasMasked ? 200 : 312;
  const defs = svgElement('defs');
  defs.append(gradient);
  const parts = [
    defs,
    svgElement('rect', { x: 4, y: 4, width: barWidth, height: 18, fill: `url(#${id})`, stroke: cssColour(theme.rule) }),
    text(4, 40, format(low), 'start'), text(4 + barWidth, 40, format(high), 'end'),
  ];
  if (diverging) parts.push(text(4 + barWidth / 2, 40, format(0), 'middle'));
  if (hasMasked) {
    parts.push(svgElement('rect', { x: 220, y: 4, width: 18, height: 18, fill: cssColour(theme.track), stroke: cssColour(theme.rule) }),
      text(244, 17, 'masked', 'start'));
  }
  svg.replaceChildren(...parts);
  svg.setAttribute('aria-label', `Colour scale from ${format(low)} to ${format(high)}${hasMasked ? '; masked cells are grey' : ''}`);
}
