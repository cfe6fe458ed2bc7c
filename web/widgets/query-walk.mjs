/**
 * One query through self-attention, step by step, with the actual numbers beside the
 * math (part of `<self-attention>`): its vector q_i; its score with every key, q_i·k_j,
 * one of them worked out term by term; the scaling; the mask; the softmax weights; and
 * the weighted sum of the values, the query's output. Every number comes from the core
 * through `result` (attention-pipeline.mjs) and the `core` helpers passed in.
 *
 * The steps that show scores carry `data-evidence="scores"`, those that show weights
 * `data-evidence="weights"` (cells: `data-evidence-cell`), so the widget can hold them
 * back until an exercise is answered.
 */
import { typeset } from '../figures/linked-formula.mjs';
import { formatNumber } from '../figures/matrix-view.mjs';
import { htmlElement } from './html-element.mjs';

/** At most this many keys are listed; with more, the largest weights and the focused key. */
const listLimit = 32;

/** Up to this many tokens a query or key is chosen from a list; beyond, by its number. */
const selectLimit = 64;

let chooserCount = 0;

/** The steps' formulas, typeset once each. */
const typesetCache = new Map();

const vectorText = (values, limit = 8) => {
  const shown = [...values.slice(0, limit)].map(formatNumber).join(', ');
  return `(${shown}${values.length > limit ? `, … ${values.length - limit} more` : ''})`;
};

/** The TeX of the scaling step for the settings. */
function scalingTex({ scaling, temperature }) {
  const divisor = { sqrt: '\\sqrt{d_k}', none: '1', l2: '\\lVert k_j \\rVert' }[scaling];
  const withT = temperature === 1 ? divisor : `${divisor === '1' ? '' : `${divisor}\\,`}T`;
  return `\\tilde s_{ij} = \\frac{s_{ij}}{${withT || '1'}}`;
}

/** The column title of the scaling step. */
const scalingTitle = ({ scaling, temperature }) =>
  `${{ sqrt: '÷√d_k', none: 'unscaled', l2: '÷|k_j|' }[scaling]}${temperature === 1 ? '' : ` ÷T (T = ${temperature})`}`;

export class QueryWalk {
  constructor({ onChoose }) {
    this.onChoose = onChoose;
    this.element = htmlElement('section', { class: 'walk' });
    this.heading = htmlElement('h3', {}, 'One query, step by step');
    this.pickers = htmlElement('div', { class: 'walk-pickers', part: 'query' });
    this.steps = htmlElement('ol', { class: 'walk-steps' });
    this.tableBox = htmlElement('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'The walked query against every key' });
    this.element.append(this.heading, this.pickers, this.steps, this.tableBox);
  }

  /**
   * A labelled chooser of one of `labels` (an index): a select while they are few, a
   * number field (1 to their count) beyond. Returns { element, set(index) }.
   */
  #chooser(title, labels, onChange, { numbered = true } = {}) {
    const id = `walk-chooser-${(chooserCount += 1)}`;
    const wrapper = htmlElement('div', { class: 'picker' });
    wrapper.append(htmlElement('label', { for: id }, title));
    let field;
    if (labels.length <= selectLimit) {
      field = htmlElement('select', { id });
      labels.forEach((label, index) => field.append(htmlElement('option', { value: String(index) }, numbered ? `${index + 1}: ${label}` : label)));
      field.addEventListener('change', () => onChange(Number(field.value)));
    } else {
      field = htmlElement('input', { id, type: 'number', min: '1', max: String(labels.length), step: '1', inputmode: 'numeric' });
      field.addEventListener('change', () => {
        const value = Number(field.value);
        if (Number.isInteger(value) && value >= 1 && value <= labels.length) onChange(value - 1);
      });
    }
    wrapper.append(field);
    return { element: wrapper, set: (index) => { field.value = String(labels.length <= selectLimit ? index : index + 1); } };
  }

