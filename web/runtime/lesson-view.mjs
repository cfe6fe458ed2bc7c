/**
 * One lesson rendered into any container — the lesson page's `<main>`, or the shadow
 * root of an embedded `<attention-lesson>`: prose with typeset math, the widgets it
 * places (custom elements, their parameters as attributes) and its exercises, which
 * re-check their expected numbers whenever a widget's state changes. The runtime knows
 * no lesson in particular.
 */
import { parseLesson, resolveQuantity } from './lesson-format.mjs';
import { proseElements } from './lesson-prose.mjs';
import { syncStateWithUrl } from './url-state.mjs';
import { defineWidget } from './widget-registry.mjs';
import { loadLab } from './lab.mjs';
import { showFailure } from './failure-message.mjs';
import './lesson-exercise.mjs';

function headingLevelOf(element) {
  const match = element.localName.match(/^h([1-6])$/);
  return match ? Number(match[1]) : null;
}

/** Builds the view of a parsed lesson into `container`; returns its widgets (id → element) and exercises. */
async function renderLesson(lesson, container) {
  const widgets = new Map();
  const exercises = [];
  const header = document.createElement('header');
  header.className = 'lesson-header';
  const title = document.createElement('h1');
  title.textContent = lesson.title;
  const summary = document.createElement('p');
  summary.className = 'lede';
  summary.textContent = lesson.summary;
  header.append(title, summary);
  container.replaceChildren(header);

  let headingLevel = 1;
  for (const block of lesson.blocks) {
    if (block.kind === 'prose') {
      const elements = proseElements(block.text);
      for (const element of elements) headingLevel = headingLevelOf(element) ?? headingLevel;
      container.append(...elements);
    } else if (block.kind === 'widget') {
      await defineWidget(block.type);
      const widget = document.createElement(block.type);
      widget.id = block.id;
      widget.className = 'lesson-widget';
      for (const [name, value] of Object.entries(block.params)) widget.setAttribute(name, value);
      widgets.set(block.id, widget);
      container.append(widget);
    } else {
      const exercise = document.createElement('lesson-exercise');
      exercise.configure(block, {
        resolve: (reference) => resolveQuantity(reference, widgets),
        number: exercises.length + 1,
        headingLevel: Math.min(headingLevel + 1, 4),
      });
      exercises.push(exercise);
      container.append(exercise);
    }
  }
  return { widgets, exercises };
}

/**
 * Shows the lesson whose text `lessonText` resolves to in `container`, and resolves to
 * the parsed lesson once its widgets have the attention core — or, when anything fails,
 * shows why in its place and resolves to null. With `syncUrl`, every widget's state is
 * kept in the page's URL hash (one lesson per page); without it the page URL is untouched.
 */
export async function showLesson(container, lessonText, { syncUrl = false } = {}) {
  try {
    const lesson = parseLesson(await lessonText);
    const { widgets, exercises } = await renderLesson(lesson, container);
    const refreshExercises = () => exercises.forEach((exercise) => exercise.refresh());
    if (syncUrl) {
      syncStateWithUrl(widgets);
      window.addEventListener('popstate', refreshExercises);
    }
    for (const widget of widgets.values()) widget.addEventListener('statechange', refreshExercises);
    await loadLab();
    refreshExercises();
    return lesson;
  } catch (error) {
    showFailure(container, `This lesson could not be shown: ${error.message}.`, error);
    return null;
  }
}
