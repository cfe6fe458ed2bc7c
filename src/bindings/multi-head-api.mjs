// Lesson 6, multi-head attention: how well each relation's target was retrieved.
//
// multiHeadAttention (lab.mjs) returns each configuration's headOutputs (the heads'
// concatenation before wo) and values; retrieval scores them against the value rows a
// relation should have fetched, so one wide head (heads: 1) against several, or tied K/V
// against separate, are measured on the same wanted values.

import { ArgumentChecker, describe } from './arguments.mjs';

export default function multiHeadApi(core, call) {
  return {
    /**
     * cosine[i] = cos(output[i, begin:end), values[targets[i], begin:end)): 1 when row i
     * of the output points exactly along the value row it should have retrieved.
     * output: rows x cols; values: valueRows x cols (default rows); targets: rows
     * integers, -1 for a row with nothing to retrieve (cosine 0, left out of the mean);
     * columns: [begin, end), default [0, cols) (head h of width dh: [h*dh, (h+1)*dh)).
     * A zero vector has no direction: cosine 0. Returns { cosine (rows), mean (over
     * rows with a target; 0 if none), count (rows with a target) }.
     */
    retrieval(options) {
      const a = new ArgumentChecker('retrieval', options, ['output', 'values', 'rows', 'cols', 'targets', 'columns', 'valueRows']);
      const rows = a.size('rows'), cols = a.size('cols');
      const valueRows = a.size('valueRows', rows);
      const [begin, end] = columnRange(a, cols);
      a.fits({ output: rows * cols, values: valueRows * cols, targets: rows, cosine: rows });
      const inputs = {
        output: a.array('output', rows * cols, 'rows*cols'),
        values: a.array('values', valueRows * cols, 'valueRows*cols'),
        targets: a.integerArray('targets', -1, valueRows - 1, { length: rows, shapeText: 'rows' }),
      };
      return call('retrieval', { output: rows * cols, values: valueRows * cols, targets: rows, cosine: rows, mean: 1, count: 1 },
        inputs,
        (p) => core.retrieval(p.output, p.values, p.targets, rows, valueRows, cols, begin, end, p.cosine, p.mean, p.count),
        (read) => ({ cosine: read('cosine'), mean: read('mean')[0], count: read.int32('count')[0] }));
    },
  };
}

/** columns: [begin, end) with 0 <= begin < end <= cols, read once; default [0, cols). */
function columnRange(a, cols) {
  const given = a.options.columns;
  if (given === undefined) return [0, cols];
  const bad = (what) => a.fail('columns', `must be [begin, end] with integers 0 <= begin < end <= cols (${cols}), got ${what}`);
  if (!Array.isArray(given) || given.length !== 2) bad(Array.isArray(given) ? `${given.length} elements` : describe(given));
  const begin = given[0], end = given[1];
  if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || begin >= end || end > cols) {
    bad(`[${describe(begin)}, ${describe(end)}]`);
  }
  return [begin, end];
}
