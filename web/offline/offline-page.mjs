/**
 * The single-file offline page (built by scripts/build-offline.mjs): the landing list of
 * lessons, marked with the learner's progress, and, under `#lesson=<slug>`, that lesson as an `<attention-lesson>`; under
 * `#playground`, the playground's widget with every control (without the site's link
 * and JSON sharing) — routed by the hash, since a file opened from disk has no server to
 * ask for other pages.
 * Everything, the attention core included, is inside the file. The page follows the
 * reader's light or dark preference (the site's theme).
 */
import { themeCss, trainingWorkerSource, wasmBytes } from 'attention-lab:assets';
import '../embed/embed-entry.mjs';
import { provideTrainingWorker, startTrainingWorker } from '../runtime/trainer-client.mjs';
import { lessonCatalogue } from '../runtime/lesson-catalogue.mjs';
import { lessonItem, lessonSlug } from '../runtime/lesson-list.mjs';

// No file beside this one to start a worker from: its code and the core's bytes are inlined.
provideTrainingWorker(() => startTrainingWorker({ source: trainingWorkerSource, wasmBinary: wasmBytes() }));

const theme = new CSSStyleSheet();
theme.replaceSync(themeCss);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, theme];

const main = document.querySelector('#page');

function showLanding() {
  const list = document.createElement('ol');
  list.className = 'lessons';
  list.id = 'lessons';
  list.append(...lessonCatalogue.map((entry) => lessonItem(entry, `#lesson=${entry.slug}`)));
  const heading = document.createElement('h2');
  heading.textContent = 'Lessons';
  const playground = document.createElement('p');
  const link = Object.assign(document.createElement('a'), { href: '#playground', textContent: 'the attention playground' });
  playground.append('Try your own case in ', link, ': every knob of self-attention on one page.');
  main.replaceChildren(heading, list, playground);
  document.title = 'attention-lab (offline)';
}

function showLessonNamed(slug) {
  const lesson = document.createElement('attention-lesson');
  lesson.setAttribute('name', slug);
  lesson.setAttribute('heading-level', '1');
  main.replaceChildren(lesson);
  const entry = lessonCatalogue.find((candidate) => lessonSlug(candidate) === slug);
  document.title = `${entry?.title ?? slug} — attention-lab (offline)`;
}

function showPlayground() {
  const heading = document.createElement('h2');
  heading.textContent = 'Attention playground';
  const widget = document.createElement('attention-widget');
  for (const [name, value] of Object.entries({ type: 'self-attention', controls: 'all', source: 'random', n: '12' })) widget.setAttribute(name, value);
  main.replaceChildren(heading, widget);
  document.title = 'Attention playground — attention-lab (offline)';
}

/** Shows what the hash names: a lesson, the playground, or the list. */
function route() {
  const slug = new URLSearchParams(location.hash.slice(1)).get('lesson');
  if (slug) showLessonNamed(slug);
  else if (location.hash === '#playground') showPlayground();
  else showLanding();
}

window.addEventListener('hashchange', () => {
  route();
  main.focus();
});
route();
