/**
 * Two text views of a pointer chase (pointer-chase.mjs), read from the core's result:
 * - `ChasePath`: the path one start takes through the layers — where the query stands,
 *   which key the layer's attention picks (and with what weight), where the layer's
 *   output lands, and the true target after as many hops — as a line of tokens and as a
 *   table;
 * - `ChaseLandings`: where every start lands after the last layer against its true k-hop
 *   target, and the accuracy over all starts.
 * `chase` is { labels, n, layers (L shown), hops (k), positions, targets, weights } with
 * the core's positions (layers x n), targets (hops x n) and weights (layers x n x n).
 */
import { colour } from '../runtime/theme-colours.mjs';
import { htmlElement } from './html-element.mjs';

export const chasePathStyles = `
  .chase-path, .chase-landings { display: grid; gap: 0.5rem; min-width: 0; }
  .path-line { display: flex; flex-wrap: wrap; align-items: center; gap: 0.3rem 0.4rem; margin: 0; padding: 0; list-style: none; }
  .path-line li { display: inline-flex; align-items: center; gap: 0.4rem; }
  .path-token { display: inline-flex; align-items: center; justify-content: center; min-width: 2.2rem; min-height: 2.2rem;
    padding: 0 0.3rem; border-radius: 0.4rem; font-weight: 700; border: 2px solid ${colour('accent')}; }
  .path-token.wrong { border-color: ${colour('error')}; border-style: dashed; }
  .path-step { font-size: 0.85rem; color: ${colour('muted-text')}; }
  .verdict-right { color: ${colour('success')}; font-weight: 600; white-space: nowrap; }
  .verdict-wrong { color: ${colour('error')}; font-weight: 600; white-space: nowrap; }
  .table-title { margin: 0.5rem 0 0; font-weight: 600; }
  .accuracy-line { margin: 1rem 0 0; font-size: 1.1rem; }
  .accuracy-line strong { font-variant-numeric: tabular-nums; }
`;

const mark = (right) => htmlElement('span', { class: right ? 'verdict-right' : 'verdict-wrong' }, right ? '✓ right' : '✗ wrong');

/** The largest weight in row `row` of layer `layer`, and its column (the lowest on a tie). */
function peak(chase, layer, row) {
  const { n, weights } = chase;
  const base = (layer * n + row) * n;
  let best = 0;
  for (let col = 1; col < n; col++) if (weights[base + col] > weights[base + best]) best = col;
  return { col: best, weight: weights[base + best] };
}

/** Where start `s` stands after each of the first L layers. */
export const pathOf = (chase, s) => Array.from({ length: chase.layers }, (_, layer) => chase.positions[layer * chase.n + s]);

export class ChasePath {
  constructor() {
    this.element = htmlElement('div', { class: 'chase-path', 'data-view': 'path' });
    this.heading = htmlElement('p', { class: 'figure-title' });
    this.line = htmlElement('ol', { class: 'path-line' });
    this.answer = htmlElement('p', { class: 'path-answer' });
    this.table = htmlElement('table', { class: 'path-table' });
    const title = htmlElement('p', { class: 'table-title' }, 'Layer by layer: each layer’s output is the next layer’s query');
    const box = htmlElement('div', { class: 'table-scroll', tabindex: '0', role: 'group', 'aria-label': 'The path, layer by layer' });
    box.append(this.table);
    this.element.append(this.heading, this.line, this.answer, title, box);
  }

