/**
 * A formula whose terms point at the things on screen they name.
 *
 * The formula is typeset by KaTeX (with its MathML, so a screen reader reads it as
 * math); each linked term is wrapped in `\htmlClass{term-<id>}{…}` in the TeX. Under it,
 * one button per term (its symbol typeset, its meaning as hidden text, the name a
 * screen reader reads) is the
 * keyboard's and the screen reader's way in. Hovering a term in the formula, or hovering
 * or focusing its button, calls `onTerm(id)` (and `onTerm(null)` when it ends);
 * `highlight(id)` lights the term in the formula and its button, for the other
 * direction (a matrix hovered lights its term).
 *
 *   const formula = new LinkedFormula({
 *     tex: '\\mathrm{softmax}\\left(\\frac{\\htmlClass{term-q}{Q}\\,\\htmlClass{term-k}{K}^\\top}{\\sqrt{d_k}}\\right)V',
 *     terms: [{ id: 'q', tex: 'Q', name: 'Q, the queries' }, { id: 'k', tex: 'K', name: 'K, the keys' }],
 *     onTerm: (id) => highlightMatrix(id),
 *   });
 */
import katex from 'katex';
import { themeVar } from './theme-colours.mjs';

/** Styles for linked formulas, for a widget's shadow root (KaTeX's own CSS must be there too). */
export const linkedFormulaStyles = `
  .linked-formula { display: grid; gap: 0.5rem; min-width: 0; }
  .linked-formula .formula { overflow-x: auto; overflow-y: hidden; font-size: clamp(0.8rem, 3.4vw, 1.15rem); padding: 0.2rem 0; }
  .linked-formula [class*="term-"] { border-radius: 0.2rem; transition: background-color 0.1s; }
  .linked-formula .is-lit { background: ${themeVar('highlight')}; color: ${themeVar('text')}; }
  .linked-formula .terms { display: flex; flex-wrap: wrap; gap: 0.4rem; margin: 0; padding: 0; list-style: none; }
  .linked-formula .terms button { font: inherit; min-height: 2.75rem; min-width: 2.75rem; padding: 0.2rem 0.6rem;
    border: 1px solid ${themeVar('rule')}; border-radius: 0.4rem; background: ${themeVar('panel')};
    color: ${themeVar('text')}; cursor: pointer; }
  .linked-formula .terms button.is-lit { background: ${themeVar('highlight')}; border-color: ${themeVar('text')}; }
  .linked-formula .terms button:focus-visible { outline: 3px solid ${themeVar('focus')}; outline-offset: 2px; }
  .linked-formula .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

const katexOptions = {
  throwOnError: false,
  output: 'htmlAndMathml',
  trust: (context) => context.command === '\\htmlClass' && /^term-[a-z0-9-]+$/.test(context.class),
  strict: (code) => (code === 'htmlExtension' ? 'ignore' : 'warn'),
};

const katexCopies = new WeakMap();

/** The KaTeX rules of `sheet` (none if it holds none, or cannot be read) as a constructed sheet, made once per sheet. */
function katexRulesOf(sheet) {
  if (!katexCopies.has(sheet)) {
    let copy = null;
    try {
      const rules = [...sheet.cssRules].filter((rule) => rule.cssText.includes('.katex') && !(rule instanceof CSSFontFaceRule));
      if (rules.length) {
        copy = new CSSStyleSheet();
        copy.replaceSync(rules.map((rule) => rule.cssText).join('\n'));
      }
    } catch {
      copy = null;
    }
    katexCopies.set(sheet, copy);
  }
  return katexCopies.get(sheet);
}

/**
 * Gives `shadowRoot` KaTeX's styles, which do not cross into a shadow root: copies the
 * KaTeX rules of the nearest enclosing root (the page's stylesheet, or an embedding
 * element's shadow root) that has them. KaTeX's fonts need nothing: @font-face rules
 * declared by the page apply everywhere.
 */
export function adoptKatexStyles(shadowRoot) {
  for (let scope = shadowRoot.host.getRootNode(); scope; scope = scope.host?.getRootNode()) {
    const sheets = [...(scope.adoptedStyleSheets ?? []), ...(scope.styleSheets ?? [])].map(katexRulesOf).filter(Boolean);
    if (sheets.length) {
      shadowRoot.adoptedStyleSheets = [...shadowRoot.adoptedStyleSheets, ...sheets];
      return;
    }
    if (!scope.host) return;
  }
}

/** Renders `tex` with KaTeX into a new element (`display` for a block). */
export function typeset(tex, { display = false, tag = 'span' } = {}) {
  const element = document.createElement(tag);
  katex.render(tex, element, { ...katexOptions, displayMode: display });
  return element;
}

export class LinkedFormula {
  #onTerm;
  #buttons = new Map();
  #lit = null;

  /** `tex`: the formula; `terms`: [{ id, tex, name }]; `label`: names the list of term buttons. */
  constructor({ tex, terms, onTerm = () => {}, label = 'Terms of the formula' }) {
    this.#onTerm = onTerm;
    this.element = document.createElement('div');
    this.element.className = 'linked-formula';
    this.formula = typeset(tex, { display: true, tag: 'div' });
    this.formula.className = 'formula';
    this.formula.addEventListener('pointerover', (event) => {
      const term = [...(event.target.closest?.('[class*="term-"]')?.classList ?? [])].find((name) => name.startsWith('term-'));
      if (term) this.#enter(term.slice('term-'.length));
    });
    this.formula.addEventListener('pointerleave', () => this.#enter(null));
    const list = document.createElement('ul');
    list.className = 'terms';
    list.setAttribute('aria-label', label);
    for (const { id, tex: symbol, name } of terms) {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.term = id;
      const symbolElement = typeset(symbol);
      symbolElement.setAttribute('aria-hidden', 'true');
      const spoken = document.createElement('span');
      spoken.className = 'visually-hidden';
      spoken.textContent = name;
      button.append(symbolElement, spoken);
      for (const type of ['pointerenter', 'focus']) button.addEventListener(type, () => this.#enter(id));
      for (const type of ['pointerleave', 'blur']) button.addEventListener(type, () => this.#enter(null));
      button.addEventListener('click', () => this.#enter(id));
      item.append(button);
      list.append(item);
      this.#buttons.set(id, button);
    }
    this.element.append(this.formula, list);
  }

  #enter(id) {
    this.highlight(id);
    this.#onTerm(id);
  }

  /** Lights term `id` in the formula and its button; null clears. */
  highlight(id) {
    if (id === this.#lit) return;
    this.#lit = id;
    for (const element of this.formula.querySelectorAll('.is-lit')) element.classList.remove('is-lit');
    for (const button of this.#buttons.values()) button.classList.toggle('is-lit', button.dataset.term === id);
    if (id) for (const element of this.formula.querySelectorAll(`.term-${id}`)) element.classList.add('is-lit');
  }
}
