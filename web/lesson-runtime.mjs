/**
 * The lesson page: `lesson.html?lesson=<slug>` reads `lessons/<slug>.md`, and renders it
 * — prose with typeset math, the widgets it places (custom elements, their parameters
 * as attributes) and its exercises — then keeps every widget's state in the URL hash.
 * Any lesson renders through this one page; the runtime knows no lesson in particular.
 */
import { parseLesson, resolveQuantity } from './lesson-format.mjs';
import { proseElements } from './lesson-prose.mjs';
import { syncStateWithUrl } from './url-state.mjs';
import { defineWidget } from './widget-registry.mjs';
import { loadLab } from './lab.mjs';
import './lesson-exercise.mjs';

const slugPattern = /^[a-z0-9][a-z0-9-]*$/;

/** The lesson's text, fetched from the lessons folder beside the web folder. */
async function fetchLesson(slug) {
  if (!slugPattern.test(slug ?? '')) throw new Error('the address names no lesson (expected ?lesson=name)');
  const response = await fetch(new URL(`../lessons/${slug}.md`, import.meta.url));
  if (!response.ok) throw new Error(`there is no lesson "${slug}"`);
  return response.text();
}

function headingLevelOf(element) {
  const match = element.localName.match(/^h([1-6])$/);
  return match ? Number(match[1]) : null;
}

/** Builds the page for a parsed lesson into `main`; returns its widgets (id → element) and exercises. */
async function renderLesson(lesson, main) {
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
  main.replaceChildren(header);
  document.title = `${lesson.title} — attention-lab`;

  let headingLevel = 1;
  for (const block of lesson.blocks) {
    if (block.kind === 'prose') {
      const elements = proseElements(block.text);
      for (const element of elements) headingLevel = headingLevelOf(element) ?? headingLevel;
      main.append(...elements);
    } else if (block.kind === 'widget') {
      await defineWidget(block.type);
      const widget = document.createElement(block.type);
      widget.id = block.id;
      widget.className = 'lesson-widget';
      for (const [name, value] of Object.entries(block.params)) widget.setAttribute(name, value);
      widgets.set(block.id, widget);
      main.append(widget);
    } else {
      const exercise = document.createElement('lesson-exercise');
      exercise.configure(block, {
        resolve: (reference) => resolveQuantity(reference, widgets),
        number: exercises.length + 1,
        headingLevel: Math.min(headingLevel + 1, 4),
      });
      exercises.push(exercise);
      main.append(exercise);
    }
  }
  return { widgets, exercises };
}

async function main() {
  const main = document.querySelector('#lesson');
  try {
    const slug = new URLSearchParams(location.search).get('lesson');
    const lesson = parseLesson(await fetchLesson(slug));
    const { widgets, exercises } = await renderLesson(lesson, main);
    syncStateWithUrl(widgets);
    const refreshExercises = () => exercises.forEach((exercise) => exercise.refresh());
    for (const widget of widgets.values()) widget.addEventListener('statechange', refreshExercises);
    window.addEventListener('popstate', refreshExercises);
    await loadLab();
    refreshExercises();
    document.body.dataset.lessonReady = '';
  } catch (error) {
    const message = document.createElement('p');
    message.className = 'status';
    message.setAttribute('role', 'alert');
    message.textContent = `This lesson could not be shown: ${error.message}.`;
    main.replaceChildren(message);
    console.error(error);
  }
}

main();
