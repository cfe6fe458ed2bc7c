/**
 * Who attends to whom (part of `<self-attention>`): one heatmap per head of the weights
 * (or of the scores the softmax saw), the numbers of the cell under the pointer or the
 * focus, and how spread out each row is: its entropy and effective number of tokens,
 * per row and per head, and, with several heads, the entropy of their mixture.
 *
 * When the matrices are too large to show, the output too, as a heatmap of its own.
 * Heatmaps of weights, the statistics and the output carry `data-evidence="weights"`,
 * heatmaps of scores `data-evidence="scores"`, the cell's numbers both.
 */
import { Heatmap } from '../figures/heatmap.mjs';
import { formatNumber } from '../figures/matrix-view.mjs';
import { htmlElement } from './html-element.mjs';
import { concatenateHeads } from './attention-pipeline.mjs';

/** Rows of the statistics table shown in full up to this many queries (else the focused one). */
const statisticsRowLimit = 64;

const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** The largest of many numbers (a loop: spreading a million arguments overflows the stack). */
function largest(values) {
  let best = -Infinity;
  for (let index = 0; index < values.length; index++) if (values[index] > best) best = values[index];
  return best;
}

/** Whether weights are coloured from 0 to 1 or to the largest: `auto` is 1 up to 64 keys. */
const toOne = (domain, keys) => domain === 'one' || (domain === 'auto' && keys <= 64);

export class AttentionHeadsView {
  #maps = [];
  #onCell;
  #last = null;

  /** `onCell({ head, row, col, source })`: a cell hovered ('hover'), chosen ('focus'), or left ('leave'). */
  constructor({ onCell }) {
    this.#onCell = onCell;
    this.element = htmlElement('section', { class: 'heads-view' });
    this.heading = htmlElement('h3', {}, 'Who attends to whom');
    this.maps = htmlElement('div', { class: 'head-maps' });
    this.details = htmlElement('p', { class: 'cell-details', 'data-evidence': 'weights scores' });
    this.statistics = htmlElement('div', { class: 'statistics', 'data-evidence': 'weights' });
    this.output = htmlElement('div', { class: 'output-map', 'data-evidence': 'weights' });
    this.outputMap = new Heatmap({
      label: 'Output', rowTitle: 'query', columnTitle: 'output number', scale: 'diverging', format: formatNumber,
      fileName: 'attention-output', direction: 'Each row is one query\'s output: the weights\' blend of the values (every head\'s side by side).',
      onCell: ({ row, source }) => { if (source === 'focus') this.#onCell({ head: this.#focus.head, row, col: this.#focus.col, source }); },
    });
    this.output.append(htmlElement('h4', {}, 'The output O = weights · V'), this.outputMap.element);
    this.element.append(this.heading, this.maps, this.details, this.statistics, this.output);
  }

  #focus = { head: 0, row: 0, col: 0 };

  #heatmap(head, shown) {
    const key = `${head}:${shown}`;
    let entry = this.#maps[head];
    if (!entry || entry.key !== key) {
      const weights = shown === 'weights';
      const map = new Heatmap({
        label: weights ? 'Attention weights' : 'Scores before the softmax',
        scale: weights ? 'sequential' : 'diverging',
        format: (value) => (weights ? value.toFixed(2) : formatNumber(value)),
        fileName: `${weights ? 'attention-weights' : 'attention-scores'}-head-${head + 1}`,
        direction: weights
          ? 'Read it by rows: each row is a query, each column a key; a row\'s weights sum to 1.'
          : 'Read it by rows: each row is a query, each column a key; grey cells are masked (−∞).',
        onCell: ({ row, col, source }) => this.#onCell({ head, row, col, source }),
      });
      const figure = htmlElement('div', { class: 'head-map', 'data-evidence': shown, 'data-head': String(head) });
      figure.append(htmlElement('h4', {}, `Head ${head + 1}`), map.element);
      entry = { key, map, figure };
      this.#maps[head] = entry;
    }
    return entry;
  }

  /**
   * Draws every head's heatmap and the statistics for `result`; with `showOutput`, the
   * output too (when the matrices below are too large to show it).
   */
  update({ result, labels, queryLabels, shown, domain, focus, showOutput, outputLabels }) {
    this.#focus = focus;
    const { nq, nk, heads } = result;
    this.#maps.length = Math.min(this.#maps.length, heads);
    const source = shown === 'weights' ? result.weights : result.scores;
    const figures = [];
    for (let head = 0; head < heads; head++) {
      const { map, figure } = this.#heatmap(head, shown);
      figure.querySelector('h4').hidden = heads === 1;
      const values = source.subarray(head * nq * nk, (head + 1) * nq * nk);
      const range = shown === 'weights' ? [0, toOne(domain, nk) ? 1 : largest(values)] : undefined;
      map.update({ values, rows: nq, cols: nk, rowLabels: queryLabels, colLabels: labels, domain: range });
      if (head === focus.head) map.select(focus.row, focus.col);
      figures.push(figure);
    }
    if (figures.some((figure, index) => this.maps.children[index] !== figure) || this.maps.children.length !== figures.length) {
      this.maps.replaceChildren(...figures);
    }
    this.maps.classList.toggle('several', heads > 1);
    this.#last = { result, labels, queryLabels };
    this.output.hidden = !showOutput;
    if (showOutput) {
      const width = heads * result.dv;
      this.outputMap.update({ values: concatenateHeads(result.output, nq, heads, result.dv), rows: nq, cols: width, rowLabels: queryLabels, colLabels: outputLabels });
      this.outputMap.select(focus.row, 0);
    }
  }

