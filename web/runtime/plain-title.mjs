/**
 * A title that holds math, as plain Unicode text for places that cannot typeset it: the
 * document title, the lesson list. `Why $1/\sqrt{d_k}$` becomes `Why 1/√dₖ`. It knows
 * the few constructs titles use (roots, fractions, sub- and superscripts, Greek letters,
 * common operators); anything else keeps its letters without the backslashes.
 */

const subscripts = { 0: '₀', 1: '₁', 2: '₂', 3: '₃', 4: '₄', 5: '₅', 6: '₆', 7: '₇', 8: '₈', 9: '₉', '+': '₊', '-': '₋', '=': '₌', '(': '₍', ')': '₎',
  a: 'ₐ', e: 'ₑ', h: 'ₕ', i: 'ᵢ', j: 'ⱼ', k: 'ₖ', l: 'ₗ', m: 'ₘ', n: 'ₙ', o: 'ₒ', p: 'ₚ', r: 'ᵣ', s: 'ₛ', t: 'ₜ', u: 'ᵤ', v: 'ᵥ', x: 'ₓ' };
const superscripts = { 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹', '+': '⁺', '-': '⁻', '=': '⁼', '(': '⁽', ')': '⁾',
  n: 'ⁿ', i: 'ⁱ', T: 'ᵀ', 'ᵀ': 'ᵀ', k: 'ᵏ', d: 'ᵈ' };
const symbols = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', theta: 'θ', lambda: 'λ', mu: 'μ', pi: 'π', sigma: 'σ',
  tau: 'τ', phi: 'φ', omega: 'ω', Sigma: 'Σ', Delta: 'Δ', cdot: '·', times: '×', top: 'ᵀ', to: '→', rightarrow: '→',
  leq: '≤', geq: '≥', neq: '≠', approx: '≈', infty: '∞', sum: 'Σ', ldots: '…', dots: '…',
};

/** `{…}` or a single character at `at`: [content, next index]. */
function group(text, at) {
  if (text[at] === '{') {
    let depth = 0;
    for (let end = at; end < text.length; end += 1) {
      if (text[end] === '{') depth += 1;
      if (text[end] === '}') depth -= 1;
      if (depth === 0) return [text.slice(at + 1, end), end + 1];
    }
    return [text.slice(at + 1), text.length];
  }
  if (text[at] === '\\') {
    const name = text.slice(at).match(/^\\[A-Za-z]+/);
    if (name) return [name[0], at + name[0].length];
  }
  return [text[at] ?? '', at + 1];
}

const script = (text, table) => {
  const plain = texToPlain(text);
  return [...plain].every((character) => table[character]) ? [...plain].map((character) => table[character]).join('') : null;
};

/** The math `tex` as plain Unicode. */
export function texToPlain(tex) {
  let out = '';
  for (let at = 0; at < tex.length;) {
    const rest = tex.slice(at);
    const command = rest.match(/^\\([A-Za-z]+)/);
    if (command) {
      const name = command[1];
      at += command[0].length;
      if (name === 'sqrt') {
        const [inside, next] = group(tex, at);
        const plain = texToPlain(inside);
        out += plain.length > 1 && !/^[\p{L}\p{N}]+[\u2080-\u209c\u1d62-\u1d6a\u2c7c]*$/u.test(plain) ? `√(${plain})` : `√${plain}`;
        at = next;
      } else if (name === 'frac') {
        const [top, afterTop] = group(tex, at);
        const [bottom, next] = group(tex, afterTop);
        out += `${texToPlain(top)}/${texToPlain(bottom)}`;
        at = next;
      } else if (['text', 'mathrm', 'mathbf', 'mathit', 'operatorname'].includes(name)) {
        const [inside, next] = group(tex, at);
        out += texToPlain(inside);
        at = next;
      } else {
        out += symbols[name] ?? name;
      }
    } else if (rest[0] === '_' || rest[0] === '^') {
      const [inside, next] = group(tex, at + 1);
      const table = rest[0] === '_' ? subscripts : superscripts;
      out += script(inside, table) ?? `${rest[0]}${texToPlain(inside)}`;
      at = next;
    } else if (rest[0] === '{' || rest[0] === '}') {
      at += 1;
    } else if (rest[0] === '\\') {
      out += rest[1] ?? '';
      at += 2;
    } else {
      out += rest[0];
      at += 1;
    }
  }
  return out.replace(/\s+/g, ' ');
}

/** A line of lesson text with its `$math$` turned into plain Unicode and Markdown marks removed. */
export function plainTitle(text) {
  return String(text)
    .replace(/\$\$([^$]+)\$\$|\$([^$]+)\$/g, (_, display, inline) => texToPlain(display ?? inline))
    .replace(/\*\*([^*]+)\*\*|\*([^*]+)\*|`([^`]+)`/g, (_, a, b, c) => a ?? b ?? c)
    .trim();
}
