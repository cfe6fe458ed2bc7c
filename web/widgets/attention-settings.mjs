/**
 * The settings of `<self-attention>`: heads, scaling, temperature, mask (and its window),
 * values tied to keys, and what the heatmaps show. Each control is a CSS part named for
 * its parameter, so a lesson or an embed can hide it; discrete choices are selects, the
 * temperature and window number fields. Changes go to `onChange(patch)` as view values.
 */
import { htmlElement } from './html-element.mjs';

let settingsCount = 0;

/** A labelled select: { element, field }. */
function select(part, label, options, onChange) {
  const id = `setting-${(settingsCount += 1)}`;
  const element = htmlElement('div', { class: 'setting', part });
  const field = htmlElement('select', { id });
  for (const [value, text] of options) field.append(htmlElement('option', { value }, text));
  field.addEventListener('change', () => onChange(field.value));
  element.append(htmlElement('label', { for: id }, label), field);
  return { element, field };
}

/** A labelled number field with a message line: { element, field, message }. */
function numberField(part, label, { min, max, step }, onValue) {
  const id = `setting-${(settingsCount += 1)}`;
  const element = htmlElement('div', { class: 'setting', part });
  const field = htmlElement('input', { id, type: 'number', min: String(min), max: String(max), step: String(step), inputmode: 'decimal', 'aria-describedby': `${id}-message` });
  const message = htmlElement('p', { class: 'field-message', id: `${id}-message`, role: 'alert' });
  field.addEventListener('change', () => {
    const value = Number(field.value);
    const valid = field.value.trim() !== '' && Number.isFinite(value) && value >= min && value <= max && (step !== 1 || Number.isInteger(value));
    message.textContent = valid ? '' : `${label} must be ${step === 1 ? 'a whole number' : 'a number'} from ${min} to ${max}; the view keeps the last one that was.`;
    field.setAttribute('aria-invalid', String(!valid));
    if (valid) onValue(value);
  });
  element.append(htmlElement('label', { for: id }, label), field, message);
  return { element, field, message };
}

export class AttentionSettings {
  constructor({ onChange }) {
    this.element = htmlElement('div', { class: 'settings' });
    this.heads = select('heads', 'Heads', [], (value) => onChange({ heads: Number(value) }));
    this.scaling = select('scaling', 'Scaling', [['sqrt', '÷√d_k'], ['none', 'none'], ['l2', 'L2-normalised keys']], (value) => onChange({ scaling: value }));
    this.temperature = numberField('temperature', 'Temperature T', { min: 0.05, max: 20, step: 0.05 }, (value) => onChange({ temperature: value }));
    this.mask = select('mask', 'Mask', [['none', 'none'], ['causal', 'causal (no peeking ahead)'], ['local', 'local window']], (value) => onChange({ mask: value }));
    this.window = numberField('mask', 'Window (keys each side)', { min: 0, max: 1023, step: 1 }, (value) => onChange({ window: value }));
    this.tie = select('tie', 'Values', [['false', 'V from W_V'], ['true', 'tied to the keys (V = K)']], (value) => onChange({ tie: value === 'true' }));
    this.shown = select('domain', 'Heatmaps show', [['weights', 'the weights'], ['scores', 'the scores']], (value) => onChange({ shown: value }));
    this.domain = select('domain', 'Weights coloured', [['auto', 'to 1, or the largest beyond 64 keys'], ['one', 'from 0 to 1'], ['max', 'from 0 to the largest']], (value) => onChange({ domain: value }));
    this.element.append(...[this.heads, this.scaling, this.temperature, this.mask, this.window, this.tie, this.shown, this.domain].map(({ element }) => element));
  }

  /** Shows `view`'s values; `headChoices` the head counts that fit the input; `controls` the ones to show. */
  show(view, { headChoices, controls }) {
    const { heads, scaling, temperature, mask, window, tie, shown, domain } = this;
    heads.field.replaceChildren(...headChoices.map((count) => htmlElement('option', { value: String(count) }, String(count))));
    heads.field.value = String(view.heads);
    scaling.field.value = view.scaling;
    mask.field.value = view.mask;
    tie.field.value = String(view.tie);
    shown.field.value = view.shown;
    domain.field.value = view.domain;
    const active = this.element.getRootNode().activeElement;
    if (temperature.field !== active) temperature.field.value = String(view.temperature);
    if (window.field !== active) window.field.value = String(view.window);
    const visible = { heads: 'heads', scaling: 'scaling', temperature: 'temperature', mask: 'mask', tie: 'tie', shown: 'domain', domain: 'domain' };
    for (const [name, control] of Object.entries(visible)) this[name].element.hidden = !controls.includes(control);
    window.element.hidden = !controls.includes('mask') || view.mask !== 'local';
    domain.element.hidden = domain.element.hidden || view.shown !== 'weights';
    this.element.hidden = Object.keys(visible).every((name) => this[name].element.hidden);
  }
}
