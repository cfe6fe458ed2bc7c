/**
 * One row of logits and its softmax, one above the other on a shared x (the keys): the
 * logits as bars above and below zero (positive and negative colours), the weights as
 * bars from 0 to 1 with the uniform weight 1/n marked, and the largest of each
 * labelled. Beside the drawing it keeps the numbers as an HTML table, its text
 * alternative, with `data-logit` and `data-weight` on each row.
 */
import { scaleLinear } from 'd3-scale';
import { svgElement } from './vector-plane.mjs';
import { colour } from '../runtime/theme-colours.mjs';

/** The widest drawing, in SVG units; on a narrow screen the drawing is narrower so its text stays legible (fitTo). */
const widest = 480;
const narrowest = 320;
const height = 340;
const left = 52;
const right = 12;
const logitsTop = 34;
const logitsBottom = 150;
const weightsTop = 184;
const weightsBottom = 292;

/** Styles for the row chart, for the widget's shadow root and for exported figures. */
export const softmaxRowStyles = `
  .softmax-row { width: 100%; height: auto; display: block; font-family: system-ui, sans-serif; }
  .softmax-row text { font-size: 13px; fill: ${colour('text')}; }
  .softmax-row .panel-title { font-size: 14px; font-weight: 600; }
  .softmax-row .note { fill: ${colour('muted-text')}; font-style: italic; }
  .softmax-row .grid { stroke: ${colour('grid')}; }
  .softmax-row .baseline { stroke: ${colour('axis')}; stroke-width: 1.5; }
  .softmax-row .positive { fill: ${colour('positive')}; }
  .softmax-row .negative { fill: ${colour('negative')}; }
  .softmax-row .weight { fill: ${colour('accent')}; }
  .softmax-row .uniform { stroke: ${colour('muted-text')}; stroke-width: 1.5; stroke-dasharray: 2 3; }
`;

const text = (content, attributes) => Object.assign(svgElement('text', attributes), { textContent: content });
const tick = (value) => String(Number(value.toPrecision(3)));

export class SoftmaxRow {
  constructor() {
    this.svg = svgElement('svg', { class: 'softmax-row', viewBox: `0 0 ${widest} ${height}`, role: 'img' });
    this.width = widest;
    this.table = document.createElement('table');
    this.caption = document.createElement('caption');
    const head = document.createElement('thead');
    const headRow = document.createElement('tr');
    for (const title of ['key', 'logit', 'weight']) {
      const cell = document.createElement('th');
      cell.scope = 'col';
      cell.textContent = title;
      headRow.append(cell);
    }
    head.append(headRow);
    this.body = document.createElement('tbody');
    this.table.append(this.caption, head, this.body);
  }

  /** Draws the chart `pixels` wide (clamped to 320–480 units, so that its text is read at about its size), again. */
  fitTo(pixels) {
    const width = Math.round(Math.min(widest, Math.max(narrowest, pixels)));
    if (width === this.width) return;
    this.width = width;
    if (this.last) this.update(...this.last);
  }

  /** Draws `logits` and their softmax `weights`; `label` says what the row is. */
  update(logits, weights, label) {
    this.last = [logits, weights, label];
    const width = this.width;
    this.svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    const count = logits.length;
    const slot = (width - left - right) / count;
    const reach = Math.max(1, ...Array.from(logits, Math.abs));
    const logitY = scaleLinear().domain([-reach, reach]).nice(4).range([logitsBottom, logitsTop]);
    const weightY = scaleLinear().domain([0, 1]).range([weightsBottom, weightsTop]);
    const top = Array.from(weights).indexOf(Math.max(...weights));
    const parts = [
      text('logits', { class: 'panel-title', x: left, y: logitsTop - 14 }),
      text('softmax weights', { class: 'panel-title', x: left, y: weightsTop - 14 }),
    ];
    for (const value of logitY.ticks(4)) {
      parts.push(svgElement('line', { class: 'grid', x1: left, x2: width - right, y1: logitY(value), y2: logitY(value) }),
        text(tick(value), { x: left - 6, y: logitY(value), 'text-anchor': 'end', 'dominant-baseline': 'middle' }));
    }
    for (const value of [0, 0.5, 1]) {
      parts.push(svgElement('line', { class: 'grid', x1: left, x2: width - right, y1: weightY(value), y2: weightY(value) }),
        text(String(value), { x: left - 6, y: weightY(value), 'text-anchor': 'end', 'dominant-baseline': 'middle' }));
    }
    Array.from(logits).forEach((logit, index) => {
      const x = left + index * slot + 2;
      const [y1, y2] = [logitY(Math.max(0, logit)), logitY(Math.min(0, logit))];
      parts.push(svgElement('rect', { class: logit >= 0 ? 'positive' : 'negative', x, y: y1, width: slot - 4, height: Math.max(0.5, y2 - y1) }));
      const barTop = weightY(weights[index]);
      parts.push(svgElement('rect', { class: 'weight', x, y: barTop, width: slot - 4, height: weightsBottom - barTop }));
      if (slot >= 22 || index % 2 === 0) parts.push(text(String(index + 1), { x: x + (slot - 4) / 2, y: weightsBottom + 16, 'text-anchor': 'middle' }));
    });
    const uniform = weightY(1 / count);
    parts.push(svgElement('line', { class: 'baseline', x1: left, x2: width - right, y1: logitY(0), y2: logitY(0) }),
      svgElement('line', { class: 'baseline', x1: left, x2: width - right, y1: weightsBottom, y2: weightsBottom }),
      svgElement('line', { class: 'uniform', x1: left, x2: width - right, y1: uniform, y2: uniform }),
      text(`uniform 1/${count}`, { class: 'note', x: width - right, y: uniform - 6, 'text-anchor': 'end' }),
      text(`largest: logit ${logits[top].toFixed(2)} → weight ${weights[top].toFixed(3)}`,
        { class: 'note', x: 8, y: height - 6 }));
    this.svg.replaceChildren(...parts);
    this.svg.setAttribute('aria-label', `${label}: bar charts of ${count} logits and their softmax weights; `
      + `the largest logit is ${logits[top].toFixed(2)}, with weight ${weights[top].toFixed(3)}`);
    this.caption.textContent = label;
    this.body.replaceChildren(...Array.from(logits, (logit, index) => {
      const row = document.createElement('tr');
      row.dataset.logit = String(logit);
      row.dataset.weight = String(weights[index]);
      const key = document.createElement('th');
      key.scope = 'row';
      key.textContent = String(index + 1);
      const logitCell = document.createElement('td');
      logitCell.textContent = logit.toFixed(3);
      const weightCell = document.createElement('td');
      weightCell.textContent = weights[index].toFixed(4);
      row.append(key, logitCell, weightCell);
      return row;
    }));
  }
}
