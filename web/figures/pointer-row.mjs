/**
 * A row of tokens, each with an arrow to the token it points at: the pointer-chasing
 * puzzle of lesson 5. Arrows that go right are drawn above the row, arrows that go left
 * below it, a token that points at itself gets a small loop; the arrows along one path
 * (the chosen start's true chase) are drawn in the accent colour, thicker.
 *
 * The tokens are native buttons, each at least 44 px square (the row scrolls inside its
 * own box when a phone is too narrow for all of them). Redirecting an arrow takes two
 * presses: the token whose arrow moves, then the token it should point at (the same token
 * again makes it point at itself); Escape cancels. A live region says what is happening,
 * and each button's name says where its arrow points, so the arrows themselves are
 * decoration (aria-hidden).
 *
 *   const row = new PointerRow({ label: 'Pointers', onRedirect: (from, to) => … });
 *   row.update({ labels: ['A', 'B', 'C'], pointers: [2, 0, 2], start: 0, path: [0, 2, 2] });
 */
import { svgElement } from './vector-plane.mjs';
import { colour } from '../runtime/theme-colours.mjs';

const arcRoom = 78; // px above and below the buttons for the arcs
const buttonHeight = 44;

/** Styles for the row, for a widget's shadow root. */
export const pointerRowStyles = `
  .pointer-row { display: grid; gap: 0.35rem; min-width: 0; }
  .pointer-row-scroll { overflow-x: auto; max-width: 100%; }
  .pointer-row-stage { position: relative; padding: ${arcRoom}px 0; }
  .pointer-row-arrows { position: absolute; inset: 0; width: 100%; height: 100%; pointer-events: none; overflow: visible; }
  .pointer-row-arrows path { fill: none; stroke: ${colour('muted-text')}; stroke-width: 1.6; }
  .pointer-row-arrows polygon { fill: ${colour('muted-text')}; }
  .pointer-row-arrows .on-path path { stroke: ${colour('accent')}; stroke-width: 3.2; }
  .pointer-row-arrows .on-path polygon { fill: ${colour('accent')}; }
  .pointer-row-arrows .picked path { stroke-dasharray: 5 4; }
  .pointer-tokens { display: grid; gap: 0; }
  .pointer-tokens button { font: inherit; font-weight: 700; min-width: 2.75rem; min-height: ${buttonHeight}px; margin: 0 2px;
    border-radius: 0.4rem; cursor: pointer; border: 1px solid ${colour('muted-text')}; color: ${colour('text')};
    background: ${colour('background')}; position: relative; }
  .pointer-tokens button.start { border: 3px solid ${colour('accent')}; }
  .pointer-tokens button[aria-pressed=true] { background: ${colour('accent')}; border-color: ${colour('accent')}; color: ${colour('background')}; }
  .pointer-tokens button:focus-visible { outline: 3px solid ${colour('focus')}; outline-offset: 2px; }
  .pointer-row-status { margin: 0; min-height: 1.5em; color: ${colour('muted-text')}; }
`;

export class PointerRow {
  #labels = [];
  #pointers = [];
  #start = 0;
  #path = [];
  #picked = null;
  #onRedirect;
  #buttons = [];

