/**
 * The matrices of self-attention, stage by stage (part of `<self-attention>`): X and the
 * projections W_Q, W_K, W_V; Q, K, V; the scores QKᵀ; the scaled scores; the masked
 * scores; the softmax weights; the output. Each is a MatrixView; the formula above them
 * (LinkedFormula) names each one, and hovering or focusing either lights the other.
 * The projections' cells are editable where the widget allows (W_Q and W_K of a
 * sentence). Shown while the matrices are small enough to read: up to 24 tokens.
 *
 * Matrices that show scores carry `data-evidence="scores"`, those showing weights or
 * the output `data-evidence="weights"`.
 */
import { MatrixView } from '../figures/matrix-view.mjs';
import { concatenateHeads } from './attention-pipeline.mjs';
import { htmlElement } from './html-element.mjs';

/** The most tokens (rows) and columns a stage matrix is shown with. */
export const stageLimits = { tokens: 24, width: 16 };

/** The stages in order: id (also the formula term it answers to), title, evidence. */
const stageList = [
  { id: 'x', title: 'X: one row of features per word', plain: 'x: one row per token' },
  { id: 'wq', title: 'W_Q: features → query slots', plain: 'W_Q' },
  { id: 'wk', title: 'W_K: features → key slots', plain: 'W_K' },
  { id: 'wv', title: 'W_V: features → value slots', plain: 'W_V' },
  { id: 'q', title: 'Q = X W_Q: what each word looks for', plain: 'Q: the queries' },
  { id: 'k', title: 'K = X W_K: what each word offers', plain: 'K: the keys' },
  { id: 'v', title: 'V = X W_V: what each word passes on', plain: 'V: the values' },
  { id: 'scores', title: 'QKᵀ: every query against every key', evidence: 'scores' },
  { id: 'scale', title: 'The scores scaled', evidence: 'scores' },
  { id: 'mask', title: 'The scores masked (−∞: hidden)', evidence: 'scores' },
  { id: 'softmax', title: 'softmax of each row: the attention weights', evidence: 'weights' },
  { id: 'output', title: 'O: the weights times V', evidence: 'weights' },
];

export class AttentionStages {
  #views = new Map();
  #boxes = new Map();

  #onEdit;
  #onTerm;
  #editable = [];

  /** `onEdit(id, row, col, value)` for editable cells; `onTerm(id | null)` when a matrix is hovered or focused. */
  constructor({ onEdit, onTerm }) {
    this.#onEdit = onEdit;
    this.#onTerm = onTerm;
    this.element = htmlElement('section', { class: 'stages' });
    this.heading = htmlElement('h3', {}, 'The matrices, stage by stage');
    this.note = htmlElement('p', { class: 'note' });
    this.grid = htmlElement('div', { class: 'stage-grid' });
    this.element.append(this.heading, this.note, this.grid);
    for (const { id, evidence } of stageList) {
      const box = htmlElement('div', { class: 'stage', 'data-stage': id, ...(evidence ? { 'data-evidence': evidence } : {}) });
      this.grid.append(box);
      this.#boxes.set(id, box);
      this.#place(id, false);
    }
  }

  /** Makes the view of stage `id` (editable or not) and puts it in its box. */
  #place(id, editable) {
    const { title } = stageList.find((stage) => stage.id === id);
    const view = new MatrixView({
      label: title,
      editable,
      onEdit: (row, col, value) => this.#onEdit(id, row, col, value),
      onCell: ({ source }) => this.#onTerm(source === 'leave' ? null : id),
      onFocusChange: (inside) => this.#onTerm(inside ? id : null),
    });
    this.#boxes.get(id).replaceChildren(view.element);
    this.#views.set(id, view);
  }

  /** Makes the cells of the stages in `editable` (of wq, wk) editable, the others not. */
  setEditable(editable) {
    for (const id of ['wq', 'wk']) {
      if (editable.includes(id) !== this.#editable.includes(id)) this.#place(id, editable.includes(id));
    }
    this.#editable = [...editable];
  }

  /** The matrices of `result` for `problem`; hides what is too large, saying why. */
  update({ result, problem, labels, queryLabels, sentence, head, settings }) {
    const { nq, nk, heads, dk, dv } = result;
    const small = nq <= stageLimits.tokens && nk <= stageLimits.tokens;
    this.grid.hidden = !small;
    this.note.textContent = small
      ? (heads > 1 ? `Q, K, V and O show every head side by side; the score matrices show head ${head + 1}.` : '')
      : `The matrices are shown up to ${stageLimits.tokens} tokens; this input has ${Math.max(nq, nk)}. The heatmaps above hold every score and weight (their tables show the focused row).`;
    if (!small) return;
    const slotLabels = sentence ? sentence.slotLabels : this.#columnLabels(heads, dk);
    const valueLabels = sentence ? sentence.valueLabels : this.#columnLabels(heads, dv);
    const perHead = (array) => array.subarray(head * nq * nk, (head + 1) * nq * nk);
    const show = (id, values, rows, cols, rowLabels, colLabels) => {
      const visible = Boolean(values) && cols <= stageLimits.width * Math.max(1, heads);
      this.#boxes.get(id).hidden = !visible;
      if (!visible) return;
      const view = this.#views.get(id);
      const { title, plain } = stageList.find((stage) => stage.id === id);
      view.setLabel(sentence || !plain ? title : plain);
      view.update({ values, rows, cols, rowLabels, colLabels });
    };
    const features = sentence?.features;
    show('x', problem.x, nq, problem.dIn, queryLabels, features);
    show('wq', problem.wq, problem.dIn, heads * dk, features, slotLabels);
    show('wk', problem.wk, problem.dIn, heads * dk, features, slotLabels);
    show('wv', settings.tieKV ? null : problem.wv, problem.dIn, heads * dv, features, valueLabels);
    show('q', concatenateHeads(result.q, nq, heads, dk), nq, heads * dk, queryLabels, slotLabels);
    show('k', concatenateHeads(result.k, nk, heads, dk), nk, heads * dk, labels, slotLabels);
    show('v', settings.tieKV ? null : concatenateHeads(result.v, nk, heads, dv), nk, heads * dv, labels, valueLabels);
    show('scores', perHead(result.rawScores), nq, nk, queryLabels, labels);
    show('scale', settings.scaling === 'none' && settings.temperature === 1 ? null : perHead(result.scaledScores), nq, nk, queryLabels, labels);
    show('mask', settings.mask === 'none' ? null : perHead(result.scores), nq, nk, queryLabels, labels);
    show('softmax', perHead(result.weights), nq, nk, queryLabels, labels);
    show('output', concatenateHeads(result.output, nq, heads, dv), nq, heads * dv, queryLabels, valueLabels);
  }

  #columnLabels(heads, width) {
    return Array.from({ length: heads * width }, (_, index) => (heads > 1 ? `h${Math.floor(index / width) + 1}.${(index % width) + 1}` : String(index + 1)));
  }

  /** Lights the matrix a formula term names (null: none). */
  link(id) {
    for (const [stage, view] of this.#views) view.setLinked(stage === id);
  }

  /** Marks the walked query's row and key's row (and their cell in the n × n stages). */
  highlight({ query, key }) {
    for (const [id, view] of this.#views) {
      if (['x', 'q', 'output'].includes(id)) view.highlight({ rows: [query] });
      else if (['k', 'v'].includes(id)) view.highlight({ rows: [key] });
      else if (['scores', 'scale', 'mask', 'softmax'].includes(id)) view.highlight({ cells: [[query, key]], rows: [] });
      else view.highlight();
    }
  }
}
