/**
 * `<multi-head>`: one sentence, three attention heads, each built by hand to pick up one
 * relation (the word just before, a word of the same kind, the noun a pronoun stands
 * for), every number from the attention core (lab.multiHeadAttention, lab.retrieval).
 *
 * Shown: a heatmap of weights per head; the combined output (the heads' outputs side by
 * side); each word's entropy in each head against the entropy of the heads' mixture and
 * its exponential, the effective number of words attended; the same matrices run as one
 * head as wide as all three (its heatmap), and how well each relation's target is
 * retrieved (cosine of the output to the value it should fetch) by the three heads, by
 * the three heads with values tied to keys (V = K) and by the wide head. The learner
 * edits the sentence (words of the vocabulary), switches heads on and off, and ties K
 * and V for the main view.
 *
 * Contract (lessons/README.md, "Writing a widget"): parameters sentence, heads, tie, and
 * sections and controls (what a lesson shows where; not part of the state); `state` in
 * the URL; `statechange`; `quantities` (multi-head-model.mjs); `data-ready`; CSS parts
 * sentence, words, heads, tie; evidence heads, entropy, retrieval.
 * For tests: `data-sentence`, `data-heads`, `data-tie` on the element; full-precision
 * `data-value` on heatmap cells; `data-entropy`, `data-mean`, `data-mixture`,
 * `data-tokens` on the entropy table's cells; `data-cosine` on the retrieval table's.
 */
import { loadLab } from '../runtime/lab.mjs';
import { loadLessonData } from '../runtime/lesson-data.mjs';
import { shadowResetCss } from '../runtime/shadow-reset.mjs';
import { ParameterMessage, parameterMessageStyles, readParameters } from '../runtime/widget-parameters.mjs';
import { WithheldPlaceholder, evidenceSet, withheldStyles } from '../runtime/withheld-evidence.mjs';
import { Heatmap, heatmapStyles } from '../figures/heatmap.mjs';
import { figureExportStyles } from '../figures/figure-export.mjs';
import { formatNumber } from '../figures/matrix-view.mjs';
import { readVocabulary, tokenize, vocabularyFile } from './sentence-vocabulary.mjs';
import { kindOf, multiHeadFile, readMultiHeadDesign } from './multi-head-design.mjs';
import { computeMultiHead, unknownWords } from './multi-head-model.mjs';
import { EntropyTable, RetrievalTable } from './multi-head-tables.mjs';
import { multiHeadStyles } from './multi-head-styles.mjs';
import { htmlElement } from './html-element.mjs';

const defaultSentence = 'the cat chased the birds because it was hungry';
const headCount = 3;
export const sentenceLimits = Object.freeze({ min: 2, max: 12 });

/** Words from text when there are 2 to 12 of them, else null (the vocabulary is checked once it is loaded). */
function readSentence(text) {
  const words = tokenize(text);
  return words.length >= sentenceLimits.min && words.length <= sentenceLimits.max ? words.join(' ') : null;
}

/** "1,3" → [true, false, true]; "none" → all off; anything else null. */
function readHeads(text) {
  const cleaned = String(text).trim().toLowerCase();
  if (cleaned === 'none') return Array(headCount).fill(false);
  const parts = cleaned.split(',').map((part) => part.trim());
  if (!parts.every((part) => /^[1-3]$/.test(part)) || new Set(parts).size !== parts.length) return null;
  return Array.from({ length: headCount }, (_, h) => parts.includes(String(h + 1)));
}

const headsText = (active) => (active.some(Boolean) ? active.map((on, h) => (on ? String(h + 1) : '')).filter(Boolean).join(',') : 'none');

const readTie = (text) => ({ true: true, false: false }[String(text).trim()] ?? null);

const sectionNames = ['heads', 'output', 'entropy', 'retrieval'];
const controlNames = ['sentence', 'heads', 'tie'];

/** "all", "none" (controls only) or a list of distinct names from `names` → the Set of names; else null. */
const readList = (names, allowNone) => (text) => {
  const cleaned = String(text).trim().toLowerCase();
  if (cleaned === 'all') return new Set(names);
  if (allowNone && cleaned === 'none') return new Set();
  const parts = cleaned.split(',').map((part) => part.trim());
  return parts.every((part) => names.includes(part)) && new Set(parts).size === parts.length ? new Set(parts) : null;
};

