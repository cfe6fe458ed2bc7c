/**
 * `<lesson-exercise>`: the learner predicts a number or picks a choice, the page checks
 * it and explains the answer.
 *
 * The exercise comes from the lesson file as data (see lesson-format.mjs): a prompt, the
 * right answer — written in the lesson, or a `@widget.quantity` that a widget on the
 * page publishes from the core's numbers — a stated tolerance for numbers, an exact
 * value to show beside a measured one, and an explanation shown once the learner has
 * checked. It renders in the light DOM, so the page's KaTeX styles typeset its math.
 *
 * Every check fires `attention-lab:exercise` (bubbling and composed, so it leaves an
 * embedding element's shadow root) with `detail: { lesson, exercise, verdict, given,
 * expected }`. When the live answer changes after a check (the learner moved the
 * figure), the verdict is marked stale on the page until the learner checks again.
 *
 * For tests: `data-exercise-id`; `data-verdict` ('right' or 'wrong'), `data-expected`
 * after a check; `data-stale` while the verdict is stale.
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
  const cleaned = String(text).replace(/[\s_]/g, '').replace(/^\u2212/, '-');
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned) ? Number(cleaned) : null;
}

export const formatNumber = (value) => (Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4))));

/** The name of the event every check fires. */
export const exerciseEventName = 'attention-lab:exercise';

let exerciseCount = 0;

export class LessonExercise extends HTMLElement {
  #spec = null;
  #resolve = () => undefined;
  #headingLevel = 2;
  #number = 1;
  #lesson = '';
  #withheldText = '';
  #parts = null;
  #shownChoices = '';
  #checked = null;
  #pendingRestore = null;
  #onCheck = () => {};

  /**
   * Sets the exercise: its data; how to look up `@quantities`; its number and heading
   * level; the lesson's name (for the event); what its widgets hold back until it is
   * answered (text); a saved answer to restore; and `onCheck({ given, verdict,
   * expected, restored })`, called after every check.
   */
  configure(spec, { resolve, number = 1, headingLevel = 2, lesson = '', withheldText = '', saved = null, onCheck = () => {} }) {
    this.#number = number;
    this.#spec = spec;
    this.#resolve = resolve;
    this.#headingLevel = headingLevel;
    this.#lesson = lesson;
    this.#withheldText = withheldText;
    this.#pendingRestore = saved && typeof saved === 'object' && 'given' in saved ? saved : null;
    this.#onCheck = onCheck;
    this.dataset.exerciseId = spec.id;
    if (this.isConnected) this.#render();
  }

  connectedCallback() {
    if (this.#spec && !this.#parts) this.#render();
  }

  #value(text) {
    return typeof text === 'string' && text.startsWith(quantityPrefix) ? this.#resolve(text) : text;
  }

