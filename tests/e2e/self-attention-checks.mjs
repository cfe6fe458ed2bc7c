/**
 * What a `<self-attention>` on a page shows, read from inside any container, and the same
 * view computed by the attention core in Node (the widget's own view → problem →
 * pipeline modules, the same WASM): every heatmap cell, every stage matrix, the walked
 * query's numbers, the focused cell's details and the entropies must equal the core's,
 * bit for bit (full precision is in data attributes).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import createAttentionLab from '../../dist/node.mjs';
import { readVocabulary } from '../../web/widgets/sentence-vocabulary.mjs';
import { buildProblem } from '../../web/widgets/self-attention-problem.mjs';
import { computeAttention, concatenateHeads, contribution, dotProduct, scoreRow } from '../../web/widgets/attention-pipeline.mjs';

export const vocabulary = readVocabulary(JSON.parse(readFileSync(new URL('../../lessons/data/vocabulary.json', import.meta.url), 'utf8')));

let labPromise = null;
export const nodeLab = () => (labPromise ??= createAttentionLab());

/** The core's numbers for a widget's view, computed as the widget computes them. */
export async function computeInNode(view) {
  const lab = await nodeLab();
  const built = buildProblem(view, { vocabulary, lab });
  assert.deepEqual(built.errors, {}, 'the view builds a problem');
  const { nq, nk } = built.problem;
  const small = nq * nk <= 256 * 256;
  const result = computeAttention(lab, built.problem, { stages: small, scores: small || view.shown === 'scores' });
  return { lab, built, result };
}

/** Everything `element` (a ready `<self-attention>`) shows, as numbers. */
export function readShown(element) {
  return element.evaluate((widget) => {
    const root = widget.shadowRoot;
    const numbers = (nodes, name = 'value') => [...nodes].map((node) => Number(node.dataset[name]));
    const details = root.querySelector('.cell-details').dataset;
    return {
      view: widget.snapshot.view,
      heatmaps: [...root.querySelectorAll('.head-map')].map((map) => numbers(map.querySelectorAll('rect.heatmap-cell'))),
      stages: Object.fromEntries([...root.querySelectorAll('.stage-grid:not([hidden]) .stage:not([hidden])')].map((stage) => [stage.dataset.stage,
        [...stage.querySelectorAll('td')].map((cell) => Number(cell.dataset.value))])),
      walk: [...root.querySelectorAll('.walk-table tr[data-key]')].map((row) => ({
        key: Number(row.dataset.key),
        values: numbers(row.querySelectorAll('td[data-value]')),
      })),
      details: { ...details, contribution: details.contribution && JSON.parse(details.contribution) },
      entropy: numbers(root.querySelectorAll('td[data-entropy]'), 'entropy'),
      tokens: numbers(root.querySelectorAll('td[data-tokens]'), 'tokens'),
    };
  });
}

const same = (shown, expected, what) => {
  assert.equal(shown.length, expected.length, `${what}: ${shown.length} numbers shown, the core has ${expected.length}`);
  shown.forEach((value, index) => assert.ok(Object.is(value, expected[index]), `${what}[${index}]: shown ${value}, core ${expected[index]}`));
};

/** Asserts that what `element` shows equals the core's numbers for its view, computed in Node. */
export async function checkShownEqualsCore(element) {
  const shown = await readShown(element);
  const { lab, built, result } = await computeInNode(shown.view);
  const { nq, nk, heads, dk, dv } = result;
  const { problem } = built;
  const perHead = (array, size, head) => [...array.subarray(head * size, (head + 1) * size)];
  const source = shown.view.shown === 'weights' ? result.weights : result.scores;
  if (shown.heatmaps.some((cells) => cells.length)) {
    shown.heatmaps.forEach((cells, head) => same(cells, perHead(source, nq * nk, head), `heatmap of head ${head + 1}`));
  }
  const focusHead = Math.min(heads, shown.view.head) - 1;
  const expectedStages = {
    x: problem.x, wq: problem.wq, wk: problem.wk, wv: problem.wv,
    q: concatenateHeads(result.q, nq, heads, dk), k: concatenateHeads(result.k, nk, heads, dk), v: concatenateHeads(result.v, nk, heads, dv),
    scores: result.rawScores && perHead(result.rawScores, nq * nk, focusHead), scale: result.scaledScores && perHead(result.scaledScores, nq * nk, focusHead),
    mask: result.scores && perHead(result.scores, nq * nk, focusHead), softmax: perHead(result.weights, nq * nk, focusHead),
    output: concatenateHeads(result.output, nq, heads, dv),
  };
  for (const [id, cells] of Object.entries(shown.stages)) same(cells, [...expectedStages[id]], `stage ${id}`);
  const query = Math.min(nq, shown.view.query) - 1;
  const scores = scoreRow(lab, result, focusHead, query);
  for (const { key, values } of shown.walk) {
    const expected = [
      result.rawScores ? result.rawScores[(focusHead * nq + query) * nk + key] : dotProduct(lab, result, focusHead, query, key),
      ...(shown.view.mask === 'none' ? [] : [scores[key]]),
      result.weights[(focusHead * nq + query) * nk + key],
    ];
    same(values, expected, `walk, key ${key + 1}`);
  }
  const { details } = shown;
  const [head, row, col] = [details.head, details.row, details.col].map(Number);
  assert.ok(Object.is(Number(details.dot), dotProduct(lab, result, head, row, col)), 'details: q·k');
  assert.ok(Object.is(Number(details.score), scoreRow(lab, result, head, row)[col]), 'details: score');
  assert.ok(Object.is(Number(details.weight), result.weights[(head * nq + row) * nk + col]), 'details: weight');
  same(details.contribution, [...contribution(lab, result, head, row, col)], 'details: contribution');
  if (shown.entropy.length === nq * heads) {
    const byRow = (values) => Array.from({ length: nq }, (_, i) => Array.from({ length: heads }, (__, h) => values[h * nq + i])).flat();
    same(shown.entropy, byRow(result.entropy), 'entropy');
    same(shown.tokens, byRow(result.effectiveTokens), 'effective tokens');
  }
  return { shown, result, built };
}
