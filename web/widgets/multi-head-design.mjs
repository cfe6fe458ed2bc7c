/**
 * The hand-designed heads of lesson 6 (lessons/data/multi-head.json), as the matrices
 * `lab.multiHeadAttention` takes, and what each relation should retrieve. No DOM: the
 * same code runs in the page and in Node tests.
 *
 * A word is the vocabulary's eight features (vocabulary.json, position included) and
 * four more: one (always 1), place (0, 1, 2, … from the first word), place² and little
 * (1 for a word that is no noun, verb, pronoun or adjective): twelve numbers, dModel 12.
 * Each of the three heads has four slots (dh 4) and its own sparse W_Q, W_K, W_V; the
 * design places head h's slots in columns [4h, 4h + 4) of the 12 × 12 matrices, so that
 * `heads: 3` runs them side by side and `heads: 1` runs the same matrices as one head as
 * wide as all three. W_O is the identity: the output is the heads' outputs side by side.
 *
 * Each head names the relation it is built for; `relationTargets` says, for every word,
 * which word that relation should retrieve (-1: none), as `lab.retrieval` takes it.
 */
import { sentenceMatrix } from './sentence-vocabulary.mjs';

/** The name of the design file in lessons/data/. */
export const multiHeadFile = 'multi-head.json';

/** Features a word has beyond the vocabulary's, computed from its place and kind. */
const computed = ['one', 'place', 'place²', 'little'];
const kinds = ['noun', 'verb', 'pronoun', 'adjective'];

/** The relations a head can be built for, each a rule giving every word's target. */
export const relationRules = Object.freeze({
  previous: 'the word just before (none for the first word)',
  'same-kind': 'a word of the same kind: its own value is the one to fetch (every word of a kind has the same value here)',
  antecedent: 'for a pronoun, the nearest noun before it that agrees in kind and number (none for other words)',
});

/**
 * Reads the parsed design file against the vocabulary (from readVocabulary) into
 * { features (12 names), about (name → text), dModel, dh, heads: [{ name, relation,
 * about, slots, columns: [begin, end) }], wq, wk, wv, wo (dModel × dModel) }. Throws
 * naming anything malformed.
 */
export function readMultiHeadDesign(vocabulary, file) {
  const extra = (file.features ?? []).map(({ name }) => name);
  if (extra.join() !== computed.join()) throw new Error(`multi-head design: the features must be ${computed.join(', ')}`);
  const features = [...vocabulary.features, ...extra];
  const heads = file.heads ?? [];
  const dModel = features.length;
  if (!heads.length || dModel % heads.length !== 0) throw new Error(`multi-head design: ${heads.length} heads cannot share ${dModel} columns`);
  const dh = dModel / heads.length;
  const matrices = { wq: new Float32Array(dModel * dModel), wk: new Float32Array(dModel * dModel), wv: new Float32Array(dModel * dModel) };
  const read = heads.map((head, h) => {
    if (!Object.hasOwn(relationRules, head.relation)) throw new Error(`multi-head design: head "${head.name}" has an unknown relation "${head.relation}"`);
    if (!Array.isArray(head.slots) || head.slots.length !== dh) throw new Error(`multi-head design: head "${head.name}" needs ${dh} slots`);
    for (const name of ['wq', 'wk', 'wv']) {
      for (const [feature, entries] of Object.entries(head[name] ?? {})) {
        const row = features.indexOf(feature);
        if (row < 0) throw new Error(`multi-head design: ${head.name}.${name} has a row "${feature}" that is not a feature`);
        for (const [slot, value] of Object.entries(entries)) {
          const at = head.slots.indexOf(slot);
          if (at < 0) throw new Error(`multi-head design: ${head.name}.${name}.${feature} names no slot "${slot}"`);
          if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`multi-head design: ${head.name}.${name}.${feature}.${slot} must be a number`);
          matrices[name][row * dModel + h * dh + at] = value;
        }
      }
    }
    return { name: head.name, relation: head.relation, about: head.about, slots: [...head.slots], columns: [h * dh, (h + 1) * dh] };
  });
  const wo = new Float32Array(dModel * dModel);
  for (let i = 0; i < dModel; i++) wo[i * dModel + i] = 1;
  const about = { ...vocabulary.featureAbout, ...Object.fromEntries(file.features.map(({ name, about: text }) => [name, text])) };
  return { features, about, dModel, dh, heads: read, ...matrices, wo };
}

/**
 * X for a sentence of vocabulary words (n × dModel): the vocabulary's features, then
 * one, place, place² and little.
 */
export function designSentence(design, vocabulary, words) {
  const { x: base } = sentenceMatrix(vocabulary, words);
  const d = vocabulary.features.length;
  const x = new Float32Array(words.length * design.dModel);
  const kindAt = kinds.map((kind) => vocabulary.features.indexOf(kind));
  words.forEach((_, i) => {
    const row = base.subarray(i * d, (i + 1) * d);
    x.set(row, i * design.dModel);
    const little = kindAt.every((at) => row[at] === 0) ? 1 : 0;
    x.set([1, i, i * i, little], i * design.dModel + d);
  });
  return x;
}

/** The kind of word `features` (a vocabulary row) is: noun (pronouns too), verb, adjective or little. */
export function kindOf(vocabulary, row) {
  const has = (name) => row[vocabulary.features.indexOf(name)] !== 0;
  if (has('noun') || has('pronoun')) return 'noun';
  if (has('verb')) return 'verb';
  if (has('adjective')) return 'adjective';
  return 'little';
}

/** For each word, the word `relation` should retrieve (an index), or -1: an Int32Array. */
export function relationTargets(relation, vocabulary, words) {
  const { features } = vocabulary;
  const rows = words.map((word) => vocabulary.words.get(word) ?? new Float32Array(features.length));
  const feature = (i, name) => rows[i][features.indexOf(name)];
  return Int32Array.from(words, (_, i) => {
    if (relation === 'previous') return i - 1;
    if (relation === 'same-kind') return i;
    if (relation !== 'antecedent') throw new Error(`no relation "${relation}"`);
    if (!feature(i, 'pronoun')) return -1;
    for (let j = i - 1; j >= 0; j--) {
      if (!feature(j, 'noun')) continue;
      const kindAgrees = ['animal', 'person'].every((name) => !feature(i, name) || feature(j, name));
      if (kindAgrees && feature(j, 'number') === feature(i, 'number')) return j;
    }
    return -1;
  });
}

