/**
 * A histogram in SVG: how a sample of numbers spreads, one or more named series over the
 * same fixed bins (so a wider spread looks wider as it grows), drawn as outlined steps
 * with a light fill, with optional marks (vertical lines, labelled beside them).
 * The y axis is the fraction of each series' sample in a bin. Values beyond the range
 * are counted in the end bins, and the figure says how many. Beside the drawing it keeps
 * the counts as an HTML table, its text alternative. It knows nothing of what the
 * numbers mean.
 */
import { scaleLinear } from 'd3-scale';
import { svgElement } from './vector-plane.mjs';
import { placeLabels } from './label-layout.mjs';
import { colour } from '../runtime/theme-colours.mjs';

/** The widest drawing, in SVG units; on a narrow screen the drawing is narrower so its text stays legible (fitTo). */
const widest = 480;
const narrowest = 300;
const height = 260;
const margin = { top: 40, right: 16, bottom: 46, left: 56 };

/** Styles for histograms, for the widget's shadow root and for exported figures. */
export const histogramStyles = `
  .histogram { width: 100%; height: auto; display: block; font-family: system-ui, sans-serif; }
  .histogram .tick line { stroke: ${colour('grid')}; }
  .histogram .tick text, .histogram .axis-label, .histogram .legend text { font-size: 14px; fill: ${colour('text')}; }
  .histogram .axis-line { stroke: ${colour('axis')}; stroke-width: 1.5; }
  .histogram .bars { stroke-width: 2; fill-opacity: 0.22; }
  .histogram .mark { stroke: ${colour('muted-text')}; stroke-width: 1.5; stroke-dasharray: 4 3; }
  .histogram .mark-label { font-size: 13px; fill: ${colour('muted-text')}; font-style: italic;
    paint-order: stroke; stroke: ${colour('background')}; stroke-width: 4px; stroke-linejoin: round; }
`;

/** Counts `values` into `bins` equal bins over [lo, hi]; values outside go to the end bins. Returns { counts, clipped }. */
export function binValues(values, [lo, hi], bins) {
  const counts = new Array(bins).fill(0);
  let clipped = 0;
  for (const value of values) {
    let index = Math.floor(((value - lo) / (hi - lo)) * bins);
    if (index < 0 || index >= bins) clipped += 1;
    index = Math.min(bins - 1, Math.max(0, index));
    counts[index] += 1;
  }
  return { counts, clipped };
}

const tickText = (value) => (Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(3))));

/**
 * The histogram. `series`: [{ id, name, colour (any CSS colour) }]; `domain`: [lo, hi];
 * `bins`: how many; `xLabel`, `yLabel`; `label`: what the figure shows, for assistive
 * technology.
 */
export class Histogram {
  constructor({ series, domain, bins, xLabel, yLabel = 'fraction of the sample', label }) {
    Object.assign(this, { series, domain, bins, xLabel, yLabel, label });
    this.svg = svgElement('svg', { class: 'histogram', viewBox: `0 0 ${widest} ${height}`, role: 'img', 'aria-label': label });
    this.width = widest;
    this.table = document.createElement('table');
    this.table.className = 'data-table';
    this.caption = document.createElement('caption');
    this.tableHead = document.createElement('thead');
    this.tableBody = document.createElement('tbody');
    this.table.append(this.caption, this.tableHead, this.tableBody);
  }

  /** Draws the histogram `pixels` wide (clamped to 300–480 units, so that its text is read at about its size), again. */
  fitTo(pixels) {
    const width = Math.round(Math.min(widest, Math.max(narrowest, pixels)));
    if (width === this.width) return;
    this.width = width;
    if (this.last) this.update(...this.last);
  }

