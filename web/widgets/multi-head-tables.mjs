/**
 * The two tables of `<multi-head>` (its text is the figure: every number readable, with
 * a small bar beside the entropies):
 * - `EntropyTable`: each word's entropy in each head (nats), the mean over the heads
 *   switched on, the entropy of their mixture (the heads' average row) and its
 *   exponential, the effective number of words the mixture attends to;
 * - `RetrievalTable`: for each relation, the mean cosine of the output to the value it
 *   should fetch, with three heads, with three heads and V = K, and with one wide head.
 */
import { formatNumber } from '../figures/matrix-view.mjs';
import { htmlElement } from './html-element.mjs';

/**
 * A scrolling, keyboard-reachable box around a table, under its title: the caption is
 * read by assistive technology, and shown above the box, where a phone does not cut it.
 */
function scrollBox(label, table, title) {
  table.prepend(htmlElement('caption', { class: 'visually-hidden' }, title));
  const box = htmlElement('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': label });
  box.append(table);
  const titled = htmlElement('div', { class: 'titled-table' });
  titled.append(htmlElement('p', { class: 'table-title', 'aria-hidden': 'true' }, title), box);
  return titled;
}

/** A cell with a number, its full value in data-<name>, and a bar of value / top. */
function numberCell(name, value, top, barClass = '') {
  const cell = htmlElement('td', { [`data-${name}`]: String(value) }, formatNumber(value));
  const bar = htmlElement('span', { class: `bar ${barClass}`, 'aria-hidden': 'true' });
  const fill = htmlElement('span');
  fill.style.width = `${Math.max(0, Math.min(100, (100 * value) / top)).toFixed(1)}%`;
  bar.append(fill);
  cell.append(bar);
  return cell;
}

const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;

export class EntropyTable {
  constructor() {
    this.element = htmlElement('div', { class: 'entropy-table' });
  }

  /** `entropy`: per word { heads (null when off), meanOfHeads, mixture, tokens } (multi-head-model.mjs). */
  update({ words, heads, active, entropy }) {
    const n = words.length;
    const top = Math.log(n);
    const summary = htmlElement('p');
    if (!active.some(Boolean)) {
      summary.textContent = 'Every head is switched off: there is no mixture to measure. Switch a head on.';
      this.element.replaceChildren(summary);
      return;
    }
    const meanOf = (pick) => mean(entropy.map(pick));
    const headMeans = heads.map((_, h) => (active[h]
      ? `head ${h + 1} ${formatNumber(meanOf((row) => row.heads[h]))} nats (${formatNumber(meanOf((row) => Math.exp(row.heads[h])))} words)` : null)).filter(Boolean);
    const mixture = meanOf((row) => row.mixture);
    summary.textContent = `Averaged over the ${n} words: ${headMeans.join(', ')}; the mean of the heads ${formatNumber(meanOf((row) => row.meanOfHeads))} nats; `
      + `the mixture ${formatNumber(mixture)} nats, about ${formatNumber(meanOf((row) => row.tokens))} words attended. `
      + `A row spread evenly over all ${n} words has ${formatNumber(top)} nats (ln ${n}); one on a single word has 0.`;
    summary.dataset.mixture = String(mixture);
    const table = htmlElement('table');
    const head = htmlElement('tr');
    head.append(htmlElement('th', { scope: 'col' }, 'word'));
    heads.forEach(({ name }, h) => head.append(htmlElement('th', { scope: 'col' }, `head ${h + 1}: ${name}`)));
    head.append(htmlElement('th', { scope: 'col' }, 'mean of the heads'), htmlElement('th', { scope: 'col' }, 'mixture'),
      htmlElement('th', { scope: 'col' }, 'words attended (e^mixture)'));
    const thead = htmlElement('thead');
    thead.append(head);
    const body = htmlElement('tbody');
    entropy.forEach((row, index) => {
      const line = htmlElement('tr', { 'data-row': String(index) });
      line.append(htmlElement('th', { scope: 'row' }, `${index + 1}: ${words[index]}`));
      row.heads.forEach((value) => {
        line.append(value === null ? htmlElement('td', { class: 'is-off' }, 'off') : numberCell('entropy', value, top));
      });
      line.append(numberCell('mean', row.meanOfHeads, top), numberCell('mixture', row.mixture, top, 'mixture'),
        htmlElement('td', { 'data-tokens': String(row.tokens) }, formatNumber(row.tokens)));
      body.append(line);
    });
    table.append(thead, body);
    this.element.replaceChildren(summary, scrollBox('Entropy table', table,
      'Entropy of each word\'s row (nats): each head, their mean, and the mixture of the heads'));
  }
}

const runs = [
  { id: 'separate', title: 'three heads' },
  { id: 'tied', title: 'three heads, V = K' },
  { id: 'wide', title: 'one wide head' },
];

export class RetrievalTable {
  constructor() {
    this.element = htmlElement('div', { class: 'retrieval-table' });
  }

  /** `retrieval`: relation → run → lab.retrieval's { cosine, mean, count }; `targets`: relation → Int32Array. */
  update({ heads, retrieval, words, targets }) {
    const table = htmlElement('table');
    const head = htmlElement('tr');
    head.append(htmlElement('th', { scope: 'col' }, 'relation'), ...runs.map(({ title }) => htmlElement('th', { scope: 'col' }, title)));
    const thead = htmlElement('thead');
    thead.append(head);
    const body = htmlElement('tbody');
    heads.forEach(({ name, relation }, h) => {
      const line = htmlElement('tr', { 'data-relation': relation });
      const count = retrieval[relation].separate.count;
      const title = htmlElement('th', { scope: 'row' }, name);
      title.append(htmlElement('span', { class: 'row-note' }, `head ${h + 1}'s columns, ${count} ${count === 1 ? 'word' : 'words'}`));
      line.append(title);
      for (const { id } of runs) {
        const { mean: value } = retrieval[relation][id];
        line.append(count ? numberCell('cosine', value, 1) : htmlElement('td', {}, 'no word has one'));
      }
      body.append(line);
    });
    table.append(thead, body);
    const pairs = heads.map(({ name, relation }) => {
      const list = [...targets[relation]].map((target, row) => (target >= 0 ? `${words[row]} → ${words[target]}` : null)).filter(Boolean);
      return `${name}: ${list.length ? list.join(', ') : 'none'}`;
    });
    const note = htmlElement('p', { class: 'note' }, `What each relation should fetch. ${pairs.join('. ')}.`);
    this.element.replaceChildren(scrollBox('Retrieval table', table,
      'How well each relation is retrieved: mean cosine of the output to the value it should fetch (1 is perfect)'), note);
  }
}