  get #measured() {
    return this.#spec.answer.startsWith(quantityPrefix);
  }

  #render() {
    exerciseCount += 1;
    const spec = this.#spec;
    const prefix = `exercise-${spec.id}-${exerciseCount}`;
    const section = document.createElement('div');
    section.className = 'exercise';
    section.setAttribute('role', 'group');
    section.setAttribute('aria-labelledby', `${prefix}-title`);
    const title = document.createElement(`h${this.#headingLevel}`);
    title.id = `${prefix}-title`;
    title.textContent = `Exercise ${this.#number}: predict, then check`;
    const prompt = document.createElement('p');
    prompt.className = 'prompt';
    prompt.id = `${prefix}-prompt`;
    prompt.append(...inlineNodes(spec.prompt));
    section.append(title, prompt);
    if (this.#withheldText) {
      const note = document.createElement('p');
      note.className = 'withholds';
      note.textContent = `Until you check an answer, the figure holds back ${this.#withheldText}.`;
      section.append(note);
    }
    // Not a <form>: a frame sandboxed without allow-forms blocks every form submission.
    const form = document.createElement('div');
    form.className = 'answer-form';
    const answerArea = document.createElement('div');
    answerArea.className = 'answer';
    const check = document.createElement('button');
    check.type = 'button';
    check.textContent = 'Check';
    check.addEventListener('click', () => this.#check());
    form.append(answerArea, check);
    const feedback = document.createElement('div');
    feedback.className = 'feedback';
    feedback.setAttribute('role', 'status');
    section.append(form);
    if (spec.type === 'number') {
      const label = document.createElement('label');
      label.htmlFor = `${prefix}-input`;
      label.textContent = 'Your answer';
      const input = document.createElement('input');
      input.id = `${prefix}-input`;
      input.type = 'text';
      input.inputMode = 'decimal';
      input.autocomplete = 'off';
      input.setAttribute('aria-describedby', `${prefix}-prompt ${prefix}-tolerance`);
      input.addEventListener('keydown', (event) => {
        if (event.key !== 'Enter') return;
        event.preventDefault();
        this.#check();
      });
      answerArea.append(label, input);
      const note = document.createElement('p');
      note.className = 'tolerance';
      note.id = `${prefix}-tolerance`;
      const reference = this.#measured ? 'the value the core measures' : 'the right answer';
      note.textContent = spec.exact !== undefined
        ? `Accepted ${describeTolerance(spec.tolerance)} the exact value or of ${reference}.`
        : `Accepted ${describeTolerance(spec.tolerance)} ${reference}.`;
      section.append(note);
    }
    section.append(feedback);
    this.replaceChildren(section);
    this.#parts = { prefix, answerArea, feedback };
    this.refresh();
  }

  /**
   * Follows the widgets: redraws choices that come from a widget, marks a verdict stale
   * when its answer has changed since the check, and restores a saved answer once the
   * numbers it needs exist.
   */
  refresh() {
    if (!this.#parts) return;
    if (this.#spec.type === 'choice') this.#showChoices();
    if (this.#pendingRestore) this.#restore();
    this.#markStale();
  }

  #showChoices() {
    const choices = this.#value(this.#spec.choices);
    const list = Array.isArray(choices) ? choices.map(String) : [];
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

  #restore() {
    const saved = this.#pendingRestore;
    const expected = this.#value(this.#spec.answer);
    if (expected === undefined || expected === null) return;
    this.#pendingRestore = null;
    const { answerArea } = this.#parts;
    if (this.#spec.type === 'number') {
      answerArea.querySelector('input').value = String(saved.given);
    } else {
      const radio = [...answerArea.querySelectorAll('input[type=radio]')].find((input) => input.value === String(saved.given));
      if (!radio) return;
      radio.checked = true;
    }
    this.#check({ restored: true });
  }

  #markStale() {
    if (!this.#checked || !this.#measured) return;
    const now = this.#value(this.#spec.answer);
    if (now === undefined || now === null) return;
    const same = this.#spec.type === 'number' ? Number(now) === Number(this.#checked.expected) : String(now) === String(this.#checked.expected);
    if (same || this.hasAttribute('data-stale')) return;
    this.dataset.stale = '';
    const note = document.createElement('p');
    note.className = 'stale';
    const nowText = this.#spec.type === 'number' ? formatNumber(Number(now)) : String(now);
    note.append('This verdict is out of date: the figure has changed since you checked, and the answer is now ',
      ...inlineNodes(nowText), '. Check again to judge your answer against it.');
    this.#parts.feedback.prepend(note);
  }

  #say(text) {
    const verdict = document.createElement('p');
    verdict.className = 'verdict';
    verdict.textContent = text;
    this.#parts.feedback.replaceChildren(verdict);
  }

  #check({ restored = false } = {}) {
    const { answerArea, feedback } = this.#parts;
    const spec = this.#spec;
    const expected = this.#value(spec.answer);
    if (expected === undefined || expected === null) {
      this.#say('The figure has not computed its numbers yet; try again in a moment.');
      return;
    }
    let given;
    let right;
    let expectedNodes;
    if (spec.type === 'number') {
      given = readNumber(answerArea.querySelector('input').value);
      if (given === null) {
        this.#say('Please type a number, such as 12 or 0.5 or 1e3.');
        delete this.dataset.verdict;
        return;
      }
      const measured = Number(expected);
      right = withinTolerance(given, measured, spec.tolerance)
        || (spec.exact !== undefined && withinTolerance(given, spec.exact, spec.tolerance));
      expectedNodes = spec.exact !== undefined
        ? [`exact ${formatNumber(spec.exact)}; the core measured ${formatNumber(measured)}`]
        : ['The answer is ', ...inlineNodes(formatNumber(measured))];
    } else {
      given = answerArea.querySelector('input:checked')?.value;
      if (given === undefined) {
        this.#say('Please pick one of the choices.');
        delete this.dataset.verdict;
        return;
      }
      right = given === String(expected);
      expectedNodes = ['The answer is ', ...inlineNodes(String(expected))];
    }
    const verdictName = right ? 'right' : 'wrong';
    this.dataset.verdict = verdictName;
    this.dataset.expected = String(expected);
    delete this.dataset.stale;
    this.#checked = { given, expected };
    const verdict = document.createElement('p');
    verdict.className = 'verdict';
    verdict.append(right ? 'Right. ' : 'Not quite. ', ...expectedNodes, '.');
    const explanation = document.createElement('p');
    explanation.className = 'explanation';
    explanation.append(...inlineNodes(spec.explanation));
    feedback.replaceChildren(verdict, explanation);
    const detail = { lesson: this.#lesson, exercise: spec.id, verdict: verdictName, given, expected };
    this.#onCheck({ ...detail, restored });
    if (!restored) this.dispatchEvent(new CustomEvent(exerciseEventName, { bubbles: true, composed: true, detail }));
  }
}

customElements.define('lesson-exercise', LessonExercise);