  /** Moves every head's focus to (row, col), marking the row and column in `head`. */
  select({ head, row, col }) {
    this.#focus = { head, row, col };
    if (!this.output.hidden) this.outputMap.select(row, 0);
    this.#maps.forEach(({ map }, index) => {
      map.select(row, col);
      map.highlight(index === head ? { rows: [row], cols: [] } : {});
    });
    if (this.#last?.result.entropy) this.showStatistics(row);
  }

  /**
   * The numbers of one cell: `numbers` { dot, score, weight, contribution } from the
   * core; `valueLabels` names the contribution's entries when known.
   */
  showCell({ head, row, col, numbers, heads }) {
    const { labels, queryLabels } = this.#last;
    const { dot, score, weight, contribution } = numbers;
    const parts = [
      `${heads > 1 ? `Head ${head + 1}: ` : ''}query ${row + 1} "${queryLabels[row]}" → key ${col + 1} "${labels[col]}":`,
      `q·k = ${formatNumber(dot)},`,
      `score after scaling${score === -Infinity ? ' and the mask: −∞ (masked),' : ` = ${formatNumber(score)},`}`,
      `weight = ${formatNumber(weight)},`,
      `contribution to the output (weight × v) = (${[...contribution.slice(0, 6)].map(formatNumber).join(', ')}${contribution.length > 6 ? ', …' : ''}).`,
    ];
    this.details.textContent = parts.join(' ');
    Object.assign(this.details.dataset, {
      head: String(head), row: String(row), col: String(col), dot: String(dot), score: String(score), weight: String(weight),
      contribution: JSON.stringify([...contribution]),
    });
  }

  /** The entropies (once the result has them), the whole table or the focused row's. */
  showStatistics(focusRow) {
    if (!this.#last?.result.entropy) return;
    const { result, queryLabels } = this.#last;
    const { nq, heads, entropy, effectiveTokens, mixtureEntropy } = result;
    const perHead = (values, head) => [...values.subarray(head * nq, (head + 1) * nq)];
    const summary = htmlElement('p');
    summary.textContent = Array.from({ length: heads }, (_, head) => `${heads > 1 ? `head ${head + 1}: ` : ''}mean entropy ${formatNumber(mean(perHead(entropy, head)))} nats, `
      + `${formatNumber(mean(perHead(effectiveTokens, head)))} tokens on average`).join('; ')
      + ` (a uniform row over all ${result.nk} keys: ${formatNumber(Math.log(result.nk))} nats, ${result.nk} tokens; means over the rows of the core's per-row values).`;
    const rows = nq <= statisticsRowLimit ? Array.from({ length: nq }, (_, index) => index) : [focusRow];
    const table = htmlElement('table', { class: 'statistics-table' });
    table.append(htmlElement('caption', {}, nq <= statisticsRowLimit ? 'Entropy and effective number of tokens of every row'
      : `Row ${focusRow + 1} of ${nq} (the focused query): entropy and effective number of tokens`));
    const head = htmlElement('tr');
    head.append(htmlElement('th', { scope: 'col' }, 'query'));
    for (let h = 0; h < heads; h++) {
      const suffix = heads > 1 ? ` (head ${h + 1})` : '';
      head.append(htmlElement('th', { scope: 'col' }, `entropy${suffix}`), htmlElement('th', { scope: 'col' }, `tokens${suffix}`));
    }
    if (mixtureEntropy) head.append(htmlElement('th', { scope: 'col' }, 'entropy of the mixture'));
    table.append(head);
    for (const row of rows) {
      const line = htmlElement('tr', { 'data-row': String(row) });
      line.append(htmlElement('th', { scope: 'row' }, `${row + 1}: ${queryLabels[row]}`));
      for (let h = 0; h < heads; h++) {
        const e = entropy[h * nq + row], t = effectiveTokens[h * nq + row];
        line.append(htmlElement('td', { 'data-entropy': String(e) }, formatNumber(e)), htmlElement('td', { 'data-tokens': String(t) }, formatNumber(t)));
      }
      if (mixtureEntropy) line.append(htmlElement('td', { 'data-mixture': String(mixtureEntropy[row]) }, formatNumber(mixtureEntropy[row])));
      table.append(line);
    }
    const box = htmlElement('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Entropy table' });
    box.append(table);
    const details = this.statistics.querySelector('details') ?? htmlElement('details');
    if (!details.firstChild) details.append(htmlElement('summary', {}, 'Entropy and effective tokens of each row'));
    details.replaceChildren(details.firstChild, box);
    this.statistics.replaceChildren(htmlElement('h4', {}, 'How spread out is each row?'), summary, details);
  }
}
