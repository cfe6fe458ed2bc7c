/**
 * `<self-attention>`: self-attention over a sentence (or any tokens), from words to the
 * attention map, every number computed by the attention core.
 *
 * A sentence's words become rows of named features X (the vocabulary, lessons/data/);
 * hand-designed W_Q, W_K, W_V turn them into queries, keys and values (a pronoun looks
 * for the noun it stands for, a verb for its subject); QKᵀ, scaled, optionally masked,
 * a softmax per row, the n × n weights (heatmap), and the output = weights · V. The full
 * formula is written out, each term linked both ways to the matrix it names; one query
 * is walked step by step; the cells of W_Q and W_K are editable. The same element, with
 * every control shown, is the playground: random or pasted input, up to 1024 tokens,
 * several heads, every scaling and mask (web/playground.html).
 *
 * Parameters: see `SelfAttention.parameters` (self-attention-state.mjs); `controls`
 * lists the controls shown, `sections` the parts (formula, heatmap, walk, stages).
 * State: every parameter but those two that differs from the attributes, as text. Evidence an exercise may hold back: `scores`, `weights`.
 * Quantities: words, n, dk, attendsMost.<word>, weight.<query word>.<key word>,
 * score.<q>.<k> (q·k before scaling), scaled.<q>.<k>, firstRowSelf, entropy.<word>,
 * effectiveTokens.<word> (head 1; a repeated word counts at its first place).
 *
 * Split into: self-attention-state (parameters), self-attention-problem (view →
 * problem), attention-pipeline (the core calls), attention-input, attention-settings,
 * attention-heads-view, query-walk, attention-stages, and the figures they draw with.
 *
 * For tests: `data-ready` once the core's numbers are shown; `data-n`, `data-heads`,
 * `data-dk`, `data-dv`; full-precision `data-value` on heatmap cells and matrix cells;
 * the cell details' `data-dot`, `data-score`, `data-weight`, `data-contribution`.
 */
import { loadLab } from '../runtime/lab.mjs';
import { loadLessonData } from '../runtime/lesson-data.mjs';
import { heatmapStyles } from '../figures/heatmap.mjs';
import { matrixViewStyles } from '../figures/matrix-view.mjs';
import { LinkedFormula, adoptKatexStyles, linkedFormulaStyles } from '../figures/linked-formula.mjs';
import { figureExportStyles } from '../figures/figure-export.mjs';
import { parameterSpecs, readView, stateNames, viewTexts } from './self-attention-state.mjs';
import { buildProblem } from './self-attention-problem.mjs';
import { addStatistics, argmax, computeAttention, contribution, dotProduct, rowContributions, scoreRow } from './attention-pipeline.mjs';
import { readVocabulary, vocabularyFile, formatEdits } from './sentence-vocabulary.mjs';
import { AttentionInput } from './attention-input.mjs';
import { AttentionSettings } from './attention-settings.mjs';
import { AttentionHeadsView } from './attention-heads-view.mjs';
import { QueryWalk, queryWalkStyles } from './query-walk.mjs';
import { AttentionStages, stageLimits } from './attention-stages.mjs';
import { formulaTerms, formulaTex } from './self-attention-formula.mjs';
import { selfAttentionStyles } from './self-attention-styles.mjs';
import { htmlElement } from './html-element.mjs';

/** Score matrices before the mask are computed (two more core calls) up to this many cells per head. */
const stagesCellLimit = 256 * 256;

export class SelfAttention extends HTMLElement {
  static parameters = Object.freeze(Object.fromEntries(Object.entries(parameterSpecs).map(([name, { accepts }]) => [name, accepts])));

  static stateAttributes = Object.freeze(Object.fromEntries(stateNames.map((name) => [name, name])));

  static evidence = Object.freeze({
    scores: 'the scores: QKᵀ, scaled and masked (matrices, heatmaps of scores, the walk\'s score steps)',
    weights: 'the attention weights and what follows from them: heatmaps, weights matrix, entropy, the walk\'s softmax and output',
  });

  #lab = null;
  #vocabulary = null;
  #view = null;
  #base = null;
  #built = null;
  #result = null;
  #withheld = new Set();
  #quantities = {};
  #parts = null;
  #generation = 0;
  #shownOnce = false;