const readers = { sentence: readSentence, heads: readHeads, tie: readTie };
const layoutReaders = { sections: readList(sectionNames, false), controls: readList(controlNames, true) };
const defaults = { sentence: defaultSentence, heads: [true, true, true], tie: false };

/** Two decimals, with a true minus sign: what fits in a heatmap cell. */
const twoDecimals = (value) => (Math.abs(value) < 0.005 ? '0.00' : value.toFixed(2).replace('-', '−'));

export class MultiHead extends HTMLElement {
  static parameters = Object.freeze({
    sentence: `words of the vocabulary separated by spaces, ${sentenceLimits.min} to ${sentenceLimits.max} of them`,
    heads: 'the heads switched on: numbers from 1 to 3 separated by commas (such as "1,3"), or "none"',
    tie: '"true" (values tied to keys, V = K) or "false"',
    sections: `"all" or a list of ${sectionNames.join(', ')} (the parts shown)`,
    controls: `"all", "none" or a list of ${controlNames.join(', ')} (the controls shown)`,
  });

  static stateAttributes = Object.freeze({ sentence: 'sentence', heads: 'heads', tie: 'tie' });

  static evidence = Object.freeze({
    heads: 'the heatmap of each head\'s weights',
    entropy: 'the entropies of the heads and of their mixture',
    retrieval: 'how well each relation is retrieved, and the wide head\'s heatmap',
  });

  #lab = null;
  #vocabulary = null;
  #design = null;
  #attributes = { values: {}, problems: [] };
  #layout = { sections: new Set(sectionNames), controls: new Set(controlNames) };
  #view = { ...defaults };
  #result = null;
  #parts = null;
  #quantities = {};
  #withheld = new Set();

