/**
 * The formula `<self-attention>` writes out, for the settings on screen, with every term
 * wrapped for linking (`\htmlClass{term-<id>}`, see figures/linked-formula.mjs), and the
 * list of its terms: the id of the matrix each names, its symbol and what it means.
 *
 *   O = softmax( Q Kᵀ / (√d_k · T) + M ) V,    Q = X W_Q,  K = X W_K,  V = X W_V
 */

const term = (id, tex) => `\\htmlClass{term-${id}}{${tex}}`;

/** The denominator of the scores for the scaling and temperature, or '' for none. */
function denominator({ scaling, temperature }) {
  const parts = [];
  if (scaling === 'sqrt') parts.push('\\sqrt{d_k}');
  if (temperature !== 1) parts.push('T');
  return parts.join('\\,');
}

/** The TeX of the formula; `projected`: the input is X with projections (else Q, K, V are given). */
export function formulaTex(settings, projected) {
  const keys = settings.scaling === 'l2' ? '\\hat{K}' : 'K';
  const product = term('scores', `${term('q', 'Q')}\\,${term('k', keys)}^{\\top}`);
  const under = denominator(settings);
  const scaled = under ? `\\frac{${product}}{${term('scale', under)}}` : product;
  const masked = settings.mask === 'none' ? scaled : `${scaled} + ${term('mask', 'M')}`;
  const main = `${term('output', 'O')} = ${term('softmax', '\\mathrm{softmax}')}\\!\\left(${masked}\\right)${term('v', 'V')}`;
  const lines = [main];
  if (settings.scaling === 'l2') lines.push('\\hat{k}_j = k_j / \\lVert k_j \\rVert');
  if (projected) {
    const values = settings.tieKV ? `${term('v', 'V')} = ${term('k', 'K')}` : `${term('v', 'V')} = ${term('x', 'X')}\\,${term('wv', 'W_V')}`;
    lines.push(`${term('q', 'Q')} = ${term('x', 'X')}\\,${term('wq', 'W_Q')},\\quad ${term('k', 'K')} = ${term('x', 'X')}\\,${term('wk', 'W_K')},\\quad ${values}`);
  } else if (settings.tieKV) {
    lines.push(`${term('v', 'V')} = ${term('k', 'K')}`);
  }
  return lines.length > 1 ? `\\begin{gathered}${lines.join('\\\\[0.4em]')}\\end{gathered}` : main;
}

/** The terms to list under the formula, in reading order: { id, tex, name }. */
export function formulaTerms(settings, projected) {
  const terms = [
    ...(projected ? [
      { id: 'x', tex: 'X', name: 'X: the words as rows of features' },
      { id: 'wq', tex: 'W_Q', name: 'W Q: the query projection' },
      { id: 'wk', tex: 'W_K', name: 'W K: the key projection' },
      ...(settings.tieKV ? [] : [{ id: 'wv', tex: 'W_V', name: 'W V: the value projection' }]),
    ] : []),
    { id: 'q', tex: 'Q', name: 'Q: the queries' },
    { id: 'k', tex: 'K', name: 'K: the keys' },
    { id: 'v', tex: 'V', name: 'V: the values' },
    { id: 'scores', tex: 'QK^{\\top}', name: 'Q K transposed: the scores' },
  ];
  const under = denominator(settings);
  if (under) terms.push({ id: 'scale', tex: under, name: 'the scaling the scores are divided by' });
  if (settings.mask !== 'none') terms.push({ id: 'mask', tex: 'M', name: 'M: the mask, minus infinity where a key is hidden' });
  terms.push({ id: 'softmax', tex: '\\mathrm{softmax}', name: 'softmax of each row: the attention weights' },
    { id: 'output', tex: 'O', name: 'O: the output' });
  return terms;
}