  connectedCallback() {
    if (this.#parts) return;
    const root = this.attachShadow({ mode: 'open' });
    const style = htmlElement('style');
    style.textContent = selfAttentionStyles + heatmapStyles + matrixViewStyles + linkedFormulaStyles + figureExportStyles + queryWalkStyles;
    this.#parts = this.#build();
    root.append(style, this.#parts.element);
    adoptKatexStyles(root);
    this.#readAttributes();
    this.#view = { ...this.#base };
    Promise.all([loadLab(), loadLessonData(vocabularyFile)])
      .then(([lab, file]) => {
        this.#lab = lab;
        this.#vocabulary = readVocabulary(file);
        this.#parts.input.setVocabulary(this.#vocabulary);
        this.#recompute();
      })
      .catch((error) => {
        this.#parts.status.textContent = `The attention core could not be loaded: ${error.message}`;
        console.error(error);
      });
  }

  /** The starting view from the attributes; a text no parameter accepts is named on screen. */
  #readAttributes() {
    const attributes = Object.fromEntries(Object.keys(parameterSpecs).filter((name) => this.hasAttribute(name)).map((name) => [name, this.getAttribute(name)]));
    const { view, problems } = readView([attributes]);
    this.#base = view;
    this.#parts.problems.textContent = problems.map(({ name, text, accepts }) => `The attribute ${name}="${text}" is not valid: it accepts ${accepts}.`).join(' ');
  }

  get state() {
    if (!this.#view) return {};
    const now = viewTexts(this.#view), base = viewTexts(this.#base);
    return Object.fromEntries(Object.entries(now).filter(([name, text]) => text !== base[name]));
  }

  set state(texts) {
    if (!this.#base) return;
    this.#view = readView([Object.fromEntries(Object.entries(texts ?? {}).filter(([name]) => stateNames.includes(name))), viewTexts(this.#base)]).view;
    this.#view.controls = this.#base.controls;
    this.#view.sections = this.#base.sections;
    this.#recompute();
  }

  get withheld() {
    return new Set(this.#withheld);
  }

  set withheld(names) {
    this.#withheld = new Set([...(names ?? [])].filter((name) => Object.hasOwn(SelfAttention.evidence, name)));
    if (this.#parts) this.#applyWithheld();
  }

  get quantities() {
    return this.#quantities;
  }

  /** The current view (parameters as values), problem and result, for the playground page. */
  get snapshot() {
    return { view: { ...this.#view }, problem: this.#built?.problem ?? null, labels: this.#built?.labels, result: this.#result };
  }

  #build() {
    const element = htmlElement('div', { class: 'self-attention' });
    const problems = htmlElement('p', { class: 'attribute-problems', role: 'alert' });
    const input = new AttentionInput({ onChange: (patch, options) => this.#change(patch, options) });
    const settings = new AttentionSettings({ onChange: (patch) => this.#change(patch) });
    const formulaBox = htmlElement('section', { class: 'formula-box' });
    const heads = new AttentionHeadsView({ onCell: (cell) => this.#cell(cell) });
    const walk = new QueryWalk({ onChoose: (choice) => this.#choose(choice) });
    const stages = new AttentionStages({
      onEdit: (id, row, col, value) => this.#edit(id, row, col, value),
      onTerm: (id) => this.#link(id, 'stages'),
    });
    const status = htmlElement('p', { class: 'status', role: 'status' });
    element.append(problems, input.element, settings.element, formulaBox, heads.element, walk.element, stages.element, status);
    return { element, problems, input, settings, formulaBox, heads, walk, stages, status, formula: null, formulaKey: '' };
  }

  #announce(transient = false) {
    this.dispatchEvent(new CustomEvent('statechange', { detail: { transient } }));
  }

  #change(patch, { transient = false } = {}) {
    Object.assign(this.#view, patch);
    if ('source' in patch || 'paste' in patch) this.#view.heads = 1;
    this.#recompute();
    this.#announce(transient);
  }

  #edit(id, row, col, value) {
    const { sentence } = this.#built ?? {};
    if (!sentence || !['wq', 'wk'].includes(id) || this.#view.heads !== 1) return;
    const current = Float32Array.from(sentence[id]);
    current[row * this.#vocabulary.slots.length + col] = value;
    this.#change({ [id]: formatEdits(this.#vocabulary[id], current, this.#vocabulary.features, this.#vocabulary.slots) });
  }

  #choose({ query, key, head }) {
    Object.assign(this.#view, { query: query + 1, key: key + 1, head: head + 1 });
    this.#showWalk();
    this.#parts.heads.select({ head, row: query, col: key });
    this.#showCell({ head, row: query, col: key });
    this.#announce();
  }

  /** A heatmap cell hovered, chosen or left. */
  #cell({ head, row, col, source }) {
    if (source === 'focus') {
      this.#choose({ query: row, key: col, head });
      return;
    }
    const focus = this.#focus();
    this.#showCell(source === 'leave' ? focus : { head, row, col });
  }

  /** The walked query, key and head (indices), clamped to the result. */
  #focus() {
    const { nq, nk, heads } = this.#result;
    const clamp = (value, count) => Math.max(0, Math.min(count - 1, value - 1));
    return { head: clamp(this.#view.head, heads), row: clamp(this.#view.query, nq), col: clamp(this.#view.key, nk) };
  }

  #showCell({ head, row, col }) {
    const result = this.#result;
    const at = (head * result.nq + row) * result.nk + col;
    this.#parts.heads.showCell({
      head, row, col, heads: result.heads,
      numbers: {
        dot: result.rawScores ? result.rawScores[at] : dotProduct(this.#lab, result, head, row, col),
        score: scoreRow(this.#lab, result, head, row)[col], weight: result.weights[at],
        contribution: contribution(this.#lab, result, head, row, col),
      },
    });
  }

  /** Lights a formula term and the matrix (and heatmap) it names, from either side. */
  #link(id, from) {
    if (from !== 'formula') this.#parts.formula?.highlight(id);
    if (from !== 'stages') this.#parts.stages.link(id);
    this.#parts.heads.element.classList.toggle('is-linked', id === 'softmax');
  }

  #recompute() {
    if (!this.#lab || !this.#vocabulary) return;
    const built = buildProblem(this.#view, { vocabulary: this.#vocabulary, lab: this.#lab });
    const parts = this.#parts;
    parts.input.show(this.#view, { errors: built.errors, sentence: built.sentence ?? this.#built?.sentence, controls: this.#view.controls });
    const settled = built.problem ? built : this.#built;
    parts.settings.show(this.#view, { headChoices: this.#headChoices(settled), controls: this.#view.controls });
    if (!built.problem) {
      parts.status.textContent = this.#result ? 'Showing the last input that worked; the message above says what to fix.' : '';
      return;
    }
    parts.status.textContent = '';
    this.#built = built;
    const { nq, nk } = built.problem;
    const small = nq * nk <= stagesCellLimit;
    this.#generation += 1;
    this.#result = computeAttention(this.#lab, built.problem, { stages: small, scores: small || this.#view.shown === 'scores', statistics: small });
    this.#render();
  }

  /** The head counts that fit the input: with a sentence 1 or one per relation; else those dividing the widths. */
  #headChoices(built) {
    const counts = Array.from({ length: 16 }, (_, index) => index + 1);
    if (this.#view.source === 'sentence') return [1, this.#vocabulary.relations.length];
    if (this.#view.source === 'random') return counts;
    const problem = built?.problem;
    if (!problem) return [this.#view.heads];
    const widths = [problem.heads * problem.dk, problem.heads * problem.dv];
    return counts.filter((count) => widths.every((width) => width % count === 0));
  }

  #render() {
    const { problem, labels, queryLabels, sentence } = this.#built;
    const result = this.#result;
    const view = this.#view;
    const settings = { scaling: view.scaling, temperature: view.temperature, mask: view.mask, window: view.window, tieKV: view.tie };
    const formulaKey = JSON.stringify([settings, Boolean(problem.x)]);
    if (formulaKey !== this.#parts.formulaKey) {
      this.#parts.formula = new LinkedFormula({
        tex: formulaTex(settings, Boolean(problem.x)), terms: formulaTerms(settings, Boolean(problem.x)),
        onTerm: (id) => this.#link(id, 'formula'),
      });
      this.#parts.formulaBox.replaceChildren(htmlElement('h3', {}, 'The formula'), this.#parts.formula.element);
      this.#parts.formulaKey = formulaKey;
    }
    const sections = view.sections;
    this.#parts.formulaBox.hidden = !sections.includes('formula');
    this.#parts.heads.element.hidden = !sections.includes('heatmap');
    this.#parts.walk.element.hidden = !sections.includes('walk');
    this.#parts.stages.element.hidden = !sections.includes('stages');
    const focus = this.#focus();
    const small = result.nq <= stageLimits.tokens && result.nk <= stageLimits.tokens;
    const outputLabels = sentence ? sentence.valueLabels : Array.from({ length: result.heads * result.dv }, (_, index) => String(index + 1));
    this.#parts.heads.update({
      result, labels, queryLabels, shown: view.shown, domain: view.domain, focus,
      showOutput: !small, outputLabels,
    });
    if (this.#deferred(result)) {
      // A large input: the heatmaps show now; the entropies, the walk and the cell's
      // numbers follow once the browser has painted them.
      delete this.dataset.ready;
      const generation = (this.#generation += 1);
      requestAnimationFrame(() => setTimeout(() => {
        if (generation === this.#generation) this.#finish();
      }, 0));
      return;
    }
    this.#finish();
  }

  /** Whether the second half of an update waits for the next frame: beyond 256 × 256 cells per head. */
  #deferred(result) {
    return result.nq * result.nk > stagesCellLimit;
  }

  /** The second half of an update: statistics, matrices, the walk, the cell's numbers, quantities. */
  #finish() {
    const { problem, labels, queryLabels, sentence } = this.#built;
    const result = this.#result;
    const view = this.#view;
    const focus = this.#focus();
    if (!result.entropy) addStatistics(this.#lab, result);
    this.#parts.heads.showStatistics(focus.row);
    this.#parts.stages.setEditable(sentence && view.heads === 1 && view.controls.includes('edit') ? ['wq', 'wk'] : []);
    this.#parts.stages.update({
      result, problem, labels, queryLabels, sentence: sentence ? { ...sentence } : null, head: focus.head,
      settings: { scaling: view.scaling, temperature: view.temperature, mask: view.mask, window: view.window, tieKV: view.tie },
    });
    this.#showWalk();
    this.#showCell(focus);
    this.#publish();
    Object.assign(this.dataset, { n: String(result.nq), heads: String(result.heads), dk: String(result.dk), dv: String(result.dv), source: view.source });
    this.#applyWithheld();
    this.dataset.ready = '';
    if (!this.#shownOnce) {
      this.#shownOnce = true;
      // The quantities exist from now on: exercises that list them (choices) look again.
      this.#announce();
    }
  }

  #showWalk() {
    const { labels, queryLabels, sentence, problem } = this.#built;
    const focus = this.#focus();
    const result = this.#result;
    const view = this.#view;
    this.#parts.walk.pickers.hidden = !view.controls.includes('query');
    this.#parts.walk.update({
      result, labels, queryLabels, query: focus.row, key: focus.col, head: focus.head,
      settings: { scaling: view.scaling, temperature: view.temperature, mask: view.mask, window: view.window },
      sentence: sentence && problem.x ? sentence : null,
      core: {
        scores: (i) => scoreRow(this.#lab, result, focus.head, i),
        dot: (i, j) => dotProduct(this.#lab, result, focus.head, i, j),
        contribution: (i, j) => contribution(this.#lab, result, focus.head, i, j),
        contributions: (i) => rowContributions(this.#lab, result, focus.head, i),
      },
    });
    this.#parts.stages.highlight({ query: focus.row, key: focus.col });
    this.#applyWithheld();
  }

  /** What exercises may ask for (head 1; a repeated word counts at its first place; per word only up to 64 tokens). */
  #publish() {
    const { labels, queryLabels } = this.#built;
    const result = this.#result;
    const { nq, nk } = result;
    this.#quantities = { n: nq, dk: result.dk, firstRowSelf: result.weights[0] };
    if (nq > 64 || nk > 64) return;
    const first = (list) => new Map([...list].reverse().map((label, index) => [label, list.length - 1 - index]));
    const queries = first(queryLabels), keys = first(labels);
    const table = (matrix) => (matrix
      ? Object.fromEntries([...queries].map(([q, i]) => [q, Object.fromEntries([...keys].map(([k, j]) => [k, matrix[i * nk + j]]))]))
      : {});
    const perQuery = (values) => Object.fromEntries([...queries].map(([q, i]) => [q, values[i]]));
    Object.assign(this.#quantities, {
      words: [...keys.keys()],
      attendsMost: Object.fromEntries([...queries].map(([q, i]) => [q, labels[argmax(result.weights.subarray(i * nk, (i + 1) * nk))]])),
      weight: table(result.weights),
      score: table(result.rawScores),
      scaled: table(result.scaledScores),
      entropy: perQuery(result.entropy),
      effectiveTokens: perQuery(result.effectiveTokens),
    });
  }

  /** Hides the evidence an exercise holds back, each part with a note and a button to show it now. */
  #applyWithheld() {
    const root = this.shadowRoot;
    for (const element of root.querySelectorAll('[data-evidence]')) {
      const names = element.dataset.evidence.split(' ').filter((name) => this.#withheld.has(name));
      element.classList.toggle('is-withheld', names.length > 0);
      let note = element.previousElementSibling?.classList.contains('withheld-note') ? element.previousElementSibling : null;
      if (!names.length) {
        note?.remove();
        continue;
      }
      if (!note) {
        note = htmlElement('div', { class: 'withheld-note' });
        element.before(note);
      }
      const button = htmlElement('button', { type: 'button' }, `Show the ${names.join(' and ')} now`);
      button.addEventListener('click', () => this.#reveal(names));
      note.replaceChildren(htmlElement('p', {}, `Hidden until you answer the exercise about the ${names.join(' and ')}.`), button);
    }
    for (const cell of root.querySelectorAll('[data-evidence-cell]')) cell.classList.toggle('is-withheld', this.#withheld.has(cell.dataset.evidenceCell));
  }

  #reveal(names) {
    for (const name of names) {
      this.#withheld.delete(name);
      this.dispatchEvent(new CustomEvent('evidencereveal', { bubbles: true, composed: true, detail: { name } }));
    }
    this.#applyWithheld();
  }
}


customElements.define('self-attention', SelfAttention);
