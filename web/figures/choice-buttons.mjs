/**
 * A row of buttons for a short list of discrete values (d_k = 1, 2, 4, …, 1024; a
 * scaling; a mask): one tap reaches any value on a phone, where a slider over a few
 * dozen pixels reaches almost none. Underneath it is a group of native radio buttons —
 * arrow keys move between values, screen readers announce "4 of 11" — each drawn as a
 * button at least 44 px square.
 */
import { colour } from '../runtime/theme-colours.mjs';

let groups = 0;

export class ChoiceButtons {
  /**
   * `legend`: what the value is; `choices`: [{ value, label }] (label defaults to the
   * value); `onChange(value)` when the learner picks one; `part`: the CSS part name of
   * the group (so an embed can hide it).
   */
  constructor({ legend, choices, onChange, part }) {
    groups += 1;
    this.element = document.createElement('fieldset');
    this.element.className = 'choice-buttons';
    if (part) this.element.setAttribute('part', part);
    const title = document.createElement('legend');
    title.textContent = legend;
    const row = document.createElement('div');
    row.className = 'choice-row';
    this.inputs = choices.map(({ value, label = String(value) }) => {
      const wrapper = document.createElement('label');
      const input = document.createElement('input');
      input.type = 'radio';
      input.name = `choice-buttons-${groups}`;
      input.value = String(value);
      input.addEventListener('change', () => {
        if (input.checked) onChange(input.value);
      });
      const text = document.createElement('span');
      text.textContent = label;
      wrapper.append(input, text);
      row.append(wrapper);
      return input;
    });
    this.element.append(title, row);
  }

  /** The chosen value (text), or '' when none is. */
  get value() {
    return this.inputs.find((input) => input.checked)?.value ?? '';
  }

  /** Shows `value` as chosen (without calling onChange). */
  set value(value) {
    for (const input of this.inputs) input.checked = input.value === String(value);
  }
}

/** Styles for the buttons, for a widget's shadow root. */
export const choiceButtonsStyles = `
  .choice-buttons { border: 0; margin: 0; padding: 0; min-width: 0; }
  .choice-buttons legend { padding: 0; margin-bottom: 0.35rem; font-weight: 600; }
  .choice-row { display: flex; flex-wrap: wrap; gap: 0.35rem; }
  .choice-row label { position: relative; display: inline-flex; align-items: center; justify-content: center;
    min-width: 2.75rem; min-height: 2.75rem; padding: 0 0.55rem; border-radius: 0.4rem; cursor: pointer;
    font-variant-numeric: tabular-nums; border: 1px solid ${colour('muted-text')};
    color: ${colour('text')}; background: ${colour('background')}; }
  .choice-row input { position: absolute; inset: 0; width: 100%; height: 100%; margin: 0; opacity: 0; cursor: pointer; }
  .choice-row label:has(input:checked) { background: ${colour('accent')}; border-color: ${colour('accent')};
    color: ${colour('background')}; font-weight: 600; }
  .choice-row label:has(input:focus-visible) { outline: 3px solid ${colour('focus')}; outline-offset: 2px; }
`;
