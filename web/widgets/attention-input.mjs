/**
 * Where the tokens come from (part of `<self-attention>`): a sentence typed or built
 * from the vocabulary's words (an unknown word gets a row of features the learner sets),
 * queries, keys and values drawn from a seed, or numbers pasted as text or JSON (Q, K, V,
 * or x with W_Q, W_K, W_V). Every field keeps exactly what the learner typed; a message
 * beside a field says what is wrong with it, and the widget keeps showing the last input
 * that worked. Changes go to `onChange(patch)` as view values (self-attention-state.mjs).
 */
import { MatrixView } from '../figures/matrix-view.mjs';
import { htmlElement } from './html-element.mjs';

let fieldCount = 0;

/** A labelled field with its message line: { element, field, message }. */
function labelledField(tag, label, attributes = {}) {
  const id = `input-field-${(fieldCount += 1)}`;
  const element = htmlElement('div', { class: 'field' });
  const field = htmlElement(tag, { id, ...attributes, 'aria-describedby': `${id}-message` });
  const message = htmlElement('p', { class: 'field-message', id: `${id}-message`, role: 'alert' });
  element.append(htmlElement('label', { for: id }, label), field, message);
  return { element, field, message };
}

const pasted = {
  qkv: [['pq', 'Q (one row per query)'], ['pk', 'K (one row per key)'], ['pv', 'V (one row per key)']],
  xw: [['px', 'x (one row per token)'], ['pwq', 'W_Q'], ['pwk', 'W_K'], ['pwv', 'W_V']],
};

export class AttentionInput {
  #onChange;
  #fields = {};
  #vocabulary = null;
  #sentence = null;

  constructor({ onChange }) {
    this.#onChange = onChange;
    this.element = htmlElement('section', { class: 'input-panel' });
    this.source = this.#radios('source', 'Tokens', [['sentence', 'A sentence'], ['random', 'Random, from a seed'], ['numbers', 'Numbers I paste']]);
    this.sentenceBlock = this.#buildSentence();
    this.randomBlock = this.#buildRandom();
    this.numbersBlock = this.#buildNumbers();
    this.element.append(this.source.element, this.sentenceBlock, this.randomBlock, this.numbersBlock);
  }

  /** A fieldset of radio buttons for `name`: { element, inputs }. */
  #radios(name, legend, choices) {
    const element = htmlElement('fieldset', { class: 'choices', part: name });
    element.append(htmlElement('legend', {}, legend));
    const inputs = choices.map(([value, text]) => {
      const label = htmlElement('label');
      const input = htmlElement('input', { type: 'radio', name: `${name}-${fieldCount += 1}`, value });
      input.addEventListener('change', () => this.#onChange({ [name]: value }));
      label.append(input, text);
      element.append(label);
      return input;
    });
    return { element, inputs };
  }

  #buildSentence() {
    const block = htmlElement('div', { class: 'sentence-block', part: 'sentence' });
    const sentence = labelledField('input', 'Sentence', { type: 'text', autocomplete: 'off', spellcheck: 'false' });
    sentence.field.addEventListener('input', () => this.#onChange({ sentence: sentence.field.value }, { transient: true }));
    sentence.field.addEventListener('change', () => this.#onChange({ sentence: sentence.field.value }));
    this.#fields.sentence = sentence;
    this.words = htmlElement('details', { class: 'vocabulary' });
    this.words.append(htmlElement('summary', {}, 'Words the vocabulary knows (add one to the sentence)'));
    this.wordList = htmlElement('div', { class: 'word-list' });
    this.words.append(this.wordList);
    this.unknownBox = htmlElement('div', { class: 'unknown-words' });
    const vectorsMessage = htmlElement('p', { class: 'field-message', role: 'alert' });
    this.#fields.vectors = { message: vectorsMessage };
    block.append(sentence.element, this.words, this.unknownBox, vectorsMessage);
    return block;
  }

  #buildRandom() {
    const block = htmlElement('div', { class: 'random-block', part: 'random' });
    for (const [name, label, max] of [['seed', 'Seed', 2 ** 31 - 1], ['n', 'Tokens n', 1024], ['dk', 'd_k per head', 256], ['dv', 'd_v per head', 256]]) {
      const entry = labelledField('input', label, { type: 'number', min: name === 'seed' ? '0' : '1', max: String(max), step: '1', inputmode: 'numeric' });
      entry.field.addEventListener('change', () => {
        const value = Number(entry.field.value);
        const valid = entry.field.value !== '' && Number.isInteger(value) && value >= Number(entry.field.min) && value <= max;
        entry.message.textContent = valid ? '' : `${label} must be a whole number from ${entry.field.min} to ${max}; the view keeps the last one that was.`;
        entry.field.setAttribute('aria-invalid', String(!valid));
        if (valid) this.#onChange({ [name]: value });
      });
      this.#fields[name] = entry;
      block.append(entry.element);
    }
    return block;
  }

