/**
 * The DOM-free numbers behind lesson 4's widgets, against independent reasoning: the
 * path-length and field-width tables follow the closed forms; for every order of five
 * words (and the lesson's pairs) the monotonic alignment of the word-identity weights
 * gets wrong exactly the target words outside a longest non-decreasing run of the
 * positions they need; the flattest reader is the one whose far/near ratio is nearest 1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import createAttentionLab from '../../dist/node.mjs';
import {
  contextReaders, farNearRatios, flattestReader, kernels, pathLengthTables, reachTables, windows,
} from '../../web/widgets/context-reader-math.mjs';
import { alignPair, countCrossings, pairWithOrder, readOrder, reversedOrder, wordOrderPairs } from '../../web/widgets/word-order-pairs.mjs';

const lab = await createAttentionLab();

/** Length of the longest non-decreasing subsequence, by brute force over subsets. */
function longestInOrder(values) {
  let best = 0;
  for (let mask = 1; mask < 1 << values.length; mask++) {
    const chosen = values.filter((_, index) => mask & (1 << index));
    if (chosen.every((value, index) => index === 0 || value >= chosen[index - 1])) best = Math.max(best, chosen.length);
  }
  return best;
}

function permutations(list) {
  if (list.length <= 1) return [list];
  return list.flatMap((item, index) => permutations([...list.slice(0, index), ...list.slice(index + 1)]).map((rest) => [item, ...rest]));
}

test('path lengths and field widths follow the closed forms', () => {
  const { quantities, shortest } = pathLengthTables(lab, 18);
  for (let d = 1; d <= 32; d++) {
    for (const k of kernels) assert.equal(quantities.conv[k][d], Math.ceil(d / ((k - 1) / 2)), `conv k ${k} d ${d}`);
    for (const w of windows) assert.equal(quantities.local[w][d], Math.ceil(d / w), `local w ${w} d ${d}`);
    assert.equal(quantities.rnn[d], d + 1);
    assert.equal(quantities.global[d], 1);
  }
  assert.equal(shortest[20], 'global attention');
  assert.equal(shortest[7], 'the convolution and local attention and global attention');
  const widths = reachTables(lab);
  for (let layers = 1; layers <= 16; layers++) {
    for (const k of kernels) assert.equal(widths.conv[layers][k], layers * (k - 1) + 1);
    for (const w of windows) assert.equal(widths.local[layers][w], 2 * layers * w + 1);
  }
});

test('a monotonic alignment gets wrong exactly the words outside the longest run in order', () => {
  const yours = wordOrderPairs.find(({ id }) => id === 'yours');
  const five = { ...yours, source: yours.source.slice(0, 5) };
  for (const order of permutations([0, 1, 2, 3, 4])) {
    const { misaligned, path } = alignPair(lab, pairWithOrder(five, order));
    assert.equal(misaligned.length, 5 - longestInOrder(order), `order ${order}`);
    for (let row = 1; row < 5; row++) assert.ok(path[row] >= path[row - 1]);
    const right = order.filter((column, row) => path[row] === column).length;
    assert.equal(right, 5 - misaligned.length, 'the rows it does not list are right');
  }
  const counts = Object.fromEntries(wordOrderPairs.filter(({ id }) => id !== 'yours')
    .map((pair) => [pair.id, alignPair(lab, pair).misaligned.length]));
  assert.deepEqual(counts, { adjective: 1, 'verb-final': 1, 'head-final': 3 });
  assert.equal(alignPair(lab, pairWithOrder(yours, reversedOrder(7))).misaligned.length, 6);
  assert.equal(countCrossings(reversedOrder(7)), 21);
  assert.deepEqual(readOrder('2,1,0,3,4,5,6', 7), [2, 1, 0, 3, 4, 5, 6]);
  for (const bad of ['0,1,2', '0,0,1,2,3,4,5', '0,1,2,3,4,5,7', 'a,1,2,3,4,5,6']) assert.equal(readOrder(bad, 7), null, bad);
});

test('the flattest reader is the one whose far/near ratio is nearest 1', () => {
  const values = {
    conv: Float32Array.from([0, 0, 1, 2, 1]),
    rnn: Float32Array.from([0.1, 0.3, 0.6, 1, 0]),
    local: Float32Array.from([0, 1, 1, 2, 1]),
    global: Float32Array.from([0.5, 0.4, 0.6, 2, 0.5]),
  };
  const ratios = farNearRatios(values, 3);
  assert.equal(ratios.conv, (0 + 0) / 2 / ((1 + 1) / 2));
  assert.ok(Math.abs(ratios.global - ((0.5 + 0.4) / 2) / ((0.6 + 0.5) / 2)) < 1e-6);
  assert.equal(flattestReader(values, 3), 'global attention');
  assert.deepEqual(contextReaders.map(({ id }) => id), ['conv', 'rnn', 'local', 'global']);
});
