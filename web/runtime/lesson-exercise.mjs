/**
 * `<lesson-exercise>`: the learner predicts a number or picks a choice, the page checks
 * it and explains the answer.
 *
 * The exercise comes from the lesson file as data (see lesson-format.mjs): a prompt, the
 * right answer — written in the lesson, or a `@widget.quantity` that a widget on the
 * page publishes from the core's numbers — a stated tolerance for numbers, and an
 * explanation shown once the learner has checked. It renders in the light DOM, so the
 * page's KaTeX styles typeset its math.
 *
 * For tests: `data-exercise-id`; `data-verdict` ('right' or 'wrong') and
 * `data-expected` after a check.
 */
import { quantityPrefix } from './lesson-format.mjs';
import { inlineNodes } from './lesson-prose.mjs';

/** "within 5% of" / "within ±0.05 of", for the page to state. */
export function describeTolerance(tolerance) {
  return 'relative' in tolerance
    ? `within ${Number((tolerance.relative * 100).toPrecision(6))}% of`
    : `within ±${tolerance.absolute} of`;
}

/** Whether `given` is right for `expected` within `tolerance`. */
export function withinTolerance(given, expected, tolerance) {
  const allowed = 'relative' in tolerance ? tolerance.relative * Math.abs(expected) : tolerance.absolute;
  return Math.abs(given - expected) <= allowed;
}

/** Reads a typed number: digits with an optional sign, decimal point and exponent; spaces and _ ignored. */
export function readNumber(text) {
  const cleaned = text.replace(/[\s_]/g, '');
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned) ? Number(cleaned) : null;
}

const formatNumber = (value) => (Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4))));

let exerciseCount = 0;

export class LessonExercise extends HTMLElement {
  #spec = null;
  #resolve = () => undefined;
  #headingLevel = 2;
  #number = 1;
  #parts = null;
  #shownChoices = '';

  /** Sets the exercise: its data, how to look up `@quantities`, its number in the lesson and the level of its heading. */
  configure(spec, { resolve, number = 1, headingLevel = 2 }) {
    this.#number = number;
    this.#spec = spec;
    this.#resolve = resolve;
    this.#headingLevel = headingLevel;
    this.dataset.exerciseId = spec.id;
    if (this.isConnected) this.#render();
  }

  connectedCallback() {
    if (this.#spec && !this.#parts) this.#render();
  }

  #value(text) {
    return typeof text === 'string' && text.startsWith(quantityPrefix) ? this.#resolve(text) : text;
  }

  #render() {
    exerciseCount += 1;
    const prefix = `exercise-${this.#spec.id}-${exerciseCount}`;
    const section = document.createElement('section');
    section.className = 'exercise';
    section.setAttribute('aria-labelledby', `${prefix}-title`);
    const title = document.createElement(`h${this.#headingLevel}`);
    title.id = `${prefix}-title`;
    title.textContent = `Exercise ${this.#number}: predict, then check`;
    const prompt = document.createElement('p');
    prompt.className = 'prompt';
    prompt.id = `${prefix}-prompt`;
    prompt.append(...inlineNodes(this.#spec.prompt));
    const form = document.createElement('form');
    form.noValidate = true;
    const answerArea = document.createElement('div');
    answerArea.className = 'answer';
    const check = document.createElement('button');
    check.type = 'submit';
    check.textContent = 'Check';
    form.append(answerArea, check);
    const note = document.createElement('p');
    note.className = 'tolerance';
    const feedback = document.createElement('div');
    feedback.className = 'feedback';
    feedback.setAttribute('role', 'status');
    section.append(title, prompt, form);
    if (this.#spec.type === 'number') {
      const label = document.createElement('label');
      label.htmlFor = `${prefix}-input`;
      label.textContent = 'Your answer';
      const input = document.createElement('input');
      input.id = `${prefix}-input`;
      input.type = 'text';
      input.inputMode = 'decimal';
      input.autocomplete = 'off';
      input.setAttribute('aria-describedby', `${prefix}-prompt ${prefix}-tolerance`);
      answerArea.append(label, input);
      note.id = `${prefix}-tolerance`;
      const reference = this.#spec.answer.startsWith(quantityPrefix) ? 'the value the core measures' : 'the right answer';
      note.textContent = `Accepted ${describeTolerance(this.#spec.tolerance)} ${reference}.`;
      section.append(note);
    }
    section.append(feedback);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#check();
    });
    this.replaceChildren(section);
    this.#parts = { prefix, answerArea, feedback };
    this.refresh();
  }

  /** Redraws choices that come from a widget (they change when the learner edits it). */
  refresh() {
    if (!this.#parts || this.#spec.type !== 'choice') return;
    const choices = this.#value(this.#spec.choices);
    const list = Array.isArray(choices) ? choices : [];
    if (JSON.stringify(list) === this.#shownChoices) return;
    this.#shownChoices = JSON.stringify(list);
    const { prefix, answerArea } = this.#parts;
    const previous = answerArea.querySelector('input:checked')?.value;
    const fieldset = document.createElement('fieldset');
    const legend = document.createElement('legend');
    legend.textContent = 'Your answer';
    fieldset.append(legend);
    list.forEach((choice, index) => {
      const label = document.createElement('label');
      const radio = document.createElement('input');
      radio.type = 'radio';
      radio.name = `${prefix}-choice`;
      radio.value = choice;
      radio.id = `${prefix}-choice-${index}`;
      radio.checked = choice === previous;
      label.append(radio, ' ', ...inlineNodes(choice));
      fieldset.append(label);
    });
    if (!list.length) fieldset.append('The choices appear once the figure above has loaded.');
    answerArea.replaceChildren(fieldset);
  }

  #check() {
    const { answerArea, feedback } = this.#parts;
    const expected = this.#value(this.#spec.answer);
    const verdict = document.createElement('p');
    verdict.className = 'verdict';
    if (expected === undefined || expected === null) {
      verdict.textContent = 'The figure has not computed its numbers yet; try again in a moment.';
      feedback.replaceChildren(verdict);
      return;
    }
    let right;
    let expectedText;
    if (this.#spec.type === 'number') {
      const given = readNumber(answerArea.querySelector('input').value);
      if (given === null) {
        verdict.textContent = 'Please type a number, such as 12 or 0.5 or 1e3.';
        feedback.replaceChildren(verdict);
        delete this.dataset.verdict;
        return;
      }
      right = withinTolerance(given, Number(expected), this.#spec.tolerance);
      expectedText = formatNumber(Number(expected));
    } else {
      const chosen = answerArea.querySelector('input:checked')?.value;
      if (chosen === undefined) {
        verdict.textContent = 'Please pick one of the choices.';
        feedback.replaceChildren(verdict);
        delete this.dataset.verdict;
        return;
      }
      right = chosen === String(expected);
      expectedText = String(expected);
    }
    this.dataset.verdict = right ? 'right' : 'wrong';
    this.dataset.expected = String(expected);
    verdict.append(right ? 'Right. ' : 'Not quite. ', 'The answer is ');
    verdict.append(...inlineNodes(expectedText), '.');
    const explanation = document.createElement('p');
    explanation.className = 'explanation';
    explanation.append(...inlineNodes(this.#spec.explanation));
    feedback.replaceChildren(verdict, explanation);
  }
}

customElements.define('lesson-exercise', LessonExercise);
