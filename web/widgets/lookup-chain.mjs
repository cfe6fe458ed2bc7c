/**
 * The chain of numbers of one lookup, for one book the learner follows: its dot product
 * q·k (and why: |q| |k| cos θ), ÷ T, exp, ÷ Σ exp = its weight α, α × its value, and the
 * sum over all books that is the output — live numbers in one row, the way an
 * illustrated explainer walks a single example. In the hard lookup the chain is q·k,
 * "is it the largest?", weight 1 or 0, and the same blend.
 *
 * For tests: each step has `data-step` (dot, scaled, exp, weight, contribution, output;
 * winner in the hard lookup) and `data-value` (full precision; a JSON triple for colours).
 */
import { htmlElement } from './html-element.mjs';
import { colour } from '../runtime/theme-colours.mjs';

const fixed = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
const triple = (rgb) => `(${Array.from(rgb, (channel) => channel.toFixed(2)).join(', ')})`;
const cssColour = (rgb) => `rgb(${Array.from(rgb, (channel) => Math.round(255 * Math.min(1, Math.max(0, channel)))).join(', ')})`;

/** exp(x) for the page: 3 significant digits, with an exponent when large. */
function formatExp(value) {
  if (!Number.isFinite(value)) return '∞';
  return value >= 1e5 || (value > 0 && value < 1e-3) ? value.toExponential(2).replace('e+', 'e') : String(Number(value.toPrecision(3)));
}

export const lookupChainStyles = `
  .chain { display: grid; gap: 0.5rem; min-width: 0; }
  .chain-head { display: flex; flex-wrap: wrap; gap: 0.5rem 0.75rem; align-items: center; }
  .chain-head label { font-weight: 600; }
  .chain-head select { font: inherit; min-height: 2.75rem; max-width: 100%; padding: 0.2rem 0.4rem; border-radius: 0.3rem;
    border: 1px solid ${colour('muted-text')}; color: ${colour('text')}; background: ${colour('background')}; }
  .chain-head select:focus-visible { outline: 3px solid ${colour('focus')}; outline-offset: 2px; }
  .chain-steps { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4rem 0.2rem; align-items: stretch; }
  .chain-steps li { display: grid; align-content: start; gap: 0.1rem; padding: 0.35rem 0.55rem; border-radius: 0.4rem;
    background: ${colour('panel')}; border: 1px solid ${colour('rule')}; min-width: 0; }
  .chain-steps li + li::before { content: "→" / ""; position: absolute; margin-left: -1.05rem; margin-top: 0.9rem;
    color: ${colour('muted-text')}; }
  .chain-steps li + li { margin-left: 0.9rem; position: relative; }
  .step-name { font-size: 0.85rem; color: ${colour('muted-text')}; }
  .step-value { font-weight: 700; font-variant-numeric: tabular-nums; display: flex; gap: 0.35rem; align-items: center; }
  .step-detail { font-size: 0.85rem; font-variant-numeric: tabular-nums; color: ${colour('muted-text')}; }
  .chain-held { margin: 0; color: ${colour('muted-text')}; }
  .chain .swatch { display: inline-block; width: 1em; height: 1em; border-radius: 0.2em; border: 1px solid ${colour('text')}; }
`;

export class LookupChain {
  /** `onFollow(title)` when the learner picks a book to follow ('' = the top book). */
  constructor({ onFollow }) {
    this.element = htmlElement('div', { class: 'chain', role: 'group', 'aria-label': 'The chain of numbers for one book' });
    const head = htmlElement('div', { class: 'chain-head' });
    this.select = htmlElement('select', { id: 'follow', part: 'follow' });
    this.select.addEventListener('change', () => onFollow(this.select.value));
    head.append(htmlElement('label', { for: 'follow' }, 'Follow one book through the numbers:'), this.select);
    this.steps = htmlElement('ol', { class: 'chain-steps' });
    this.heldNote = htmlElement('p', { class: 'chain-held' }, 'The chain shows once you have answered the exercise about the weights (or asked to see them).');
    this.heldNote.hidden = true;
    this.element.append(head, this.steps, this.heldNote);
  }

  /** Hides the numbers (while the weights are held back), saying why. */
  hold(held) {
    this.steps.hidden = held;
    this.heldNote.hidden = !held;
  }

  /** Lists the books to follow; `followed` is a title or '' (whichever book has the most weight). */
  showBooks(books, followed, topTitle = '') {
    const options = [['', topTitle ? `the top book (now ${topTitle})` : 'the top book'], ...books.map(({ title }) => [title, title])];
    this.select.replaceChildren(...options.map(([value, text]) => Object.assign(htmlElement('option', { value }, text), { selected: value === followed })));
    this.select.value = followed;
  }

  #step(name, valueNodes, detail, key, value) {
    const item = htmlElement('li', { 'data-step': key, 'data-value': String(value) });
    const shown = htmlElement('span', { class: 'step-value' });
    shown.append(...valueNodes);
    item.append(htmlElement('span', { class: 'step-name' }, name), shown, htmlElement('span', { class: 'step-detail' }, detail));
    return item;
  }

  #colourValue(rgb) {
    const swatch = htmlElement('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.background = cssColour(rgb);
    return [swatch, triple(rgb)];
  }

  /**
   * Shows the chain of book `index`. `lookup`: { books, query, dots (q·k, the core's),
   * scores (÷ T, the core's), weights, output (the core's), temperature, hard, winner }.
   */
  update(index, { books, query, dots, scores, weights, output, temperature, hard, winner }) {
    const book = books[index];
    const queryLength = Math.hypot(...query);
    const keyLength = Math.hypot(...book.key);
    const cosine = dots[index] / (queryLength * keyLength);
    const weight = weights[index];
    const contribution = book.value.map((channel) => weight * channel);
    const steps = [this.#step(`q·k for ${book.title}`, [fixed(dots[index])],
      `= |q| |k| cos θ = ${fixed(queryLength)} × ${fixed(keyLength)} × ${fixed(cosine)}`, 'dot', dots[index])];
    if (hard) {
      const isWinner = index === winner;
      steps.push(this.#step('the largest q·k?', [isWinner ? 'yes' : `no: ${books[winner].title}`],
        `argmax over ${books.length} books; a tie goes to the book listed first`, 'winner', books[winner].title),
      this.#step('weight α', [isWinner ? '1' : '0'], 'all weight on the winner', 'weight', weight));
    } else {
      const exps = Array.from(scores, (score) => Math.exp(score));
      const sum = exps.reduce((total, value) => total + value, 0);
      steps.push(this.#step('÷ T', [fixed(scores[index])], `${fixed(dots[index])} ÷ ${fixed(temperature)}`, 'scaled', scores[index]),
        this.#step('exp', [formatExp(exps[index])], `e^${fixed(scores[index])}`, 'exp', exps[index]),
        this.#step('÷ Σ exp = weight α', [fixed(weight, 3)], `${formatExp(exps[index])} ÷ ${formatExp(sum)} (sum over ${books.length} books)`, 'weight', weight));
    }
    steps.push(this.#step('α × value', this.#colourValue(contribution), `${fixed(weight, 3)} × ${triple(book.value)}`,
      'contribution', JSON.stringify(contribution)),
    this.#step('Σ over books = output', this.#colourValue(output), 'every book’s α × value, added', 'output', JSON.stringify(Array.from(output))));
    this.steps.replaceChildren(...steps);
  }
}
