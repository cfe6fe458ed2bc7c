/**
 * A slider for a continuous value with − and + buttons beside it: the slider for a quick
 * sweep, the buttons (44 px touch targets) to reach every value exactly by touch, one
 * step at a time, and the value itself shown between them so it stays in view while the
 * learner drags. The range's steps are `min + k · step`.
 */
import { colour } from '../runtime/theme-colours.mjs';

let sliders = 0;

export class SteppedSlider {
  /**
   * `label`: what is set; `min`, `max`, `step`; `format(value)` for the shown value;
   * `onInput(value, { transient })` on every change (transient while the slider is
   * being dragged); `onCommit()` when a gesture ends; `part`: the CSS part name.
   */
  constructor({ label, min, max, step, format = String, onInput, onCommit = () => {}, part, id }) {
    sliders += 1;
    Object.assign(this, { min, max, step, format });
    const inputId = id ?? `stepped-slider-${sliders}`;
    this.element = document.createElement('div');
    this.element.className = 'stepped-slider';
    if (part) this.element.setAttribute('part', part);
    const name = document.createElement('label');
    name.htmlFor = inputId;
    name.textContent = label;
    this.output = document.createElement('output');
    this.output.htmlFor = inputId;
    this.slider = document.createElement('input');
    Object.assign(this.slider, { type: 'range', id: inputId, min: String(min), max: String(max), step: String(step) });
    this.slider.addEventListener('input', () => {
      this.#show();
      onInput(Number(this.slider.value), { transient: true });
    });
    this.slider.addEventListener('change', () => onCommit());
    const button = (text, direction, description) => {
      const element = document.createElement('button');
      element.type = 'button';
      element.className = 'step';
      element.textContent = text;
      element.setAttribute('aria-label', `${description} ${label.toLowerCase()} by ${step}`);
      element.addEventListener('click', () => {
        const next = this.#snap(Number(this.slider.value) + direction * step);
        if (next === Number(this.slider.value)) return;
        this.value = next;
        onInput(next, { transient: false });
        onCommit();
      });
      return element;
    };
    this.down = button('−', -1, 'Lower');
    this.up = button('+', 1, 'Raise');
    const head = document.createElement('div');
    head.className = 'slider-head';
    head.append(name, this.output);
    const row = document.createElement('div');
    row.className = 'slider-row';
    row.append(this.down, this.slider, this.up);
    this.element.append(head, row);
  }

  /** The nearest value on the grid of steps, inside [min, max]. */
  #snap(value) {
    const steps = Math.round((value - this.min) / this.step);
    const snapped = Number((this.min + steps * this.step).toFixed(10));
    return Math.min(this.max, Math.max(this.min, snapped));
  }

  #show() {
    const value = Number(this.slider.value);
    this.output.textContent = this.format(value);
    this.slider.setAttribute('aria-valuetext', this.format(value));
    this.down.disabled = this.slider.disabled || value <= this.min;
    this.up.disabled = this.slider.disabled || value >= this.max;
  }

  get value() {
    return Number(this.slider.value);
  }

  /** Shows `value` (without calling onInput). */
  set value(value) {
    this.slider.value = String(value);
    this.#show();
  }

  set disabled(disabled) {
    this.slider.disabled = disabled;
    this.#show();
  }
}

/** Styles for the slider, for a widget's shadow root. */
export const steppedSliderStyles = `
  .stepped-slider { display: grid; gap: 0.25rem; min-width: 0; }
  .slider-head { display: flex; justify-content: space-between; align-items: baseline; gap: 0.75rem; }
  .slider-head label { font-weight: 600; }
  .slider-head output { font-variant-numeric: tabular-nums; font-weight: 600; min-width: 4ch; text-align: right; }
  .slider-row { display: grid; grid-template-columns: 2.75rem minmax(0, 1fr) 2.75rem; gap: 0.5rem; align-items: center; }
  .slider-row input[type=range] { width: 100%; margin: 0; min-height: 2.75rem; accent-color: ${colour('accent')}; }
  .slider-row .step { font: inherit; font-size: 1.25rem; line-height: 1; width: 2.75rem; height: 2.75rem; padding: 0;
    border-radius: 0.4rem; cursor: pointer; border: 1px solid ${colour('muted-text')};
    color: ${colour('text')}; background: ${colour('background')}; }
  .slider-row .step:disabled { cursor: not-allowed; opacity: 0.55; }
  .stepped-slider :is(input, button):focus-visible { outline: 3px solid ${colour('focus')}; outline-offset: 2px; }
`;
