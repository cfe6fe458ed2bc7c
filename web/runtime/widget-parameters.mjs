/**
 * A widget's parameters: what it declares (`static parameters = { name: 'what it
 * accepts' }`), how a lesson or an embed may set them, and what the learner sees when a
 * value is wrong.
 *
 * - A lesson may set only declared parameters; anything else (an `onmouseover:`, a
 *   `style:`) stops the page with a message naming the line (`checkLessonParameters`).
 * - A widget reads each attribute with a reader that returns the value or null
 *   (`readParameters`); a value its reader refuses is named, with what the parameter
 *   accepts, in a visible message inside the widget (`ParameterMessage`), and the
 *   widget uses its default instead.
 */
import { colour } from './theme-colours.mjs';

/** The parameters a widget class declares ({} when it declares none). */
export function declaredParameters(widgetClass) {
  const declared = widgetClass?.parameters;
  return declared && typeof declared === 'object' ? declared : {};
}

/** Throws, naming the line, if a lesson's widget block sets a parameter the widget does not declare. */
export function checkLessonParameters(block, widgetClass) {
  const declared = declaredParameters(widgetClass);
  const names = Object.keys(declared);
  for (const name of Object.keys(block.params)) {
    if (Object.hasOwn(declared, name)) continue;
    const known = names.length ? `its parameters are ${names.join(', ')}` : 'it takes no parameters';
    throw new Error(`line ${block.paramLines?.[name] ?? block.line}: the widget "${block.type}" has no parameter "${name}"; ${known}`);
  }
}

/**
 * Reads `element`'s attributes with `readers` ({ name: (text) => value or null }).
 * Returns { values, problems }: `values[name]` is the read value, or undefined when the
 * attribute is absent or refused; each refused one is a problem { name, value, accepts }.
 */
export function readParameters(element, readers) {
  const declared = declaredParameters(element.constructor);
  const values = {};
  const problems = [];
  for (const [name, read] of Object.entries(readers)) {
    const text = element.getAttribute(name);
    if (text === null) continue;
    const value = read(text);
    if (value === null || value === undefined) problems.push({ name, value: text, accepts: declared[name] ?? 'another value' });
    else values[name] = value;
  }
  return { values, problems };
}

/** One line for a refused value: `temperature="banana" is not used: temperature takes a number from 0.1 to 4.` */
export function describeProblem({ name, value, accepts }) {
  const shown = value.length > 60 ? `${value.slice(0, 57)}…` : value;
  return `${name}="${shown}" is not used: ${name} takes ${accepts}. The default applies.`;
}

/** The message shown at the top of a widget whose attributes have problems (hidden when there are none). */
export class ParameterMessage {
  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'parameter-message';
    this.element.setAttribute('part', 'parameter-message');
    this.element.setAttribute('role', 'alert');
    this.element.hidden = true;
  }

  /** Shows `problems` (from readParameters, or any { text }), or hides the message when there are none. */
  show(problems) {
    this.element.replaceChildren(...problems.map((problem) => {
      const line = document.createElement('p');
      line.textContent = problem.text ?? describeProblem(problem);
      return line;
    }));
    this.element.hidden = problems.length === 0;
  }
}

/** Styles for the message, for a widget's shadow root. */
export const parameterMessageStyles = `
  .parameter-message { margin: 0 0 0.75rem; padding: 0.5rem 0.75rem; border-radius: 0.4rem;
    color: ${colour('error')}; border: 1px solid ${colour('error')}; }
  .parameter-message[hidden] { display: none; }
  .parameter-message p { margin: 0.2rem 0; }
`;
