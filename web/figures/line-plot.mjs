/**
 * A line plot in SVG, drawn with d3-scale (axes, ticks) and d3-shape (lines): one or more
 * named series of (x, y) points against a shared x, on a log or linear axis each, with
 * a marker at a chosen x. Beside the drawing it keeps the same numbers as an HTML table,
 * the plot's text alternative, each cell holding its full-precision value in
 * `data-value`. It knows nothing of what the numbers mean.
 */
import { scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import { svgElement } from './vector-plane.mjs';

const width = 480;
const height = 300;
const margin = { top: 34, right: 24, bottom: 46, left: 62 };

/** Styles for plots, for the widget's shadow root and for exported figures. */
export const linePlotStyles = `
  .line-plot { width: 100%; height: auto; display: block; font-family: system-ui, sans-serif; }
  .line-plot .tick line { stroke: #e3e3ea; }
  .line-plot .tick text, .line-plot .axis-label, .line-plot .legend text { font-size: 14px; fill: #1b1b1f; }
  .line-plot .axis-line { stroke: #4a4a55; stroke-width: 1.5; }
  .line-plot .series { fill: none; stroke-width: 2.5; }
  .line-plot .marker { stroke: #1b1b1f; stroke-width: 1.5; stroke-dasharray: 4 4; }
`;

function formatTick(value) {
  if (value === 0) return '0';
  if (Math.abs(value) >= 1e4 || Math.abs(value) < 1e-3) return value.toExponential(0).replace('e+', 'e');
  if (Number.isInteger(value)) return String(value); // 1024, not 1.02e3 rounded to 1020
  return String(Number(value.toPrecision(3)));
}

/**
 * The plot. `series`: [{ id, name, colour, dash }]; `xLabel`, `yLabel`: axis titles;
 * `xLog`, `yLog`: log axes; `yDomain`: fixed [min, max] (otherwise from the data);
 * `label`: what the figure shows, for assistive technology.
 */
export class LinePlot {
  constructor({ series, xLabel, yLabel, xLog = true, yLog = false, yDomain = null, label }) {
    Object.assign(this, { series, xLabel, yLabel, xLog, yLog, yDomain });
    this.svg = svgElement('svg', { class: 'line-plot', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label });
    this.table = document.createElement('table');
    this.table.className = 'data-table';
    const caption = document.createElement('caption');
    caption.textContent = label;
    this.tableHead = document.createElement('thead');
    this.tableBody = document.createElement('tbody');
    this.table.append(caption, this.tableHead, this.tableBody);
  }

  /** Draws `points` ({ seriesId: [[x, y], ...] }, the same xs for every series) with a marker at `markerX`. */
  update(points, markerX) {
    const xs = points[this.series[0].id].map(([x]) => x);
    const ys = this.series.flatMap(({ id }) => points[id].map(([, y]) => y));
    const x = (this.xLog ? scaleLog().base(2) : scaleLinear())
      .domain([Math.min(...xs), Math.max(...xs)])
      .range([margin.left, width - margin.right]);
    const yExtent = this.yDomain ?? (this.yLog
      ? [Math.min(...ys) / 1.5, Math.max(...ys) * 1.5]
      : [Math.min(0, ...ys), Math.max(...ys)]);
    const y = (this.yLog ? scaleLog() : scaleLinear()).domain(yExtent).range([height - margin.bottom, margin.top]);
    if (!this.yDomain && !this.yLog) y.nice();
    this.svg.replaceChildren(this.#axes(x, y, xs), ...this.#lines(x, y, points), this.#marker(x, markerX), this.#legend());
    this.#fillTable(points);
  }

  #axes(x, y, xs) {
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

  #lines(x, y, points) {
    const path = line().x(([px]) => x(px)).y(([, py]) => y(py));
    return this.series.map(({ id, colour, dash }) =>
      svgElement('path', { class: 'series', d: path(points[id]), stroke: colour, 'stroke-dasharray': dash ?? 'none' }));
  }

  #marker(x, markerX) {
    const [bottom, top] = [height - margin.bottom, margin.top];
    return svgElement('line', { class: 'marker', x1: x(markerX), x2: x(markerX), y1: top, y2: bottom });
  }

  #legend() {
    const group = svgElement('g', { class: 'legend' });
    let at = margin.left;
    for (const { name, colour, dash } of this.series) {
      group.append(svgElement('line', { x1: at, x2: at + 24, y1: 14, y2: 14, stroke: colour, 'stroke-width': 3, 'stroke-dasharray': dash ?? 'none' }));
      const text = svgElement('text', { x: at + 30, y: 14, 'dominant-baseline': 'middle' });
      text.textContent = name;
      group.append(text);
      at += 44 + 8 * name.length;
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
