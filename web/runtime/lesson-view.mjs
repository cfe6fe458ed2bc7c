/**
 * One lesson rendered into any container — the lesson page's `<main>`, or the shadow
 * root of an embedded `<attention-lesson>`: its title and prose (Markdown with typeset
 * math), the widgets it places (custom elements, given only the parameters they
 * declare) and its exercises, which re-check their live answers whenever a widget's
 * state changes, hold back the evidence they ask about until answered, fire
 * `attention-lab:exercise` on every check and remember the learner's answers. The
 * runtime knows no lesson in particular.
 */
import { parseLesson, resolveQuantity } from './lesson-format.mjs';
import { inlineNodes, keepWideMathReachable, proseFragment } from './lesson-prose.mjs';
import { syncStateWithUrl } from './url-state.mjs';
import { defineWidget } from './widget-registry.mjs';
import { checkLessonParameters } from './widget-parameters.mjs';
import { EvidenceKeeper, checkWithholds, describeWithholds } from './lesson-evidence.mjs';
import { readProgress, recordExercises, saveAnswer } from './progress-store.mjs';
import { loadLab } from './lab.mjs';
import { showFailure } from './failure-message.mjs';
import './lesson-exercise.mjs';

let lessonsShown = 0;

/** Loads every widget the lesson places and checks its parameters and what its exercises hold back. */
async function widgetClassesOf(lesson) {
  const classes = new Map();
  for (const block of lesson.blocks) {
    if (block.kind !== 'widget') continue;
    try {
      await defineWidget(block.type);
    } catch (error) {
      throw new Error(`line ${block.line}: ${error.message}`);
    }
    const widgetClass = customElements.get(block.type);
    checkLessonParameters(block, widgetClass);
    classes.set(block.id, widgetClass);
  }
  checkWithholds(lesson.blocks.filter((block) => block.kind === 'exercise'), classes);
  return classes;
}

/** The header: the title at `level` (math typeset) and the summary. */
function lessonHeader(lesson, level) {
  const header = document.createElement('header');
  header.className = 'lesson-header';
  const title = document.createElement(`h${level}`);
  title.className = 'lesson-title';
  title.append(...inlineNodes(lesson.title));
  const summary = document.createElement('p');
  summary.className = 'lede';
  summary.append(...inlineNodes(lesson.summary));
  header.append(title, summary);
  return header;
}

/** The prose of the whole lesson as one Markdown document, with a placeholder where each widget and exercise goes. */
function proseWithPlaceholders(lesson, marker) {
  return lesson.blocks.map((block, index) => (block.kind === 'prose'
    ? block.text
    : `\`\`\`\`${marker}\n${index}\n\`\`\`\``)).join('\n\n');
}

const headingLevelOf = (element) => {
  const match = element.localName.match(/^h([1-6])$/);
  return match ? Number(match[1]) : null;
};

/**
 * Builds the view of a parsed lesson into `container`; returns its widgets (id →
 * element) and exercises (elements).
 */
async function renderLesson(lesson, container, { slug, headingLevel }) {
  const widgetClasses = await widgetClassesOf(lesson);
  lessonsShown += 1;
  const marker = `lesson-block-${lessonsShown}-${Math.random().toString(36).slice(2)}`;
  const fragment = proseFragment(proseWithPlaceholders(lesson, marker), {
    page: document.baseURI,
    headingShift: headingLevel - 1,
    docId: `${slug || 'lesson'}-${lessonsShown}`,
    blockMarker: marker,
  });

  const widgets = new Map();
  const exercises = [];
  const saved = slug ? readProgress(slug).answers : {};
  const exerciseBlocks = lesson.blocks.filter((block) => block.kind === 'exercise');
  let keeper = null;
  let sectionLevel = headingLevel;
  const placed = new Set();
  for (const element of [...fragment.children]) {
    sectionLevel = headingLevelOf(element) ?? sectionLevel;
    if (!element.matches('div[data-lesson-block]')) continue;
    const index = Number(element.dataset.lessonBlock);
    const block = lesson.blocks[index];
    if (!block || block.kind === 'prose' || placed.has(index)) {
      element.remove();
      continue;
    }
    placed.add(index);
    if (block.kind === 'widget') {
      const widget = document.createElement(block.type);
      widget.id = block.id;
      widget.className = 'lesson-widget';
      for (const [name, value] of Object.entries(block.params)) widget.setAttribute(name, value);
      widgets.set(block.id, widget);
      element.replaceWith(widget);
    } else if (block.kind === 'exercise') {
      const exercise = document.createElement('lesson-exercise');
      exercise.configure(block, {
        resolve: (reference) => resolveQuantity(reference, widgets),
        number: exercises.length + 1,
        headingLevel: Math.min(sectionLevel + 1, 6),
        lesson: slug,
        withheldText: describeWithholds(block, widgetClasses),
        saved: Object.hasOwn(saved, block.id) ? saved[block.id] : null,
        onCheck: ({ given, verdict, expected, restored }) => {
          keeper?.answered(block.id);
          if (slug && !restored) saveAnswer(slug, block.id, { given, verdict, expected });
        },
      });
      exercises.push(exercise);
      element.replaceWith(exercise);
    }
  }
  const missing = lesson.blocks.find((block, index) => block.kind !== 'prose' && !placed.has(index));
  if (missing) throw new Error(`line ${missing.line}: this ${missing.kind} sits inside a code block of the prose above it that is not closed`);
  keeper = new EvidenceKeeper(widgets, exerciseBlocks);
  if (slug) recordExercises(slug, exerciseBlocks.map((block) => block.id));
  container.replaceChildren(lessonHeader(lesson, headingLevel), fragment);
  keepWideMathReachable(container);
  return { widgets, exercises };
}

/**
 * Shows the lesson whose text `lessonText` resolves to in `container`, and resolves to
 * the parsed lesson once its widgets have the attention core — or, when anything fails,
 * shows why in its place and resolves to null.
 * - `lesson`: its name (slug), for the exercise event and the saved answers;
 * - `syncUrl`: keep every widget's state in the page's URL hash (one lesson per page);
 *   without it the page URL is untouched;
 * - `headingLevel`: the level of the title (1 on the lesson page; an embedding page
 *   chooses), every heading below it following.
 */
export async function showLesson(container, lessonText, { lesson: slug = '', syncUrl = false, headingLevel = 1 } = {}) {
  try {
    const lesson = parseLesson(await lessonText);
    container.classList.add('lesson-body');
    const { widgets, exercises } = await renderLesson(lesson, container, { slug, headingLevel });
    const refreshExercises = () => exercises.forEach((exercise) => exercise.refresh());
    if (syncUrl) {
      syncStateWithUrl(widgets);
      window.addEventListener('popstate', refreshExercises);
    }
    const whenReady = new MutationObserver(refreshExercises);
    for (const widget of widgets.values()) {
      widget.addEventListener('statechange', refreshExercises);
      whenReady.observe(widget, { attributes: true, attributeFilter: ['data-ready'] });
    }
    await loadLab();
    refreshExercises();
    return lesson;
  } catch (error) {
    showFailure(container, `This lesson could not be shown: ${error.message}.`, error);
    return null;
  }
}