  #buildNumbers() {
    const block = htmlElement('div', { class: 'numbers-block', part: 'numbers' });
    this.pasteKind = this.#radios('paste', 'What you paste', [['qkv', 'Q, K and V'], ['xw', 'x with W_Q, W_K and W_V']]);
    block.append(this.pasteKind.element, htmlElement('p', { class: 'hint' },
      'One row per line, numbers separated by spaces or commas, or JSON such as [[1, 0], [0, 1]]. Several heads split the columns into equal blocks.'));
    for (const [name, label] of [...pasted.qkv, ...pasted.xw]) {
      const entry = labelledField('textarea', label, { rows: '4', spellcheck: 'false', autocomplete: 'off' });
      entry.field.addEventListener('input', () => this.#onChange({ [name]: entry.field.value }, { transient: true }));
      entry.field.addEventListener('change', () => this.#onChange({ [name]: entry.field.value }));
      entry.element.dataset.paste = name;
      this.#fields[name] = entry;
      block.append(entry.element);
    }
    return block;
  }

  /** The vocabulary's words, as buttons that add a word to the sentence. */
  setVocabulary(vocabulary) {
    this.#vocabulary = vocabulary;
    this.wordList.replaceChildren(...[...vocabulary.words.keys()].map((word) => {
      const button = htmlElement('button', { type: 'button' }, word);
      button.addEventListener('click', () => {
        const field = this.#fields.sentence.field;
        field.value = `${field.value.trimEnd()} ${word}`.trimStart();
        this.#onChange({ sentence: field.value });
      });
      return button;
    }));
  }

  /** Brings every field in line with `view`, except one the learner is typing in; shows `errors`. */
  show(view, { errors, sentence, controls }) {
    const active = this.element.getRootNode().activeElement;
    const setText = (name, text) => {
      const field = this.#fields[name]?.field;
      if (field && field !== active && field.value !== String(text)) field.value = String(text);
    };
    for (const name of ['sentence', 'seed', 'n', 'dk', 'dv', ...[...pasted.qkv, ...pasted.xw].map(([key]) => key)]) setText(name, view[name]);
    for (const [name, entry] of Object.entries(this.#fields)) {
      if (!entry.message || ['seed', 'n', 'dk', 'dv'].includes(name)) continue;
      entry.message.textContent = errors[name] ?? '';
      entry.field?.setAttribute('aria-invalid', String(Boolean(errors[name])));
    }
    this.source.inputs.forEach((input) => { input.checked = input.value === view.source; });
    this.pasteKind.inputs.forEach((input) => { input.checked = input.value === view.paste; });
    this.source.element.hidden = !controls.includes('source');
    this.sentenceBlock.hidden = view.source !== 'sentence' || !controls.includes('sentence');
    this.randomBlock.hidden = view.source !== 'random';
    this.numbersBlock.hidden = view.source !== 'numbers';
    for (const [kind, names] of Object.entries(pasted)) {
      for (const [name] of names) this.#fields[name].element.hidden = kind !== view.paste || (name.endsWith('v') && view.tie);
    }
    this.#showUnknown(sentence);
    this.element.hidden = [this.source.element, this.sentenceBlock, this.randomBlock, this.numbersBlock].every((part) => part.hidden);
  }

  /** A row of features to set for each word the vocabulary does not know. */
  #showUnknown(sentence) {
    this.#sentence = sentence;
    const unknown = sentence?.unknown ?? [];
    if (!unknown.length || !this.#vocabulary) {
      this.unknownBox.replaceChildren();
      this.unknownMatrix = null;
      return;
    }
    const features = this.#vocabulary.features.filter((name) => name !== 'position');
    if (!this.unknownMatrix || this.unknownMatrix.words.join() !== unknown.join()) {
      const view = new MatrixView({
        label: 'Features of words the vocabulary does not know (type a number in each cell)',
        rowTitle: 'word', columnTitle: 'feature', editable: true,
        onEdit: (row, col, value) => {
          const vectors = new Map(this.#sentence.vectors);
          const vector = vectors.get(unknown[row]) ?? features.map(() => 0);
          vector[col] = value;
          vectors.set(unknown[row], vector);
          this.#onChange({ vectors: [...vectors].map(([word, numbers]) => [word, ...numbers].join(':')).join(',') });
        },
      });
      this.unknownMatrix = Object.assign(view, { words: [...unknown] });
      this.unknownBox.replaceChildren(htmlElement('p', {}, `Not in the vocabulary: ${unknown.join(', ')}. Give each its features; position is set from its place.`), view.element);
    }
    const values = Float32Array.from(unknown.flatMap((word) => sentence.vectors.get(word) ?? features.map(() => 0)));
    this.unknownMatrix.update({ values, rows: unknown.length, cols: features.length, rowLabels: unknown, colLabels: features });
  }
}
