/**
 * Evidence a widget holds back until the learner has answered: the widget side of
 * "predict, then reveal". A widget declares what it can hold back
 * (`static evidence = { name: 'what it is' }`) and has a `withheld` property, a Set of
 * those names, which the lesson runtime sets from its exercises (lesson-evidence.mjs).
 * Each held-back part is replaced by a placeholder that says what is hidden and offers
 * to show it now; that button fires `evidencereveal` (bubbling, composed, `detail:
 * { name }`) from the widget, and the runtime then stops holding it back.
 */
import { colour } from './theme-colours.mjs';

/** The names in `names` (any iterable, or one name) that `widget` declares as evidence. */
export function evidenceSet(widget, names) {
  const declared = widget.constructor.evidence ?? {};
  const list = typeof names === 'string' ? [names] : [...(names ?? [])];
  return new Set(list.filter((name) => Object.hasOwn(declared, name)));
}

/** Asks the page to stop holding back `name`: the event the placeholder's button fires from `widget`. */
export function requestReveal(widget, name) {
  widget.dispatchEvent(new CustomEvent('evidencereveal', { bubbles: true, composed: true, detail: { name } }));
}

/** "a", "a and b", "a, b and c". */
const listed = (parts) => (parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0] ?? '');

/**
 * The placeholder for evidence of `widget`: a box saying what is hidden, with a button
 * to show it now. `names` is one evidence name or several (a widget that hides several
 * things in one place shows one box for them). Its `element` goes where the evidence
 * would be.
 */
export class WithheldPlaceholder {
  #widget;
  #names;
  #held = [];

  constructor(widget, names) {
    this.#widget = widget;
    this.#names = [names].flat();
    this.element = document.createElement('div');
    this.element.className = 'withheld';
    this.element.dataset.withheld = this.#names.join(' ');
    this.text = document.createElement('p');
    this.button = document.createElement('button');
    this.button.type = 'button';
    this.button.textContent = 'Show it now';
    this.button.addEventListener('click', () => {
      for (const name of this.#held) requestReveal(this.#widget, name);
    });
    this.element.append(this.text, this.button);
    this.element.hidden = true;
  }

  /**
   * Shows the placeholder while any of its names is in `withheld` (a Set), saying which;
   * returns whether any is.
   */
  show(withheld) {
    this.#held = this.#names.filter((name) => withheld.has(name));
    const described = listed(this.#held.map((name) => this.#widget.constructor.evidence?.[name] ?? name));
    this.text.textContent = `Held back until you answer the exercise about it: ${described}. Predict first, then check your answer.`;
    this.button.setAttribute('aria-label', `Show it now: ${described}`);
    this.element.hidden = this.#held.length === 0;
    return this.#held.length > 0;
  }

  /** Shows the placeholder in place of `content` (an element or a list of them) while its evidence is in `withheld`. */
  hold(withheld, content) {
    const held = this.show(withheld);
    for (const element of [content].flat()) if (element) element.hidden = held;
    return held;
  }
}

/** Styles for placeholders, for a widget's shadow root. */
export const withheldStyles = `
  .withheld { display: grid; gap: 0.5rem; justify-items: start; padding: 0.75rem 1rem; border-radius: 0.5rem;
    border: 2px dashed ${colour('rule')}; background: ${colour('panel')}; color: ${colour('text')}; }
  .withheld[hidden] { display: none; }
  .withheld p { margin: 0; }
  .withheld button { font: inherit; min-height: 2.75rem; padding: 0.3rem 0.9rem; border-radius: 0.4rem; cursor: pointer;
    border: 1px solid ${colour('accent')}; color: ${colour('accent')}; background: ${colour('background')}; }
  .withheld button:focus-visible { outline: 3px solid ${colour('focus')}; outline-offset: 2px; }
`;
