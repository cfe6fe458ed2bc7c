// The JS face of projections (src/projection.hpp): a sentence's word vectors times a
// learned matrix, the step from X to Q, K and V.
import { ArgumentChecker } from './arguments.mjs';

/** API part (see lab.mjs): `project`. */
export function projectionApi(core, call) {
  return {
    /**
     * Projects every row of x (n x dIn) through w (dIn x dOut): out = x w. A word's
     * vector of features becomes its query (w = W_Q), key (W_K) or value (W_V).
     * With heads = h (dOut divisible by h) the columns come out as h blocks of width
     * dOut/h stored one after the other (h x n x dOut/h), the layout `attention`
     * takes for h heads. Returns a Float32Array of n*dOut numbers.
     */
    project(options) {
      const a = new ArgumentChecker('project', options, ['x', 'w', 'n', 'dIn', 'dOut', 'heads']);
      const n = a.size('n'), dIn = a.size('dIn'), dOut = a.size('dOut');
      const heads = a.size('heads', 1);
      if (dOut % heads !== 0) a.fail('dOut', `(${dOut}) must be divisible by heads (${heads})`);
      const sizes = { x: n * dIn, w: dIn * dOut, out: n * dOut };
      a.fits(sizes);
      const inputs = { x: a.array('x', sizes.x, 'n*dIn'), w: a.array('w', sizes.w, 'dIn*dOut') };
      return call('project', sizes, inputs,
        (p) => core.project(p.x, p.w, n, dIn, dOut, heads, p.out),
        (read) => read('out'));
    },
  };
}