  /** Rebuilds the choosers when the tokens or heads change, and shows the current choice. */
  #showPickers({ labels, queryLabels, heads, query, key, head }) {
    const signature = JSON.stringify([labels.length <= selectLimit ? labels : labels.length, queryLabels.length <= selectLimit ? queryLabels : queryLabels.length, heads]);
    if (signature !== this.pickerSignature) {
      this.pickerSignature = signature;
      const choice = () => ({ ...this.choice });
      this.choosers = [
        this.#chooser('Query', queryLabels, (i) => this.onChoose({ ...choice(), query: i })),
        this.#chooser('Key worked out', labels, (j) => this.onChoose({ ...choice(), key: j })),
        ...(heads > 1 ? [this.#chooser('Head', Array.from({ length: heads }, (_, h) => String(h + 1)), (h) => this.onChoose({ ...choice(), head: h }), { numbered: false })] : []),
      ];
      this.pickers.replaceChildren(...this.choosers.map(({ element }) => element));
    }
    this.choice = { query, key, head };
    [query, key, head].slice(0, this.choosers.length).forEach((index, at) => this.choosers[at].set(index));
  }

  /**
   * Shows the walk of query `query` (index) in head `head`, working out key `key` in
   * full. `core`: { scores(i), dot(i, j), contribution(i, j), contributions(i) } from the pipeline.
   */
  update({ result, labels, queryLabels, settings, query, key, head, sentence, core }) {
    const { nq, nk, dk, dv, heads } = result;
    this.#showPickers({ labels, queryLabels, heads, query, key, head });
    const at = (array, width, row, rowsPerHead) => array.subarray((head * rowsPerHead + row) * width, (head * rowsPerHead + row + 1) * width);
    const qi = at(result.q, dk, query, nq);
    const kj = at(result.k, dk, key, nk);
    const rowOf = (matrix) => (matrix ? matrix.subarray((head * nq + query) * nk, (head * nq + query + 1) * nk) : null);
    const weights = rowOf(result.weights);
    const scaledText = (j) => (scaled ? formatNumber(scaled[j]) : scores[j] === -Infinity ? 'masked (see the next step)' : formatNumber(scores[j]));
    const scores = core.scores(query);
    const raw = rowOf(result.rawScores) ?? null;
    const scaled = rowOf(result.scaledScores) ?? null;
    const output = at(result.output, dv, query, nq);
    const contributions = nk <= listLimit ? core.contributions(query) : null;
    const listed = this.#listedKeys(weights, key);
    const dot = raw ? raw[key] : core.dot(query, key);
    const factor = (value) => (value < 0 ? `(${formatNumber(value)})` : formatNumber(value));
    const products = [...qi].map((value, d) => `${factor(value)}·${factor(kj[d])}`);
    const worked = products.length <= 8 ? products.join(' + ') : `${products.slice(0, 4).join(' + ')} + … (${dk} terms)`;
    const qWord = queryLabels[query], kWord = labels[key];
    const step = (evidence, tex, ...content) => {
      const item = htmlElement('li', evidence ? { 'data-evidence': evidence } : {});
      if (!typesetCache.has(tex)) typesetCache.set(tex, typeset(tex, { tag: 'div' }));
      item.append(typesetCache.get(tex).cloneNode(true), ...content);
      return item;
    };
    const paragraph = (text) => htmlElement('p', {}, text);
    const x = sentence ? at(sentence.x, sentence.features.length, query, nq) : null;
    this.steps.replaceChildren(
      step(null, sentence ? 'q_i = x_i W_Q' : 'q_i',
        paragraph(sentence
          ? `The word "${qWord}" has the features x = ${vectorText(x)}; times W_Q they become its query q = ${vectorText(qi)}.`
          : `Query ${query + 1} is q = ${vectorText(qi)}.`)),
      step('scores', 's_{ij} = q_i \\cdot k_j = \\sum_{d=1}^{d_k} q_{id}\\, k_{jd}',
        paragraph(`Its score with each key is a dot product. With "${kWord}" (k = ${vectorText(kj)}): ${worked} = ${formatNumber(dot)}.`)),
      step('scores', scalingTex(settings),
        paragraph(settings.scaling === 'sqrt'
          ? `Divided by √d_k = √${dk}${settings.temperature === 1 ? '' : ` and by T = ${settings.temperature}`}: ${scaledText(key)} for "${kWord}".`
          : `Scaling: ${scalingTitle(settings)}; ${scaledText(key)} for "${kWord}".`)),
      ...(settings.mask === 'none' ? [] : [step('scores', 's_{ij} \\leftarrow -\\infty \\text{ for the keys query } i \\text{ may not see}',
        paragraph(settings.mask === 'causal'
          ? `The causal mask hides the keys after query ${query + 1}: their scores become −∞.`
          : `The local mask hides the keys more than ${settings.window} places away: their scores become −∞.`))]),
      step('weights', '\\alpha_{ij} = \\frac{e^{\\tilde s_{ij}}}{\\sum_l e^{\\tilde s_{il}}}',
        paragraph(`The softmax turns the row of scores into weights that sum to 1: "${kWord}" gets ${formatNumber(weights[key])}.`)),
      step('weights', 'o_i = \\sum_j \\alpha_{ij}\\, v_j',
        paragraph(`The output is the weights' blend of the values: o = ${vectorText(output)}.`)),
    );
    const rawOf = (j) => (raw ? raw[j] : core.dot(query, j));
    const contributionOf = (j) => (contributions ? contributions.subarray(j * dv, (j + 1) * dv) : core.contribution(query, j));
    this.#fillTable({ listed, labels, kAt: (j) => at(result.k, dk, j, nk), rawOf, scaled, scores, weights, contributionOf, settings, key, nk, dk });
  }

  /** Every key if few, else the largest weights and the focused key, in key order. */
  #listedKeys(weights, key) {
    const all = Array.from(weights, (_, index) => index);
    if (weights.length <= listLimit) return all;
    const top = all.sort((a, b) => weights[b] - weights[a]).slice(0, 16);
    return [...new Set([...top, key])].sort((a, b) => a - b);
  }