  /** Draws `samples` ({ seriesId: numbers }) with `marks` ([{ x, label }]); `description` adds to the text alternative. */
  update(samples, { marks = [], description = '' } = {}) {
    this.last = [samples, { marks, description }];
    const width = this.width;
    this.svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    const binned = Object.fromEntries(this.series.map(({ id }) => [id, binValues(samples[id], this.domain, this.bins)]));
    const fractions = Object.fromEntries(this.series.map(({ id }) => {
      const total = samples[id].length || 1;
      return [id, binned[id].counts.map((count) => count / total)];
    }));
    const highest = Math.max(0.01, ...Object.values(fractions).flat());
    const x = scaleLinear().domain(this.domain).range([margin.left, width - margin.right]);
    const y = scaleLinear().domain([0, highest * 1.1]).nice().range([height - margin.bottom, margin.top]);
    const clipped = this.series.map(({ id, name }) => (binned[id].clipped ? `${binned[id].clipped} ${name} values beyond the range counted in the end bins` : ''))
      .filter(Boolean).join('; ');
    const text = [this.label, description, clipped].filter(Boolean).join('. ');
    this.svg.setAttribute('aria-label', text);
    this.caption.textContent = text;
    this.svg.replaceChildren(this.#axes(x, y), ...this.#bars(x, y, fractions), ...this.#marks(x, y, marks), this.#legend());
    this.#fillTable(binned);
  }

  #axes(x, y) {
    const group = svgElement('g');
    const [left, right] = x.range();
    const [bottom, top] = y.range();
    for (const value of x.ticks(this.width < 400 ? 5 : 8)) {
      const tick = svgElement('g', { class: 'tick', transform: `translate(${x(value)} 0)` });
      tick.append(svgElement('line', { y1: top, y2: bottom }),
        Object.assign(svgElement('text', { y: bottom + 18, 'text-anchor': 'middle' }), { textContent: tickText(value) }));
      group.append(tick);
    }
    for (const value of y.ticks(4)) {
      const tick = svgElement('g', { class: 'tick', transform: `translate(0 ${y(value)})` });
      tick.append(svgElement('line', { x1: left, x2: right }),
        Object.assign(svgElement('text', { x: left - 6, 'text-anchor': 'end', 'dominant-baseline': 'middle' }), { textContent: tickText(value) }));
      group.append(tick);
    }
    group.append(
      svgElement('line', { class: 'axis-line', x1: left, x2: right, y1: bottom, y2: bottom }),
      svgElement('line', { class: 'axis-line', x1: left, x2: left, y1: top, y2: bottom }),
      Object.assign(svgElement('text', { class: 'axis-label', x: (left + right) / 2, y: height - 6, 'text-anchor': 'middle' }), { textContent: this.xLabel }),
      Object.assign(svgElement('text', { class: 'axis-label', transform: `translate(14 ${(top + bottom) / 2}) rotate(-90)`, 'text-anchor': 'middle' }),
        { textContent: this.yLabel }),
    );
    return group;
  }

  #bars(x, y, fractions) {
    const [lo, hi] = this.domain;
    const binWidth = (hi - lo) / this.bins;
    const base = y(0);
    return this.series.map(({ id, colour: seriesColour }) => {
      let d = `M${x(lo)},${base}`;
      fractions[id].forEach((fraction, index) => {
        d += `V${y(fraction)}H${x(lo + (index + 1) * binWidth)}`;
      });
      d += `V${base}Z`;
      const path = svgElement('path', { class: 'bars', d, 'data-series': id });
      path.style.stroke = seriesColour;
      path.style.fill = seriesColour;
      return path;
    });
  }

  /** Vertical lines at each mark; a mark's label (if it has one) sits beside its line, at the top, where it fits. */
  #marks(x, y, marks) {
    const { width } = this;
    const [bottom, top] = y.range();
    const shown = marks.filter((mark) => mark.x >= this.domain[0] && mark.x <= this.domain[1]);
    const labelled = shown.filter((mark) => mark.label);
    const placed = placeLabels(labelled.map((mark) => ({
      anchor: [x(mark.x), top + 10], direction: 0, width: 7.2 * mark.label.length + 6, height: 18, gap: 4,
    })), { bounds: { x: 0, y: top, width, height: bottom - top } });
    return [
      ...shown.map((mark) => svgElement('line', { class: 'mark', x1: x(mark.x), x2: x(mark.x), y1: top, y2: bottom })),
      ...labelled.map((mark, index) => Object.assign(svgElement('text', {
        class: 'mark-label', x: placed[index].x, y: placed[index].y, 'text-anchor': 'middle', 'dominant-baseline': 'central',
      }), { textContent: mark.label })),
    ];
  }

  #legend() {
    const group = svgElement('g', { class: 'legend' });
    let at = margin.left - 20;
    for (const { name, colour: seriesColour } of this.series) {
      const swatch = svgElement('rect', { class: 'bars', x: at, y: 9, width: 18, height: 14 });
      swatch.style.stroke = seriesColour;
      swatch.style.fill = seriesColour;
      const text = svgElement('text', { x: at + 24, y: 16, 'dominant-baseline': 'middle' });
      text.textContent = name;
      group.append(swatch, text);
      at += 40 + 7.6 * name.length;
    }
    return group;
  }

  #fillTable(binned) {
    const [lo, hi] = this.domain;
    const binWidth = (hi - lo) / this.bins;
    const headRow = document.createElement('tr');
    for (const title of [`${this.xLabel} from`, 'to', ...this.series.map(({ name }) => `${name} count`)]) {
      const cell = document.createElement('th');
      cell.scope = 'col';
      cell.textContent = title;
      headRow.append(cell);
    }
    this.tableHead.replaceChildren(headRow);
    this.tableBody.replaceChildren(...Array.from({ length: this.bins }, (_, index) => {
      const row = document.createElement('tr');
      const from = document.createElement('th');
      from.scope = 'row';
      from.textContent = tickText(lo + index * binWidth);
      const to = document.createElement('td');
      to.textContent = tickText(lo + (index + 1) * binWidth);
      row.append(from, to, ...this.series.map(({ id }) => {
        const cell = document.createElement('td');
        cell.dataset.series = id;
        cell.dataset.value = String(binned[id].counts[index]);
        cell.textContent = String(binned[id].counts[index]);
        return cell;
      }));
      return row;
    }));
  }
}
