/**
 * A heatmap of a rows × cols matrix, read as rows = queries, columns = keys (the titles
 * are the caller's), with its reading direction stated above it, a colour legend, and a
 * data table as its text alternative.
 *
 * Small matrices (up to `svgLimit` rows and columns) are drawn in SVG: each cell is a
 * focusable gridcell (one tab stop, arrow keys move) with its numbers in its accessible
 * name. Larger ones (up to 1024 × 1024 and beyond) are drawn on a canvas, one pixel per
 * cell; the plot is then one focusable element whose arrow keys move a cursor, announced
 * in a live region. Hovering a cell, tapping it, or moving the keyboard focus to it calls
 * `onCell({ row, col, source })` with source 'hover', 'focus' or 'leave', so the widget
 * shows that cell's numbers wherever it wants; `select(row, col)` moves the focus from
 * outside (linked views), `highlight({ rows, cols })` marks rows and columns.
 * The data table shows the whole matrix while it is small, else the focused row.
 * Colours come from the theme (theme-colours.mjs), read once and again when the page
 * switches between light and dark, changes the class or style of <html> or <body>, or
 * calls `redraw()`. Export: figure-export.mjs's SVG/PNG buttons
 * (`heatmap.exportControls`), the canvas embedded as an image when drawn on one.
 *
 *   const map = new Heatmap({ label: 'Attention weights', rowTitle: 'query',
 *     columnTitle: 'key', scale: 'sequential', format: (w) => w.toFixed(2),
 *     onCell: ({ row, col, source }) => showDetails(row, col) });
 *   root.append(styleElement(heatmapStyles + figureExportStyles), map.element);
 *   map.update({ values, rows, cols, rowLabels, colLabels, domain: [0, 1] });
 *
 * Keys: arrows move one cell, Page Up/Down eight rows, Home/End the row's ends
 * (with Ctrl the matrix's corners).
 */
import { svgElement } from './vector-plane.mjs';
import { figureExportControls } from './figure-export.mjs';
import { SvgCells, defaultDomain, drawCanvas, drawLegend, plural } from './heatmap-drawing.mjs';
import { heatmapTable } from './heatmap-table.mjs';
import { divergingScale, readTheme, sequentialScale, themeVar, watchColourScheme } from './theme-colours.mjs';