  #fillTable({ listed, labels, kAt, rawOf, scaled, scores, weights, contributionOf, settings, key, nk, dk }) {
    const table = htmlElement('table', { class: 'walk-table' });
    const caption = htmlElement('caption', {}, listed.length < nk
      ? `The ${listed.length} keys with the largest weights (of ${nk}), and the key worked out`
      : 'The query against every key');
    const columns = [
      ['key', null], [dk <= 8 ? 'k_j' : 'k_j (first numbers)', null], ['q·k_j', 'scores'], [scalingTitle(settings), 'scores'],
      ...(settings.mask === 'none' ? [] : [['after the mask', 'scores']]), ['weight α', 'weights'], ['α·v_j', 'weights'],
    ];
    const head = htmlElement('tr');
    for (const [title, evidence] of columns) head.append(htmlElement('th', { scope: 'col', ...(evidence ? { 'data-evidence-cell': evidence } : {}) }, title));
    table.append(caption, head);
    for (const j of listed) {
      const row = htmlElement('tr', { 'data-key': String(j), class: j === key ? 'worked' : '' });
      const cell = (text, evidence, data = {}) => htmlElement('td', { ...(evidence ? { 'data-evidence-cell': evidence } : {}), ...data }, text);
      const masked = scores[j] === -Infinity;
      row.append(htmlElement('th', { scope: 'row' }, `${j + 1}: ${labels[j]}`), cell(vectorText(kAt(j), 4)),
        cell(formatNumber(rawOf(j)), 'scores', { 'data-value': String(rawOf(j)) }),
        cell(scaled ? formatNumber(scaled[j]) : masked ? '·' : formatNumber(scores[j]), 'scores'),
        ...(settings.mask === 'none' ? [] : [cell(masked ? '−∞' : formatNumber(scores[j]), 'scores', { 'data-value': String(scores[j]) })]),
        cell(formatNumber(weights[j]), 'weights', { 'data-value': String(weights[j]) }),
        cell(vectorText(contributionOf(j), 4), 'weights'));
      table.append(row);
    }
    this.tableBox.replaceChildren(table);
  }
}

/** Styles of the walk, for the widget's shadow root. */
export const queryWalkStyles = `
  .walk-pickers { display: flex; flex-wrap: wrap; gap: 0.5rem 1.25rem; align-items: end; }
  .walk-steps { display: grid; gap: 0.5rem; padding-left: 1.5rem; }
  .walk-steps li p { margin: 0.2rem 0 0; }
  .walk-steps .katex { font-size: 1.15em; }
  .walk-table tr.worked th, .walk-table tr.worked td { font-weight: 700; }
`;