  connectedCallback() {
    if (this.#parts) return;
    this.#attributes = readParameters(this, { ...readers, ...layoutReaders });
    this.#layout = { sections: this.#attributes.values.sections ?? new Set(sectionNames), controls: this.#attributes.values.controls ?? new Set(controlNames) };
    delete this.#attributes.values.sections;
    delete this.#attributes.values.controls;
    this.#view = { ...defaults, ...this.#attributes.values };
    const root = this.attachShadow({ mode: 'open' });
    const style = htmlElement('style');
    style.textContent = shadowResetCss + multiHeadStyles + heatmapStyles + figureExportStyles + withheldStyles + parameterMessageStyles;
    const message = new ParameterMessage();
    message.show(this.#attributes.problems);
    this.#parts = this.#build();
    root.append(style, message.element, this.#parts.element);
    this.#showLayout();
    this.#showControls();
    this.#showWithheld();
    Promise.all([loadLab(), loadLessonData(vocabularyFile), loadLessonData(multiHeadFile)])
      .then(([lab, vocabularyData, designData]) => {
        this.#lab = lab;
        this.#vocabulary = readVocabulary(vocabularyData);
        this.#design = readMultiHeadDesign(this.#vocabulary, designData);
        this.#fillHeadNames();
        if (unknownWords(this.#vocabulary, this.#view.sentence.split(' ')).length) this.#view.sentence = defaultSentence;
        this.#recompute();
      })
      .catch((error) => {
        this.#parts.status.textContent = `The attention core could not be loaded: ${error.message}`;
        console.error(error);
      });
  }

  get state() {
    return { sentence: this.#view.sentence, heads: headsText(this.#view.heads), tie: String(this.#view.tie) };
  }

  set state(texts) {
    const base = { ...defaults, ...this.#attributes.values };
    const next = { ...base };
    for (const [name, read] of Object.entries(readers)) {
      const value = texts?.[name] === undefined ? null : read(texts[name]);
      if (value !== null) next[name] = value;
    }
    if (this.#vocabulary && unknownWords(this.#vocabulary, next.sentence.split(' ')).length) next.sentence = base.sentence;
    this.#view = next;
    if (!this.#parts) return;
    this.#showControls();
    this.#recompute();
  }

  get quantities() {
    return this.#quantities;
  }

  get withheld() {
    return new Set(this.#withheld);
  }

  set withheld(names) {
    this.#withheld = evidenceSet(this, names);
    if (this.#parts) this.#showWithheld();
  }

  /** The last result (for tests and the page): words, runs, targets, retrieval, entropy. */
  get snapshot() {
    return this.#result;
  }

  #build() {
    const element = htmlElement('div', { class: 'multi-head' });
    const controls = htmlElement('div', { class: 'controls' });
    const field = htmlElement('div', { class: 'field', part: 'sentence' });
    const sentence = htmlElement('input', { type: 'text', id: 'sentence', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'sentence-message sentence-hint' });
    const label = htmlElement('label', { for: 'sentence' }, 'Sentence');
    const hint = htmlElement('p', { class: 'hint', id: 'sentence-hint' },
      `${sentenceLimits.min} to ${sentenceLimits.max} words the vocabulary knows; press Enter or leave the field to use it.`);
    const sentenceMessage = htmlElement('p', { class: 'field-message', id: 'sentence-message', role: 'alert' });
    field.append(label, sentence, hint, sentenceMessage);
    sentence.addEventListener('change', () => this.#useSentence(sentence.value));
    sentence.addEventListener('keydown', (event) => { if (event.key === 'Enter') this.#useSentence(sentence.value); });
    const words = htmlElement('details', { class: 'vocabulary', part: 'words' });
    const wordGroups = htmlElement('div', { class: 'word-groups' });
    const wordsSummary = htmlElement('summary', {}, 'The words the vocabulary knows (tap one to add it)');
    words.append(wordsSummary, wordGroups);
    // Filled when first opened (a click, by pointer or keyboard, comes before the toggle), so a closed list costs nothing.
    const fill = () => { if (this.#vocabulary && !wordGroups.firstChild) this.#fillWordList(); };
    wordsSummary.addEventListener('click', fill);
    words.addEventListener('toggle', fill);
    const switches = htmlElement('fieldset', { class: 'switches', part: 'heads' });
    switches.append(htmlElement('legend', {}, 'Heads switched on'));
    const headBoxes = Array.from({ length: headCount }, (_, h) => {
      const box = htmlElement('input', { type: 'checkbox', value: String(h + 1) });
      const text = htmlElement('span', {}, `Head ${h + 1}`);
      const wrapper = htmlElement('label');
      wrapper.append(box, text);
      switches.append(wrapper);
      box.addEventListener('change', () => this.#change({ heads: headBoxes.map(({ box: input }) => input.checked) }));
      return { box, text };
    });
    const tieLabel = htmlElement('label', { class: 'tie', part: 'tie' });
    const tie = htmlElement('input', { type: 'checkbox' });
    tieLabel.append(tie, htmlElement('span', {}, 'Tie values to keys: V = K (W_V = W_K)'));
    tie.addEventListener('change', () => this.#change({ tie: tie.checked }));
    controls.append(field, words, switches, tieLabel);

    const headsSection = htmlElement('section', { class: 'heads' });
    headsSection.append(htmlElement('h3', {}, 'Each head\'s weights'));
    const headsHeld = new WithheldPlaceholder(this, 'heads');
    const headMaps = htmlElement('div', { class: 'head-maps' });
    const details = htmlElement('p', { class: 'cell-details', 'aria-live': 'polite' }, 'Point at a cell, or move through a heatmap with the arrow keys, to read its numbers here.');
    const maps = Array.from({ length: headCount }, (_, h) => {
      const figure = htmlElement('div', { class: 'head-map', 'data-head': String(h + 1) });
      const title = htmlElement('h4', {}, `Head ${h + 1}`);
      const off = htmlElement('p', { class: 'off-note' }, 'Switched off: its weights are shown, but it adds nothing to the output.');
      const about = htmlElement('p', { class: 'about' });
      const map = new Heatmap({
        label: `Head ${h + 1} weights`, fileName: `multi-head-head-${h + 1}`,
        direction: 'Read it by rows: each row is a word asking, each column a word it may look at; a row sums to 1.',
        onCell: ({ row, col, source }) => this.#showCell(source === 'leave' ? null : { run: 'shown', head: h, row, col }),
      });
      figure.append(title, off, about, map.element);
      headMaps.append(figure);
      return { figure, title, off, about, map };
    });
    headsSection.append(headsHeld.element, headMaps, details);

    const outputSection = htmlElement('section', { class: 'output' });
    const outputNote = htmlElement('p', { class: 'note' });
    const outputMap = new Heatmap({
      label: 'Combined output', rowTitle: 'word', columnTitle: 'output number', scale: 'diverging', format: twoDecimals,
      fileName: 'multi-head-output',
      direction: 'Each row is one word\'s output: head 1\'s four numbers, then head 2\'s, then head 3\'s.',
    });
    outputSection.append(htmlElement('h3', {}, 'The combined output'), outputNote, outputMap.element);

    const entropySection = htmlElement('section', { class: 'entropy' });
    const entropyHeld = new WithheldPlaceholder(this, 'entropy');
    const entropyTable = new EntropyTable();
    entropySection.append(htmlElement('h3', {}, 'How spread out: each head, and their mixture'), entropyHeld.element, entropyTable.element);

    const wideSection = htmlElement('section', { class: 'wide' });
    const wideHeld = new WithheldPlaceholder(this, 'retrieval');
    const wideGrid = htmlElement('div', { class: 'wide-grid' });
    const wideFigure = htmlElement('div', { class: 'head-map' });
    const wideMap = new Heatmap({
      label: 'Wide head weights', fileName: 'multi-head-wide',
      direction: 'One head as wide as all three: one softmax over the sum of the three heads\' scores, ÷√12.',
      onCell: ({ row, col, source }) => this.#showCell(source === 'leave' ? null : { run: 'wide', head: 0, row, col }),
    });
    const wideDetails = htmlElement('p', { class: 'cell-details', 'aria-live': 'polite' }, 'Point at a cell, or use the arrow keys, to read its weight here.');
    wideFigure.append(htmlElement('h4', {}, 'One wide head'), wideMap.element, wideDetails);
    const retrievalTable = new RetrievalTable();
    wideGrid.append(retrievalTable.element, wideFigure);
    wideSection.append(htmlElement('h3', {}, 'One wide head, or three narrow ones?'), wideHeld.element, wideGrid);

    const status = htmlElement('p', { class: 'status', role: 'status' });
    element.append(controls, headsSection, outputSection, entropySection, wideSection, status);
    return {
      element, controls, sentenceField: field, words, switches, tieLabel,
      sections: { heads: headsSection, output: outputSection, entropy: entropySection, retrieval: wideSection },
      sentence, sentenceMessage, wordGroups, headBoxes, tie, maps, headMaps, details, headsHeld,
      outputNote, outputMap, entropyHeld, entropyTable, wideHeld, wideGrid, wideMap, wideDetails, retrievalTable, status,
    };
  }

  /** Shows only the sections and controls the lesson asked for. */
  #showLayout() {
    const { sections, controls } = this.#layout;
    const parts = this.#parts;
    for (const name of sectionNames) parts.sections[name].hidden = !sections.has(name);
    parts.sentenceField.hidden = parts.words.hidden = !controls.has('sentence');
    parts.switches.hidden = !controls.has('heads');
    parts.tieLabel.hidden = !controls.has('tie');
    parts.controls.hidden = controls.size === 0;
  }

  #fillWordList() {
    const groups = new Map();
    for (const [word, features] of this.#vocabulary.words) {
      const kind = kindOf(this.#vocabulary, features);
      if (!groups.has(kind)) groups.set(kind, []);
      groups.get(kind).push(word);
    }
    const titles = { noun: 'Nouns and pronouns', verb: 'Verbs', adjective: 'Adjectives', little: 'Little words' };
    this.#parts.wordGroups.replaceChildren(...[...groups].map(([kind, list]) => {
      const group = htmlElement('div', { role: 'group', 'aria-label': titles[kind] });
      const row = htmlElement('div', { class: 'word-list' });
      for (const word of list) {
        const button = htmlElement('button', { type: 'button', 'aria-label': `Add ${word}` }, word);
        button.addEventListener('click', () => {
          const field = this.#parts.sentence;
          field.value = `${field.value.trim()} ${word}`.trim();
          this.#useSentence(field.value);
        });
        row.append(button);
      }
      group.append(htmlElement('p', { class: 'hint' }, titles[kind]), row);
      return group;
    }));
  }

  #fillHeadNames() {
    this.#design.heads.forEach(({ name, about }, h) => {
      this.#parts.headBoxes[h].text.textContent = `Head ${h + 1}: ${name}`;
      this.#parts.maps[h].title.textContent = `Head ${h + 1}: ${name}`;
      this.#parts.maps[h].about.textContent = about;
    });
  }

  /** Text typed into the sentence field: used when every word is known and there are 2 to 12; else explained, and kept. */
  #useSentence(text) {
    const words = tokenize(text);
    const field = this.#parts.sentence;
    let problem = '';
    if (words.length < sentenceLimits.min || words.length > sentenceLimits.max) {
      problem = `The sentence needs ${sentenceLimits.min} to ${sentenceLimits.max} words; it has ${words.length}.`;
    } else if (this.#vocabulary) {
      const unknown = unknownWords(this.#vocabulary, words);
      if (unknown.length) problem = `Not in the vocabulary: ${unknown.join(', ')}. Pick words from the list below the field.`;
    }
    this.#parts.sentenceMessage.textContent = problem;
    field.setAttribute('aria-invalid', String(Boolean(problem)));
    if (problem || words.join(' ') === this.#view.sentence) return;
    this.#change({ sentence: words.join(' ') });
  }

  #change(patch) {
    Object.assign(this.#view, patch);
    this.#recompute();
    this.dispatchEvent(new CustomEvent('statechange', { detail: { transient: false } }));
  }

  #showControls() {
    const { sentence, heads, tie } = this.#view;
    if (this.#parts.sentence.getAttribute('aria-invalid') !== 'true') this.#parts.sentence.value = sentence;
    this.#parts.headBoxes.forEach(({ box }, h) => { box.checked = heads[h]; });
    this.#parts.tie.checked = tie;
    Object.assign(this.dataset, { sentence, heads: headsText(heads), tie: String(tie) });
  }

  #recompute() {
    if (!this.#lab || !this.#design) return;
    this.removeAttribute('data-ready');
    this.#showControls();
    const words = this.#view.sentence.split(' ');
    try {
      this.#result = computeMultiHead(this.#lab, this.#design, this.#vocabulary, words, { active: this.#view.heads, tie: this.#view.tie });
    } catch (error) {
      this.#parts.status.textContent = `The attention core refused this view: ${error.message}`;
      console.error(error);
      return;
    }
    this.#parts.status.textContent = '';
    this.#quantities = this.#result.quantities;
    this.#draw();
    this.setAttribute('data-ready', '');
  }

  /** Draws the sections the lesson shows (the others are never drawn: the page stays light). */
  #draw() {
    const { words, n, shown, runs, entropy, retrieval, targets } = this.#result;
    const design = this.#design;
    const showing = this.#layout.sections;
    if (showing.has('heads')) {
      this.#parts.maps.forEach(({ figure, off, map }, h) => {
        const on = this.#view.heads[h];
        figure.classList.toggle('is-off', !on);
        off.hidden = on;
        map.update({ values: shown.weights.subarray(h * n * n, (h + 1) * n * n), rows: n, cols: n, rowLabels: words, colLabels: words, domain: [0, 1] });
      });
    }
    if (showing.has('output')) {
      const columns = design.heads.flatMap(({ slots }, h) => slots.map((slot) => `${h + 1}: ${slot}`));
      this.#parts.outputMap.update({ values: shown.output, rows: n, cols: design.dModel, rowLabels: words, colLabels: columns });
      this.#parts.outputNote.textContent = this.#view.tie
        ? 'Values tied to keys: each head returns a blend of the very keys it matched, its address, not the content W_V would have picked out.'
        : 'W_O is the identity here, so the output is the heads\' outputs side by side; a head switched off adds zeros.';
    }
    if (showing.has('entropy')) this.#parts.entropyTable.update({ words, heads: design.heads, active: this.#view.heads, entropy });
    if (showing.has('retrieval')) {
      this.#parts.wideMap.update({ values: runs.wide.weights, rows: n, cols: n, rowLabels: words, colLabels: words, domain: [0, 1] });
      this.#parts.retrievalTable.update({ heads: design.heads, retrieval, words, targets });
    }
  }

  /** The numbers of one heatmap cell, or the prompt when the pointer left. */
  #showCell(cell) {
    if (!cell || !this.#result) return;
    const details = cell.run === 'wide' ? this.#parts.wideDetails : this.#parts.details;
    const { words, n, shown, runs } = this.#result;
    const run = cell.run === 'wide' ? runs.wide : shown;
    const weight = run.weights[(cell.head * n + cell.row) * n + cell.col];
    const name = cell.run === 'wide' ? 'The wide head' : `Head ${cell.head + 1} (${this.#design.heads[cell.head].name})`;
    details.textContent = `${name}: word ${cell.row + 1} "${words[cell.row]}" gives word ${cell.col + 1} "${words[cell.col]}" the weight ${formatNumber(weight)}.`;
  }

  #showWithheld() {
    const parts = this.#parts;
    parts.headsHeld.hold(this.#withheld, [parts.headMaps, parts.details]);
    parts.entropyHeld.hold(this.#withheld, parts.entropyTable.element);
    parts.wideHeld.hold(this.#withheld, parts.wideGrid);
  }
}

customElements.define('multi-head', MultiHead);