  update(chase, start) {
    const { labels, layers, hops, targets, n } = chase;
    const path = pathOf(chase, start);
    this.heading.textContent = `The chase started at ${labels[start]}, through ${layers} layer${layers > 1 ? 's' : ''}`;
    const truth = (step) => targets[(step - 1) * n + start];
    const items = [htmlElement('li', {}, '')];
    items[0].append(htmlElement('span', { class: 'path-token', 'data-step': '0' }, labels[start]));
    path.forEach((position, layer) => {
      const item = htmlElement('li');
      const right = position === truth(layer + 1);
      item.append(htmlElement('span', { class: 'path-step' }, `→ layer ${layer + 1} →`),
        htmlElement('span', { class: `path-token${right ? '' : ' wrong'}`, 'data-step': String(layer + 1), 'data-position': labels[position] }, labels[position]));
      items.push(item);
    });
    this.line.setAttribute('aria-label', `Path of ${labels[start]}: ${[labels[start], ...path.map((p) => labels[p])].join(', ')}`);
    this.line.replaceChildren(...items);
    const landing = path[layers - 1];
    const target = truth(hops);
    this.answer.replaceChildren(`After ${layers} layer${layers > 1 ? 's' : ''} it stands at ${labels[landing]}; the ${hops}-hop question's answer is ${labels[target]}: `,
      mark(landing === target));
    this.answer.dataset.landing = labels[landing];
    this.answer.dataset.target = labels[target];

    const head = htmlElement('tr');
    for (const title of ['layer', 'query stands at', 'attends most to (weight)', 'output nearest to', 'true target', 'verdict'])
      head.append(htmlElement('th', { scope: 'col' }, title));
    const rows = path.map((position, layer) => {
      const from = layer === 0 ? start : path[layer - 1];
      const { col, weight } = peak(chase, layer, start);
      const row = htmlElement('tr', { 'data-layer': String(layer + 1) });
      row.append(htmlElement('th', { scope: 'row' }, String(layer + 1)), htmlElement('td', {}, labels[from]),
        htmlElement('td', { 'data-weight': String(weight) }, `${labels[col]} (${weight.toFixed(3)})`),
        htmlElement('td', { 'data-position': labels[position] }, labels[position]),
        htmlElement('td', {}, `${labels[truth(layer + 1)]} (${layer + 1} hop${layer ? 's' : ''})`));
      const cell = htmlElement('td');
      cell.append(mark(position === truth(layer + 1)));
      row.append(cell);
      return row;
    });
    this.table.replaceChildren(htmlElement('caption', { class: 'visually-hidden' }, `The path of ${labels[start]}, layer by layer`), head, ...rows);
  }
}

export class ChaseLandings {
  constructor() {
    this.element = htmlElement('div', { class: 'chase-landings', 'data-view': 'landings' });
    this.summary = htmlElement('p', { class: 'accuracy-line', role: 'status' });
    this.table = htmlElement('table', { class: 'landings-table' });
    const box = htmlElement('div', { class: 'table-scroll', tabindex: '0', role: 'group', 'aria-label': 'Where every start lands' });
    box.append(this.table);
    this.element.append(this.summary, box);
  }

  /** Shows every start's landing; returns { correct, accuracy }. */
  update(chase) {
    const { labels, layers, hops, positions, targets, n } = chase;
    let correct = 0;
    const head = htmlElement('tr');
    for (const title of ['start', `after ${layers} layer${layers > 1 ? 's' : ''}`, `true ${hops}-hop target`, 'verdict'])
      head.append(htmlElement('th', { scope: 'col' }, title));
    const rows = labels.map((label, s) => {
      const lands = positions[(layers - 1) * n + s];
      const target = targets[(hops - 1) * n + s];
      if (lands === target) correct += 1;
      const row = htmlElement('tr', { 'data-start': label, 'data-lands': labels[lands], 'data-target': labels[target] });
      const verdict = htmlElement('td');
      verdict.append(mark(lands === target));
      row.append(htmlElement('th', { scope: 'row' }, label), htmlElement('td', {}, labels[lands]), htmlElement('td', {}, labels[target]), verdict);
      return row;
    });
    this.table.replaceChildren(htmlElement('caption', {}, `Every start after ${layers} layer${layers > 1 ? 's' : ''}, against its true ${hops}-hop target`), head, ...rows);
    const accuracy = correct / n;
    this.summary.replaceChildren(`${layers} layer${layers > 1 ? 's' : ''} on a ${hops}-hop question: `,
      htmlElement('strong', {}, `${correct} of ${n}`), ` starts land on their true target (accuracy `,
      htmlElement('strong', {}, String(Number(accuracy.toFixed(3)))), ').');
    this.summary.dataset.correct = String(correct);
    this.summary.dataset.accuracy = String(accuracy);
    return { correct, accuracy };
  }
}
