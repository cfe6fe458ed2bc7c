/**
 * A line plot in SVG, drawn with d3-scale (axes, ticks) and d3-shape (lines): one or more
 * named series of (x, y) points against a shared x, on a log or linear axis each, with
 * a marker at a chosen x and optional reference lines (y = x, a constant) labelled where
 * they are drawn. Each series has its own colour, dash and point symbol, so two series
 * that lie on top of each other stay visible. Beside the drawing it keeps the same
 * numbers as an HTML table, the plot's text alternative, each cell holding its
 * full-precision value in `data-value`. It knows nothing of what the numbers mean.
 */
import { scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import { svgElement } from './vector-plane.mjs';
import { placeLabels } from './label-layout.mjs';
import { colour } from '../runtime/theme-colours.mjs';

/** The widest drawing, in SVG units; on a narrow screen the drawing is narrower so its text stays legible (fitTo). */
const widest = 480;
const narrowest = 300;

/** Styles for plots, for the widget's shadow root and for exported figures. */
export const linePlotStyles = `
  .line-plot { width: 100%; height: auto; display: block; font-family: system-ui, sans-serif; }
  .line-plot .tick line { stroke: ${colour('grid')}; }
  .line-plot .tick text, .line-plot .axis-label, .line-plot .legend text { font-size: 14px; fill: ${colour('text')}; }
  .line-plot .axis-line { stroke: ${colour('axis')}; stroke-width: 1.5; }
  .line-plot .series { fill: none; }
  .line-plot .symbol { stroke-width: 1.5; fill: ${colour('background')}; }
  .line-plot .reference { stroke: ${colour('muted-text')}; stroke-width: 1.5; stroke-dasharray: 2 3; fill: none; }
  .line-plot .reference-label { font-size: 13px; fill: ${colour('muted-text')}; font-style: italic;
    paint-order: stroke; stroke: ${colour('background')}; stroke-width: 4px; stroke-linejoin: round; }
  .line-plot .marker { stroke: ${colour('text')}; stroke-width: 1.5; stroke-dasharray: 4 4; }
`;

function formatTick(value) {
  if (value === 0) return '0';
  if (Math.abs(value) >= 1e4 || Math.abs(value) < 1e-3) return value.toExponential(0).replace('e+', 'e');
  if (Number.isInteger(value)) return String(value); // 1024, not 1.02e3 rounded to 1020
  return String(Number(value.toPrecision(3)));
}

/** A point symbol ('circle', 'square', 'triangle', 'diamond'; a series may also have 'none': a bare line) of size `size` at (x, y). */
function symbol(kind, x, y, size = 4.5) {
  if (kind === 'square') return svgElement('rect', { x: x - size, y: y - size, width: 2 * size, height: 2 * size });
  if (kind === 'triangle') return svgElement('polygon', { points: `${x},${y - 1.2 * size} ${x + size * 1.1},${y + size * 0.8} ${x - size * 1.1},${y + size * 0.8}` });
  if (kind === 'diamond') return svgElement('polygon', { points: `${x},${y - 1.3 * size} ${x + 1.3 * size},${y} ${x},${y + 1.3 * size} ${x - 1.3 * size},${y}` });
  return svgElement('circle', { cx: x, cy: y, r: size });
}

const painted = (element, stroke, fill) => {
  if (stroke) element.style.stroke = stroke;
  if (fill) element.style.fill = fill;
  return element;
};

/**
 * The plot. `series`: [{ id, name, colour (any CSS colour, e.g. a theme var()), dash,
 * symbol, width }]; `xLabel`, `yLabel`: axis titles; `xLog`, `yLog`: log axes;
 * `xDomain`, `yDomain`: fixed [min, max] (otherwise from the data); `references`: [{ label,
 * y: (x) => value }] drawn as dotted lines; `label`: what the figure shows, for
 * assistive technology.
 */
export class LinePlot {
  constructor({ series, xLabel, yLabel, xLog = true, yLog = false, xDomain = null, yDomain = null, references = [], label }) {
    Object.assign(this, { series, xLabel, yLabel, xLog, yLog, xDomain, yDomain, references });
    this.svg = svgElement('svg', { class: 'line-plot', role: 'img', 'aria-label': label });
    this.width = widest;
    this.table = document.createElement('table');
    this.table.className = 'data-table';
    const caption = document.createElement('caption');
    caption.textContent = label;
    this.tableHead = document.createElement('thead');
    this.tableBody = document.createElement('tbody');
    this.table.append(caption, this.tableHead, this.tableBody);
  }

  /** Draws the plot `pixels` wide (clamped to 300–480 units, so that its text is read at about its size), again. */
  fitTo(pixels) {
    const width = Math.round(Math.min(widest, Math.max(narrowest, pixels)));
    if (width === this.width) return;
    this.width = width;
    if (this.last) this.update(...this.last);
  }

  /** The legend's entries placed in rows that fit the width: [{ entry, x, row }], and the number of rows. */
  #legendLayout(width) {
    let at = 20;
    let row = 0;
    const placed = this.series.map((entry) => {
      const span = 46 + 7.6 * entry.name.length;
      if (at + span > width - 8 && at > 20) {
        row += 1;
        at = 20;
      }
      const item = { entry, x: at, row };
      at += span;
      return item;
    });
    return { placed, rows: row + 1 };
  }

  /** Draws `points` ({ seriesId: [[x, y], ...] }, the same xs for every series) with a marker at `markerX`. */
  update(points, markerX) {
    this.last = [points, markerX];
    const width = this.width;
    const height = Math.round(Math.max(240, Math.min(300, width * 0.66)));
    const legend = this.#legendLayout(width);
    const margin = { top: 22 + 20 * legend.rows, right: 24, bottom: 46, left: 62 };
    this.frame = { width, height, margin, legend };
    this.svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    const xs = points[this.series[0].id].map(([x]) => x);
    const referencePoints = this.references.map((reference) => xs.map((x) => [x, reference.y(x)]));
    const ys = [...this.series.flatMap(({ id }) => points[id].map(([, y]) => y)), ...referencePoints.flat().map(([, y]) => y)]
      .filter((y) => Number.isFinite(y) && (!this.yLog || y > 0));
    const x = (this.xLog ? scaleLog().base(2) : scaleLinear())
      .domain(this.xDomain ?? [Math.min(...xs), Math.max(...xs)])
      .range([margin.left, width - margin.right]);
    const yExtent = this.yDomain ?? (this.yLog
      ? [Math.min(...ys) / 1.5, Math.max(...ys) * 1.5]
      : [Math.min(0, ...ys), Math.max(...ys) * 1.15]);
    const y = (this.yLog ? scaleLog() : scaleLinear()).domain(yExtent).range([height - margin.bottom, margin.top]);
    if (!this.yDomain && !this.yLog) y.nice();
    const pointBoxes = this.series.flatMap(({ id }) => points[id].flatMap(([px, py], index, all) => {
      const here = [x(px), y(py)];
      const next = all[index + 1] ? [x(all[index + 1][0]), y(all[index + 1][1])] : here;
      return [here, [(here[0] + next[0]) / 2, (here[1] + next[1]) / 2]].map(([cx, cy]) => ({ x: cx - 6, y: cy - 6, width: 12, height: 12 }));
    }));
    this.svg.replaceChildren(this.#axes(x, y, xs), ...this.#references(x, y, referencePoints, pointBoxes), ...this.#lines(x, y, points),
      this.#marker(x, markerX), this.#legend());
    this.#fillTable(points);
  }

  #axes(x, y, xs) {
    const { height } = this.frame;
    const group = svgElement('g');
    const [left, right] = x.range();
    const [bottom, top] = y.range();
    const xTicks = this.xLog ? xs.filter((value, index) => index % 2 === 0) : x.ticks(6);
    for (const value of xTicks) {
      const tick = svgElement('g', { class: 'tick', transform: `translate(${x(value)} 0)` });
      tick.append(svgElement('line', { y1: top, y2: bottom }),
        Object.assign(svgElement('text', { y: bottom + 18, 'text-anchor': 'middle' }), { textContent: formatTick(value) }));
      group.append(tick);
    }
    const yTicks = this.yLog ? y.ticks(5).filter((value) => Number.isInteger(Math.log10(value))) : y.ticks(5);
    for (const value of yTicks) {
      const tick = svgElement('g', { class: 'tick', transform: `translate(0 ${y(value)})` });
      tick.append(svgElement('line', { x1: left, x2: right }),
        Object.assign(svgElement('text', { x: left - 6, 'text-anchor': 'end', 'dominant-baseline': 'middle' }),
          { textContent: formatTick(value) }));
      group.append(tick);
    }
    group.append(
      svgElement('line', { class: 'axis-line', x1: left, x2: right, y1: bottom, y2: bottom }),
      svgElement('line', { class: 'axis-line', x1: left, x2: left, y1: top, y2: bottom }),
      Object.assign(svgElement('text', { class: 'axis-label', x: (left + right) / 2, y: height - 6, 'text-anchor': 'middle' }),
        { textContent: this.xLabel }),
      Object.assign(svgElement('text', {
        class: 'axis-label', transform: `translate(14 ${(top + bottom) / 2}) rotate(-90)`, 'text-anchor': 'middle',
      }), { textContent: this.yLabel }),
    );
    return group;
  }

  /** Reference lines, each labelled near its right end where no other label is. */
  #references(x, y, referencePoints, avoid) {
    const { width, margin } = this.frame;
    const [bottom, top] = y.range();
    const inside = ([px, py]) => Number.isFinite(py) && py >= Math.min(...y.domain()) && py <= Math.max(...y.domain()) && Boolean(px);
    const path = line().x(([px]) => x(px)).y(([, py]) => y(py)).defined(inside);
    const elements = [];
    const labels = [];
    this.references.forEach((reference, index) => {
      const shown = referencePoints[index].filter(inside);
      if (!shown.length) return;
      elements.push(svgElement('path', { class: 'reference', d: path(referencePoints[index]) }));
      const [lastX, lastY] = shown.at(-1);
      const labelWidth = 7.2 * reference.label.length + 6;
      labels.push({ text: reference.label, anchor: [x(lastX) - labelWidth / 2 - 2, y(lastY)], width: labelWidth, height: 18 });
    });
    // Just above the line's right end, or as near as fits.
    const placed = placeLabels(labels.map(({ anchor, width: labelWidth, height: labelHeight }) => ({
      anchor, direction: -Math.PI / 2, width: labelWidth, height: labelHeight, gap: 3,
    })), { soft: avoid, bounds: { x: margin.left, y: top, width: width - margin.left - margin.right, height: bottom - top } });
    labels.forEach(({ text }, index) => {
      const label = svgElement('text', { class: 'reference-label', x: placed[index].x, y: placed[index].y, 'text-anchor': 'middle', 'dominant-baseline': 'central' });
      label.textContent = text;
      elements.push(label);
    });
    return elements;
  }

  #lines(x, y, points) {
    const path = line().x(([px]) => x(px)).y(([, py]) => y(py));
    return this.series.map(({ id, colour: seriesColour, dash, symbol: kind = 'circle', width: lineWidth = 2.5 }) => {
      const group = svgElement('g', { 'data-series': id });
      const curve = painted(svgElement('path', { class: 'series', d: path(points[id]), 'stroke-dasharray': dash ?? 'none', 'stroke-width': lineWidth }), seriesColour);
      if (kind === 'none') {
        group.append(curve);
        return group;
      }
      group.append(curve, ...points[id].map(([px, py]) => {
        const mark = painted(symbol(kind, x(px), y(py)), seriesColour);
        mark.setAttribute('class', 'symbol');
        return mark;
      }));
      return group;
    });
  }

  #marker(x, markerX) {
    const { height, margin } = this.frame;
    const [bottom, top] = [height - margin.bottom, margin.top];
    return svgElement('line', { class: 'marker', x1: x(markerX), x2: x(markerX), y1: top, y2: bottom });
  }

  #legend() {
    const group = svgElement('g', { class: 'legend' });
    for (const { entry, x: at, row } of this.frame.legend.placed) {
      const { name, colour: seriesColour, dash, symbol: kind = 'circle', width: lineWidth = 2.5 } = entry;
      const y = 14 + 20 * row;
      group.append(painted(svgElement('line', { x1: at, x2: at + 26, y1: y, y2: y, 'stroke-width': Math.max(2.5, lineWidth), 'stroke-dasharray': dash ?? 'none' }), seriesColour));
      if (kind !== 'none') {
        const mark = painted(symbol(kind, at + 13, y), seriesColour);
        mark.setAttribute('class', 'symbol');
        group.append(mark);
      }
      const text = svgElement('text', { x: at + 32, y, 'dominant-baseline': 'middle' });
      text.textContent = name;
      group.append(text);
    }
    return group;
  }

  #fillTable(points) {
    const headRow = document.createElement('tr');
    for (const title of [this.xLabel, ...this.series.map(({ name }) => name)]) {
      const cell = document.createElement('th');
      cell.scope = 'col';
      cell.textContent = title;
      headRow.append(cell);
    }
    this.tableHead.replaceChildren(headRow);
    this.tableBody.replaceChildren(...points[this.series[0].id].map(([xValue], index) => {
      const row = document.createElement('tr');
      const header = document.createElement('th');
      header.scope = 'row';
      header.textContent = String(xValue);
      row.append(header, ...this.series.map(({ id }) => {
        const value = points[id][index][1];
        const cell = document.createElement('td');
        cell.dataset.series = id;
        cell.dataset.value = String(value);
        cell.textContent = value.toPrecision(4);
        return cell;
      }));
      return row;
    }));
  }
}