/** Styles for the heatmap, for a widget's shadow root (and exported figures). */
export const heatmapStyles = `
  .heatmap { display: grid; gap: 0.5rem; min-width: 0; margin: 0; }
  .heatmap-direction { margin: 0; color: ${themeVar('muted-text')}; font-size: 0.95rem; }
  .heatmap-svg { max-width: 100%; height: auto; display: block; font-family: system-ui, sans-serif; }
  .heatmap-svg text { font-size: 13px; }
  .heatmap-svg text:not([fill]) { fill: ${themeVar('text')}; }
  .heatmap-svg .heatmap-axis-title { font-size: 13px; fill: ${themeVar('muted-text')}; }
  .heatmap-cell { stroke: ${themeVar('background')}; stroke-width: 1; cursor: pointer; }
  .heatmap-cell:focus { outline: none; }
  .heatmap-band { fill: ${themeVar('highlight')}; fill-opacity: 0.35; pointer-events: none; }
  .heatmap-ring { fill: none; stroke: ${themeVar('focus')}; stroke-width: 3; pointer-events: none; vector-effect: non-scaling-stroke; }
  .heatmap-frame { display: grid; grid-template-columns: auto minmax(0, 1fr); grid-template-rows: auto auto; max-width: 40rem; }
  .heatmap-ticks { position: relative; font-size: 0.8rem; color: ${themeVar('muted-text')}; font-variant-numeric: tabular-nums; }
  .heatmap-ticks.columns { grid-column: 2; height: 1.4rem; }
  .heatmap-ticks.rows { grid-column: 1; width: 2.6rem; }
  .heatmap-ticks span { position: absolute; white-space: nowrap; }
  .heatmap-ticks.columns span { transform: translateX(-50%); bottom: 0.1rem; }
  .heatmap-ticks.rows span { transform: translateY(-50%); right: 0.3rem; }
  .heatmap-plot { position: relative; grid-column: 2; border: 1px solid ${themeVar('rule')}; }
  .heatmap-plot:focus-visible { outline: 3px solid ${themeVar('focus')}; outline-offset: 2px; }
  .heatmap-plot canvas { display: block; width: 100%; height: auto; max-height: 36rem; image-rendering: pixelated; cursor: crosshair; }
  .heatmap-plot svg { position: absolute; inset: 0; width: 100%; height: 100%; pointer-events: none; overflow: visible; }
  .heatmap-legend { display: block; width: 100%; max-width: 22rem; height: auto; }
  .heatmap-legend text { font-size: 12px; fill: ${themeVar('text')}; font-family: system-ui, sans-serif; }
  .heatmap-table-scroll { overflow: auto; max-height: 24rem; max-width: 100%; }
  .heatmap-table-scroll:focus-visible { outline: 3px solid ${themeVar('focus')}; outline-offset: 2px; }
  .heatmap table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
  .heatmap th, .heatmap td { padding: 0.2rem 0.45rem; border-bottom: 1px solid ${themeVar('grid')}; text-align: right; white-space: nowrap; }
  .heatmap caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; }
  .heatmap tr.focused-row th, .heatmap td.focused { background: ${themeVar('highlight')}; color: ${themeVar('text')}; }
  .heatmap details summary { cursor: pointer; min-height: 2.75rem; display: flex; align-items: center; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

let legendCount = 0;

/** Tick positions for `count` cells: at most about six, on round numbers. */
function tickIndices(count) {
  const step = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512].find((s) => count / s <= 6) ?? 1024;
  const ticks = [];
  for (let index = 0; index < count; index += step) ticks.push(index);
  return ticks;
}

export class Heatmap {
  #options;
  #data = null;
  #cursor = { row: 0, col: 0 };
  #marked = { rows: [], cols: [] };
  #mode = null;
  #room = 0;
  #theme = null;
  #svgCells;
  #canvasParts;

  constructor({
    label, rowTitle = 'query', columnTitle = 'key', scale = 'sequential', format = (value) => value.toFixed(2),
    describe = null, onCell = () => {}, svgLimit = 24, tableLimit = 24, fileName = 'heatmap', direction = null,
  }) {
    this.#options = { label, rowTitle, columnTitle, scale, format, describe, onCell, svgLimit, tableLimit, fileName, direction };
    this.element = document.createElement('figure');
    this.element.className = 'heatmap';
    const direction_ = document.createElement('p');
    direction_.className = 'heatmap-direction';
    direction_.textContent = direction
      ?? `Read it by rows: each row is one ${rowTitle}, each column one ${columnTitle}; a cell is how much that ${rowTitle} takes from that ${columnTitle}.`;
    this.drawing = document.createElement('div');
    this.legend = svgElement('svg', { class: 'heatmap-legend', viewBox: '0 0 320 44', role: 'img' });
    this.live = document.createElement('p');
    this.live.className = 'visually-hidden';
    this.live.setAttribute('aria-live', 'polite');
    this.exportControls = figureExportControls({
      getSvg: () => this.exportSvg(), styles: heatmapStyles, fileName, label: `the ${label.toLowerCase()} heatmap`,
    });
    const details = document.createElement('details');
    const summary = document.createElement('summary');
    summary.textContent = `${label}: the numbers as a table`;
    this.tableScroll = document.createElement('div');
    this.tableScroll.className = 'heatmap-table-scroll';
    this.tableScroll.tabIndex = 0;
    this.tableScroll.setAttribute('role', 'region');
    this.tableScroll.setAttribute('aria-label', `${label} table`);
    details.append(summary, this.tableScroll);
    details.addEventListener('toggle', () => this.#fillTable());
    this.details = details;
    this.element.append(direction_, this.drawing, this.legend, this.exportControls, details, this.live);
    this.#svgCells = new SvgCells({ label, rowTitle, columnTitle });
    this.#wireSvg();
    this.#canvasParts = this.#buildCanvas();
    watchColourScheme(() => this.redraw());
    // A page that switches its theme by a class or style on <html> or <body> gets redrawn too.
    const themeSwitch = new MutationObserver(() => this.redraw());
    for (const element of [document.documentElement, document.body]) {
      if (element) themeSwitch.observe(element, { attributes: true, attributeFilter: ['class', 'style', 'data-theme'] });
    }
    new ResizeObserver(([entry]) => {
      const width = Math.round(entry.contentRect.width);
      if (width && width !== this.#room) {
        this.#room = width;
        if (this.#mode === 'svg') this.#draw();
      }
    }).observe(this.drawing);
  }

  /** The focused cell. */
  get cursor() {
    return { ...this.#cursor };
  }

  /** Draws `values` (rows × cols, row-major; -Infinity = masked) with labels and a colour domain. */
  update({ values, rows, cols, rowLabels, colLabels, domain }) {
    const diverging = this.#options.scale === 'diverging';
    this.#data = {
      values, rows, cols,
      rowLabels: rowLabels ?? Array.from({ length: rows }, (_, index) => String(index + 1)),
      colLabels: colLabels ?? Array.from({ length: cols }, (_, index) => String(index + 1)),
      domain: domain ?? defaultDomain(values, diverging),
    };
    this.#cursor = { row: Math.min(this.#cursor.row, rows - 1), col: Math.min(this.#cursor.col, cols - 1) };
    this.#draw();
  }

  /** Draws again, reading the theme's colours afresh (after the page's theme changed). */
  redraw() {
    this.#theme = null;
    this.#draw();
  }

  #draw() {
    const data = this.#data;
    if (!data) return;
    const { rows, cols } = data;
    this.#theme ??= readTheme(this.element);
    const theme = this.#theme;
    const scale = this.#options.scale === 'diverging'
      ? divergingScale(theme.negative, theme.background, theme.positive)
      : sequentialScale(theme['heat-low'], theme['heat-high']);
    const mode = rows <= this.#options.svgLimit && cols <= this.#options.svgLimit ? 'svg' : 'canvas';
    if (mode !== this.#mode) {
      this.drawing.replaceChildren(mode === 'svg' ? this.#svgCells.svg : this.#canvasParts.frame);
      this.#mode = mode;
    }
    if (mode === 'svg') {
      const width = Math.min(640, this.#room || this.drawing.getBoundingClientRect().width || 640);
      this.#svgCells.update({ ...data, scale, theme, width, format: this.#options.format, describe: (r, c, v) => this.describe(r, c, v) });
    } else {
      drawCanvas(this.#canvasParts.canvas, { ...data, scale, masked: theme.track });
      this.#showTicks();
    }
    this.#drawLegend(scale, theme);
    this.#mark();
    this.#fillTable();
  }

  /** The text of a cell: the caller's `describe`, or titles, labels and the number. */
  describe(row, col, value = this.#data.values[row * this.#data.cols + col]) {
    if (this.#options.describe) return this.#options.describe(row, col, value);
    const { rowTitle, columnTitle, format } = this.#options;
    const { rowLabels, colLabels } = this.#data;
    return `${rowTitle} ${rowLabels[row]}, ${columnTitle} ${colLabels[col]}: ${value === -Infinity ? 'masked' : format(value)}`;
  }

  /** Moves the focus to (row, col) without telling `onCell` (the caller already knows). */
  select(row, col) {
    if (!this.#data) return;
    this.#cursor = { row: Math.max(0, Math.min(this.#data.rows - 1, row)), col: Math.max(0, Math.min(this.#data.cols - 1, col)) };
    this.#mark();
    this.#fillTable();
  }

  /** Marks whole rows and columns (linked highlighting); empty lists clear it. */
  highlight({ rows = [], cols = [] } = {}) {
    this.#marked = { rows, cols };
    this.#mark();
  }

  #mark() {
    if (!this.#data) return;
    if (this.#mode === 'svg') {
      this.#svgCells.mark(this.#cursor, this.#marked);
      return;
    }
    const { overlay, ring } = this.#canvasParts;
    const { rows, cols } = this.#data;
    overlay.setAttribute('viewBox', `0 0 ${cols} ${rows}`);
    const bands = [
      ...this.#marked.rows.map((r) => svgElement('rect', { class: 'heatmap-band', x: 0, y: r, width: cols, height: 1 })),
      ...this.#marked.cols.map((c) => svgElement('rect', { class: 'heatmap-band', x: c, y: 0, width: 1, height: rows })),
    ];
    // A cell of a large matrix is under a pixel: the ring keeps a visible size on each axis.
    const padX = Math.max(0.1, cols / 160), padY = Math.max(0.1, rows / 160);
    Object.entries({ x: this.#cursor.col - padX, y: this.#cursor.row - padY, width: 1 + 2 * padX, height: 1 + 2 * padY })
      .forEach(([name, value]) => ring.setAttribute(name, value));
    overlay.replaceChildren(...bands, ring);
  }

  /** A user moved to a cell: focus it, announce it, tell the caller. */
  #moveTo(row, col, source) {
    this.select(row, col);
    if (this.#mode === 'svg') this.#svgCells.cellElement(this.#cursor.row, this.#cursor.col)?.focus();
    else this.live.textContent = this.describe(this.#cursor.row, this.#cursor.col);
    this.#options.onCell({ ...this.#cursor, source });
  }

  #onKey(event) {
    if (!this.#data) return;
    const { rows, cols } = this.#data;
    let { row, col } = this.#cursor;
    const ctrl = event.ctrlKey || event.metaKey;
    switch (event.key) {
      case 'ArrowUp': row -= 1; break;
      case 'ArrowDown': row += 1; break;
      case 'ArrowLeft': col -= 1; break;
      case 'ArrowRight': col += 1; break;
      case 'PageUp': row -= 8; break;
      case 'PageDown': row += 8; break;
      case 'Home': col = 0; if (ctrl) row = 0; break;
      case 'End': col = cols - 1; if (ctrl) row = rows - 1; break;
      default: return;
    }
    event.preventDefault();
    this.#moveTo(Math.max(0, Math.min(rows - 1, row)), Math.max(0, Math.min(cols - 1, col)), 'focus');
  }

  #wireSvg() {
    const svg = this.#svgCells.svg;
    const cellOf = (target) => (target?.dataset?.row === undefined ? null
      : { row: Number(target.dataset.row), col: Number(target.dataset.col) });
    svg.addEventListener('keydown', (event) => this.#onKey(event));
    svg.addEventListener('pointerover', (event) => {
      const cell = cellOf(event.target);
      if (cell) this.#options.onCell({ ...cell, source: 'hover' });
    });
    svg.addEventListener('pointerleave', () => this.#options.onCell({ ...this.#cursor, source: 'leave' }));
    svg.addEventListener('click', (event) => {
      const cell = cellOf(event.target);
      if (cell) this.#moveTo(cell.row, cell.col, 'focus');
    });
    svg.addEventListener('focusin', (event) => {
      const cell = cellOf(event.target);
      if (cell && (cell.row !== this.#cursor.row || cell.col !== this.#cursor.col)) this.#moveTo(cell.row, cell.col, 'focus');
    });
  }

  #buildCanvas() {
    const frame = document.createElement('div');
    frame.className = 'heatmap-frame';
    const columnTicks = document.createElement('div');
    columnTicks.className = 'heatmap-ticks columns';
    columnTicks.setAttribute('aria-hidden', 'true');
    const rowTicks = document.createElement('div');
    rowTicks.className = 'heatmap-ticks rows';
    rowTicks.setAttribute('aria-hidden', 'true');
    const plot = document.createElement('div');
    plot.className = 'heatmap-plot';
    plot.tabIndex = 0;
    plot.setAttribute('role', 'group');
    plot.setAttribute('aria-roledescription', 'heatmap');
    const canvas = document.createElement('canvas');
    canvas.setAttribute('aria-hidden', 'true');
    const overlay = svgElement('svg', { preserveAspectRatio: 'none', 'aria-hidden': 'true' });
    const ring = svgElement('rect', { class: 'heatmap-ring' });
    plot.append(canvas, overlay);
    frame.append(document.createElement('span'), columnTicks, rowTicks, plot);
    const cellAt = (event) => {
      const box = canvas.getBoundingClientRect();
      const { rows, cols } = this.#data;
      return {
        row: Math.max(0, Math.min(rows - 1, Math.floor(((event.clientY - box.top) / box.height) * rows))),
        col: Math.max(0, Math.min(cols - 1, Math.floor(((event.clientX - box.left) / box.width) * cols))),
      };
    };
    plot.addEventListener('keydown', (event) => this.#onKey(event));
    plot.addEventListener('pointermove', (event) => {
      if (this.#data) this.#options.onCell({ ...cellAt(event), source: 'hover' });
    });
    plot.addEventListener('pointerleave', () => this.#options.onCell({ ...this.#cursor, source: 'leave' }));
    plot.addEventListener('click', (event) => {
      if (!this.#data) return;
      const { row, col } = cellAt(event);
      this.#moveTo(row, col, 'focus');
    });
    plot.addEventListener('focus', () => {
      if (this.#data) this.live.textContent = this.describe(this.#cursor.row, this.#cursor.col);
    });
    return { frame, columnTicks, rowTicks, plot, canvas, overlay, ring };
  }

  #showTicks() {
    const { rows, cols } = this.#data;
    const { columnTicks, rowTicks, plot } = this.#canvasParts;
    const tick = (index, count, side) => {
      const span = document.createElement('span');
      span.textContent = String(index + 1);
      span.style[side] = `${((index + 0.5) / count) * 100}%`;
      return span;
    };
    columnTicks.replaceChildren(...tickIndices(cols).map((index) => tick(index, cols, 'left')));
    rowTicks.replaceChildren(...tickIndices(rows).map((index) => tick(index, rows, 'top')));
    const { label, rowTitle, columnTitle } = this.#options;
    plot.setAttribute('aria-label', `${label}, ${rows} ${plural(rowTitle)} by ${cols} ${plural(columnTitle)}: `
      + 'arrow keys move between cells, Page Up and Page Down by eight rows');
  }

  #drawLegend(scale, theme) {
    this.legendId ??= `heatmap-legend-${(legendCount += 1)}`;
    drawLegend(this.legend, {
      id: this.legendId, scale, theme, domain: this.#data.domain, format: this.#options.format,
      diverging: this.#options.scale === 'diverging', hasMasked: this.#data.values.includes(-Infinity),
    });
  }

  #fillTable() {
    if (!this.#data || !this.details.open) return;
    this.tableScroll.replaceChildren(heatmapTable(this.#data, this.#options, this.#cursor));
  }

  /** A standalone SVG of the figure: the SVG itself, or the canvas as an image with its ticks. */
  exportSvg() {
    if (this.#mode === 'svg') return this.#svgCells.svg;
    const { rows, cols } = this.#data;
    const size = 600;
    const width = 60 + size, height = 40 + (size * rows) / cols;
    const svg = svgElement('svg', { viewBox: `0 0 ${width} ${height}`, class: 'heatmap-svg' });
    svg.append(svgElement('image', {
      href: this.#canvasParts.canvas.toDataURL('image/png'), x: 50, y: 30, width: size, height: height - 40,
      preserveAspectRatio: 'none', style: 'image-rendering: pixelated',
    }));
    const { rowTitle, columnTitle } = this.#options;
    const text = (attributes, content) => Object.assign(svgElement('text', attributes), { textContent: content });
    svg.append(text({ x: 50, y: 14 }, `${plural(columnTitle)} →  (1 to ${cols})`),
      text({ transform: `translate(14 30) rotate(90)` }, `${plural(rowTitle)} →  (1 to ${rows})`));
    return svg;
  }
}
