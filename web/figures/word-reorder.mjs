/**
 * A list of words the learner puts in an order of their own, three ways: drag a word by
 * its handle (mouse or touch; only the handle takes the touch, so a swipe elsewhere
 * scrolls the page), or press its "earlier" / "later" buttons (keyboard, touch, switch
 * access, screen readers; 44 px targets). After a button press the focus stays on the
 * moved word's button, so pressing it again keeps moving the same word. A live region
 * says where the word went.
 *
 * `onChange(order, { transient })`: `order[i]` is the index (in `words`) of the word now
 * at place i; transient while a drag is still going on.
 */
import { colour } from '../runtime/theme-colours.mjs';

export class WordReorder {
  #words = [];
  #order = [];
  #onChange;

  constructor({ part, onChange, legend = 'Your target order: drag a word by its handle, or move it with its buttons' }) {
    this.#onChange = onChange;
    this.element = document.createElement('fieldset');
    this.element.className = 'word-reorder';
    if (part) this.element.setAttribute('part', part);
    const title = document.createElement('legend');
    title.textContent = legend;
    this.list = document.createElement('ol');
    this.live = document.createElement('p');
    this.live.className = 'visually-hidden';
    this.live.setAttribute('aria-live', 'polite');
    this.element.append(title, this.list, this.live);
  }

  /** Shows `words` in `order` (a permutation of their indices). */
  show(words, order) {
    this.#words = words;
    this.#order = [...order];
    this.list.replaceChildren(...this.#order.map((wordIndex, place) => this.#item(wordIndex, place)));
  }

  #item(wordIndex, place) {
    const word = this.#words[wordIndex];
    const item = document.createElement('li');
    item.dataset.word = String(wordIndex);
    const handle = document.createElement('span');
    handle.className = 'handle';
    handle.setAttribute('aria-hidden', 'true');
    handle.textContent = '⠿';
    handle.addEventListener('pointerdown', (event) => this.#drag(event, item));
    const text = document.createElement('span');
    text.className = 'word';
    text.textContent = word;
    const button = (label, direction, disabled) => {
      const element = document.createElement('button');
      element.type = 'button';
      element.textContent = direction < 0 ? '↑' : '↓';
      element.dataset.direction = String(direction);
      element.setAttribute('aria-label', `Move “${word}” ${label}`);
      element.disabled = disabled;
      element.addEventListener('click', () => this.#move(wordIndex, direction));
      return element;
    };
    item.append(handle, text, button('earlier', -1, place === 0), button('later', 1, place === this.#order.length - 1));
    return item;
  }

  #move(wordIndex, direction) {
    const from = this.#order.indexOf(wordIndex);
    const to = from + direction;
    if (to < 0 || to >= this.#order.length) return;
    [this.#order[from], this.#order[to]] = [this.#order[to], this.#order[from]];
    this.show(this.#words, this.#order);
    this.#announce(wordIndex, to);
    this.#onChange([...this.#order], { transient: false });
    const item = this.list.querySelector(`li[data-word="${wordIndex}"]`);
    const same = item.querySelector(`button[data-direction="${direction}"]`);
    (same.disabled ? item.querySelector(`button[data-direction="${-direction}"]`) : same).focus();
  }

  #announce(wordIndex, place) {
    this.live.textContent = `“${this.#words[wordIndex]}” is now word ${place + 1} of ${this.#order.length}.`;
  }

  /** Drags `item` by its handle: the item moves among the others as the pointer passes their middles. */
  #drag(event, item) {
    if (event.button !== 0) return;
    event.preventDefault();
    const handle = event.currentTarget;
    handle.setPointerCapture(event.pointerId);
    item.classList.add('dragging');
    // The dragged item never leaves the document (that would end the pointer capture): the others move around it.
    const onMove = (moveEvent) => {
      const children = [...this.list.children];
      const from = children.indexOf(item);
      const others = children.filter((other) => other !== item);
      let to = others.findIndex((other) => {
        const box = other.getBoundingClientRect();
        return moveEvent.clientY < box.top + box.height / 2;
      });
      if (to < 0) to = others.length;
      if (to === from) return;
      if (to < from) item.after(...children.slice(to, from));
      else item.before(...children.slice(from + 1, to + 1));
      this.#order = [...this.list.children].map((child) => Number(child.dataset.word));
      this.#onChange([...this.#order], { transient: true });
    };
    const onEnd = () => {
      handle.removeEventListener('pointermove', onMove);
      handle.removeEventListener('pointerup', onEnd);
      handle.removeEventListener('pointercancel', onEnd);
      item.classList.remove('dragging');
      const wordIndex = Number(item.dataset.word);
      this.show(this.#words, this.#order);
      this.#announce(wordIndex, this.#order.indexOf(wordIndex));
      this.#onChange([...this.#order], { transient: false });
    };
    handle.addEventListener('pointermove', onMove);
    handle.addEventListener('pointerup', onEnd);
    handle.addEventListener('pointercancel', onEnd);
  }
}

/** Styles for the list, for a widget's shadow root. */
export const wordReorderStyles = `
  .word-reorder { border: 0; margin: 1rem 0 0; padding: 0; min-width: 0; }
  .word-reorder[hidden] { display: none; }
  .word-reorder legend { padding: 0; margin-bottom: 0.35rem; font-weight: 600; }
  .word-reorder ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.3rem; max-width: 24rem; }
  .word-reorder li { display: grid; grid-template-columns: 2.75rem minmax(0, 1fr) 2.75rem 2.75rem; gap: 0.35rem; align-items: center;
    border: 1px solid ${colour('rule')}; border-radius: 0.4rem; background: ${colour('panel')}; padding: 0.15rem; }
  .word-reorder li.dragging { border-color: ${colour('accent')}; box-shadow: 0 0 0 2px ${colour('accent')}; }
  .word-reorder .handle { display: flex; align-items: center; justify-content: center; min-height: 2.75rem; cursor: grab;
    touch-action: none; user-select: none; color: ${colour('muted-text')}; font-size: 1.2rem; }
  .word-reorder .word { font-weight: 600; overflow-wrap: anywhere; }
  .word-reorder button { font: inherit; font-size: 1.1rem; width: 2.75rem; height: 2.75rem; padding: 0; border-radius: 0.4rem; cursor: pointer;
    border: 1px solid ${colour('muted-text')}; color: ${colour('text')}; background: ${colour('background')}; }
  .word-reorder button:disabled { cursor: not-allowed; opacity: 0.55; }
  .word-reorder button:focus-visible { outline: 3px solid ${colour('focus')}; outline-offset: 2px; }
  .word-reorder .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