  /** `label`: what the row is, for assistive technology; `onRedirect(from, to)` when the learner moves an arrow. */
  constructor({ label, onRedirect, part }) {
    this.#onRedirect = onRedirect;
    this.element = document.createElement('div');
    this.element.className = 'pointer-row';
    if (part) this.element.setAttribute('part', part);
    const scroll = document.createElement('div');
    scroll.className = 'pointer-row-scroll';
    this.stage = document.createElement('div');
    this.stage.className = 'pointer-row-stage';
    this.arrows = svgElement('svg', { class: 'pointer-row-arrows', 'aria-hidden': 'true' });
    this.tokens = document.createElement('div');
    this.tokens.className = 'pointer-tokens';
    this.tokens.setAttribute('role', 'group');
    this.tokens.setAttribute('aria-label', label);
    this.stage.append(this.arrows, this.tokens);
    scroll.append(this.stage);
    this.status = document.createElement('p');
    this.status.className = 'pointer-row-status';
    this.status.setAttribute('aria-live', 'polite');
    this.element.append(scroll, this.status);
    this.tokens.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.#picked !== null) {
        event.preventDefault();
        this.#cancel();
      }
    });
    new ResizeObserver(() => this.#drawArrows()).observe(this.stage);
  }

  /** The token whose arrow is being moved, or null. */
  get picked() {
    return this.#picked;
  }

  /**
   * Shows `pointers` (token i points at pointers[i]) over tokens named `labels`, marks
   * `start`, and draws the arrows between consecutive entries of `path` highlighted.
   */
  update({ labels, pointers, start, path }) {
    const rebuild = labels.length !== this.#labels.length;
    this.#labels = labels;
    this.#pointers = [...pointers];
    this.#start = start;
    this.#path = path;
    if (rebuild) this.#buildButtons();
    this.#buttons.forEach((button, index) => {
      button.classList.toggle('start', index === start);
      button.setAttribute('aria-pressed', String(index === this.#picked));
      const target = labels[this.#pointers[index]];
      button.setAttribute('aria-label', `${labels[index]}${index === start ? ' (the start)' : ''}: points at ${target}`);
      button.dataset.pointsAt = target;
    });
    this.#drawArrows();
  }

  #buildButtons() {
    this.#picked = null;
    const n = this.#labels.length;
    this.tokens.style.gridTemplateColumns = `repeat(${n}, minmax(3rem, 5rem))`;
    this.#buttons = this.#labels.map((label, index) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = label;
      button.dataset.token = label;
      button.addEventListener('click', () => this.#press(index));
      return button;
    });
    this.tokens.replaceChildren(...this.#buttons);
  }

  #press(index) {
    const labels = this.#labels;
    if (this.#picked === null) {
      this.#picked = index;
      this.status.textContent = `Moving the arrow of ${labels[index]} (now to ${labels[this.#pointers[index]]}): `
        + `press the token it should point at (${labels[index]} itself for a loop), or Escape to cancel.`;
    } else {
      const from = this.#picked;
      this.#picked = null;
      this.status.textContent = `${labels[from]} now points at ${labels[index]}.`;
      this.#onRedirect(from, index);
    }
    this.update({ labels, pointers: this.#pointers, start: this.#start, path: this.#path });
  }

  #cancel() {
    const from = this.#picked;
    this.#picked = null;
    this.status.textContent = `The arrow of ${this.#labels[from]} stays where it was.`;
    this.update({ labels: this.#labels, pointers: this.#pointers, start: this.#start, path: this.#path });
  }

  /** Arcs between button centres, in the stage's own pixels (so arrowheads keep their shape). */
  #drawArrows() {
    const stage = this.stage.getBoundingClientRect();
    if (!stage.width || !this.#buttons.length) return;
    const centres = this.#buttons.map((button) => {
      const box = button.getBoundingClientRect();
      return { x: box.left - stage.left + box.width / 2, top: box.top - stage.top, bottom: box.bottom - stage.top, width: box.width };
    });
    this.arrows.setAttribute('viewBox', `0 0 ${stage.width} ${stage.height}`);
    const onPath = new Set();
    for (let step = 0; step + 1 < this.#path.length; step++) onPath.add(`${this.#path[step]}>${this.#path[step + 1]}`);
    const spacing = centres.length > 1 ? centres[1].x - centres[0].x : centres[0].width;
    const arrows = this.#pointers.map((to, from) => {
      const group = svgElement('g', { 'data-from': this.#labels[from], 'data-to': this.#labels[to] });
      if (onPath.has(`${from}>${to}`)) group.classList.add('on-path');
      if (from === this.#picked) group.classList.add('picked');
      group.append(...arrowShapes(centres[from], centres[to], from, to, spacing));
      return group;
    });
    // Highlighted arrows last, so they lie over the others.
    arrows.sort((a, b) => Number(a.classList.contains('on-path')) - Number(b.classList.contains('on-path')));
    this.arrows.replaceChildren(...arrows);
  }
}

/** An arrowhead at `tip`, pointing along (dx, dy). */
function arrowhead([tipX, tipY], dx, dy) {
  const length = Math.hypot(dx, dy) || 1;
  const [ux, uy] = [dx / length, dy / length];
  const back = 9, half = 4.5;
  const points = [[tipX, tipY], [tipX - back * ux - half * uy, tipY - back * uy + half * ux], [tipX - back * ux + half * uy, tipY - back * uy - half * ux]];
  return svgElement('polygon', { points: points.map((point) => point.join(',')).join(' ') });
}

/** The path and arrowhead from token `from` to token `to`: above the row going right, below going left, a loop for itself. */
function arrowShapes(a, b, from, to, spacing) {
  if (from === to) {
    const y = a.top;
    const d = `M ${a.x - 7} ${y} C ${a.x - 20} ${y - 34}, ${a.x + 20} ${y - 34}, ${a.x + 7} ${y - 1}`;
    return [svgElement('path', { d }), arrowhead([a.x + 7, y - 1], -13, 33)];
  }
  const above = to > from;
  const startX = a.x + (above ? 6 : -6);
  const endX = b.x + (above ? -6 : 6);
  const y0 = above ? a.top : a.bottom;
  const reach = Math.min(arcRoom - 8, 16 + 14 * Math.abs(to - from) * Math.min(1, spacing / 48));
  const controlY = above ? y0 - 2 * reach : y0 + 2 * reach;
  const d = `M ${startX} ${y0} Q ${(startX + endX) / 2} ${controlY} ${endX} ${y0}`;
  return [svgElement('path', { d }), arrowhead([endX, y0], endX - (startX + endX) / 2, y0 - controlY)];
}
