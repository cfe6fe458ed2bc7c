/**
 * Predict, then reveal — the lesson's side. An exercise may hold back evidence that
 * widgets show (`withholds: library.weights`); the evidence stays hidden while any
 * exercise that holds it back is unanswered, and appears once the learner has checked
 * an answer there (right or wrong), or has asked for it on purpose (the placeholder's
 * button fires `evidencereveal`).
 */

/** Throws, naming the line, if an exercise holds back evidence its widget does not declare. */
export function checkWithholds(exercises, widgetClasses) {
  for (const exercise of exercises) {
    for (const { widget, evidence, line } of exercise.withholds) {
      const declared = widgetClasses.get(widget)?.evidence ?? {};
      if (Object.hasOwn(declared, evidence)) continue;
      const names = Object.keys(declared);
      throw new Error(`line ${line}: the widget "${widget}" has no evidence "${evidence}"; `
        + (names.length ? `it can hold back ${names.join(', ')}` : 'it holds nothing back'));
    }
  }
}

/** "the weights (…) and the summary table": what an exercise holds back, in words. */
export function describeWithholds(exercise, widgetClasses) {
  const parts = exercise.withholds.map(({ widget, evidence }) => widgetClasses.get(widget).evidence[evidence]);
  return parts.length > 1 ? `${parts.slice(0, -1).join('; ')} and ${parts.at(-1)}` : (parts[0] ?? '');
}

export class EvidenceKeeper {
  #widgets;
  #exercises;
  #answered = new Set();
  #revealed = new Set();

  /** `widgets`: id → element; `exercises`: the lesson's exercise blocks. */
  constructor(widgets, exercises) {
    this.#widgets = widgets;
    this.#exercises = exercises.filter((exercise) => exercise.withholds.length);
    for (const [id, widget] of widgets) {
      widget.addEventListener('evidencereveal', (event) => {
        const name = event.detail?.name;
        if (typeof name !== 'string') return;
        this.#revealed.add(`${id}.${name}`);
        this.#apply();
      });
    }
    this.#apply();
  }

  /** The learner has checked an answer to exercise `id`: what it held back may show. */
  answered(id) {
    if (this.#answered.has(id)) return;
    this.#answered.add(id);
    this.#apply();
  }

  #apply() {
    const held = new Map([...this.#widgets.keys()].map((id) => [id, new Set()]));
    for (const exercise of this.#exercises) {
      if (this.#answered.has(exercise.id)) continue;
      for (const { widget, evidence } of exercise.withholds) {
        if (!this.#revealed.has(`${widget}.${evidence}`)) held.get(widget)?.add(evidence);
      }
    }
    for (const [id, names] of held) {
      const widget = this.#widgets.get(id);
      const now = widget.withheld instanceof Set ? widget.withheld : new Set();
      if (now.size !== names.size || [...names].some((name) => !now.has(name))) widget.withheld = names;
    }
  }
}
