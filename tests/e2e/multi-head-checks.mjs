/**
 * What a `<multi-head>` on a page shows, read from inside any container, against the
 * attention core run in Node on the same sentence, heads and tie: the lesson's designed
 * matrices (lessons/data/multi-head.json) go straight into lab.multiHeadAttention and
 * lab.retrieval here, not through the widget's model, and every heatmap cell, entropy
 * and cosine shown must equal the core's (full precision is in data attributes).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import createAttentionLab from '../../dist/node.mjs';
import { readVocabulary } from '../../web/widgets/sentence-vocabulary.mjs';
import { designSentence, readMultiHeadDesign, relationTargets } from '../../web/widgets/multi-head-design.mjs';

const readJson = (name) => JSON.parse(readFileSync(new URL(`../../lessons/data/${name}`, import.meta.url), 'utf8'));
export const vocabulary = readVocabulary(readJson('vocabulary.json'));
export const design = readMultiHeadDesign(vocabulary, readJson('multi-head.json'));

let labPromise = null;
const nodeLab = () => (labPromise ??= createAttentionLab());

/** The core's numbers for a sentence with the heads `active` (booleans) and values tied or not. */
export async function multiHeadInNode(words, active, tie) {
  const lab = await nodeLab();
  const n = words.length;
  const x = designSentence(design, vocabulary, words);
  const common = { x, n, dModel: 12, wq: design.wq, wk: design.wk, wo: design.wo };
  const separate = lab.multiHeadAttention({ ...common, heads: 3, wv: design.wv, headMask: active });
  const tied = lab.multiHeadAttention({ ...common, heads: 3, tieKV: true, headMask: active });
  const wide = lab.multiHeadAttention({ ...common, heads: 1, wv: design.wv });
  const retrieval = Object.fromEntries(design.heads.map(({ relation, columns }) => {
    const targets = relationTargets(relation, vocabulary, words);
    const measure = (run) => lab.retrieval({ output: run.headOutputs, values: separate.values, rows: n, cols: 12, targets, columns });
    return [relation, { separate: measure(separate), tied: measure(tied), wide: measure(wide), targets }];
  }));
  const shown = tie ? tied : separate;
  const mixture = active.some(Boolean) ? [...shown.mixtureEntropy] : null;
  return { n, separate, tied, wide, shown, retrieval, mixture };
}

/** Everything a ready `<multi-head>` shows, as numbers (hidden sections are left out). */
function readShown(widget) {
  return widget.evaluate((element) => {
    const root = element.shadowRoot;
    const visible = (selector) => { const section = root.querySelector(selector); return section.hidden ? null : section; };
    const cells = (scope) => [...scope.querySelectorAll('rect.heatmap-cell')].map((cell) => Number(cell.dataset.value));
    const number = (cell, name) => (cell?.dataset[name] === undefined ? null : Number(cell.dataset[name]));
    const heads = visible('section.heads'), output = visible('section.output'), entropy = visible('section.entropy'), wide = visible('section.wide');
    return {
      sentence: element.dataset.sentence, heads: element.dataset.heads, tie: element.dataset.tie === 'true',
      headMaps: heads && [...heads.querySelectorAll('.head-map')].map(cells),
      output: output && cells(output),
      entropy: entropy && [...entropy.querySelectorAll('tbody tr')].map((row) => {
        const tds = [...row.querySelectorAll('td')];
        return {
          heads: tds.slice(0, 3).map((td) => number(td, 'entropy')),
          mean: number(tds[3], 'mean'), mixture: number(tds[4], 'mixture'), tokens: number(tds[5], 'tokens'),
        };
      }),
      wide: wide && cells(wide.querySelector('.head-map')),
      cosine: wide && Object.fromEntries([...wide.querySelectorAll('tbody tr')].map((row) => [row.dataset.relation,
        [...row.querySelectorAll('td')].map((td) => number(td, 'cosine'))])),
    };
  });
}

const headsOf = (text) => [1, 2, 3].map((h) => text !== 'none' && text.split(',').includes(String(h)));

/** Checks that `widget` (a locator of a `<multi-head>` that is ready: `[data-ready]`) shows the core's numbers; returns what it showed and the core's. */
export async function checkMultiHeadShown(widget) {
  const shown = await readShown(widget);
  const words = shown.sentence.split(' ');
  const active = headsOf(shown.heads);
  const core = await multiHeadInNode(words, active, shown.tie);
  const { n } = core;
  if (shown.headMaps) {
    assert.equal(shown.headMaps.length, 3);
    shown.headMaps.forEach((values, h) => assert.deepEqual(values, [...core.shown.weights.subarray(h * n * n, (h + 1) * n * n)], `head ${h + 1}'s heatmap`));
  }
  if (shown.output) assert.deepEqual(shown.output, [...core.shown.output], 'the combined output');
  if (shown.entropy) {
    assert.equal(shown.entropy.length, n);
    shown.entropy.forEach((row, index) => {
      row.heads.forEach((value, h) => assert.equal(value, active[h] ? core.shown.headEntropy[h * n + index] : null, `entropy, head ${h + 1}, word ${index + 1}`));
      assert.equal(row.mixture, core.mixture[index], `mixture entropy, word ${index + 1}`);
      assert.ok(row.mixture >= row.mean - 1e-6, `word ${index + 1}: the mixture's entropy ${row.mixture} is at least the heads' mean ${row.mean}`);
      assert.ok(Math.abs(row.tokens - Math.exp(row.mixture)) < 1e-12);
    });
  }
  if (shown.wide) {
    assert.deepEqual(shown.wide, [...core.wide.weights], 'the wide head\'s heatmap');
    for (const { relation } of design.heads) {
      const { separate, tied, wide } = core.retrieval[relation];
      assert.deepEqual(shown.cosine[relation], separate.count ? [separate.mean, tied.mean, wide.mean] : [null, null, null], `retrieval of ${relation}`);
    }
  }
  return { shown, core, words, active };
}
