/**
 * The lesson page: `lesson.html?lesson=<slug>` reads `lessons/<slug>.md` and shows it
 * (lesson-view.mjs), keeping every widget's state in the URL hash; it also registers
 * the service worker, so that after one visit every lesson works offline.
 */
import { showLesson } from './lesson-view.mjs';
import { plainTitle } from './plain-title.mjs';
import { registerOfflineSupport } from './offline-support.mjs';

const slugPattern = /^[a-z0-9][a-z0-9-]*$/;

/** The lesson's text, fetched from the lessons folder beside the web folder. */
async function fetchLesson(slug) {
  if (!slugPattern.test(slug ?? '')) throw new Error('the address names no lesson (expected ?lesson=name)');
  const response = await fetch(new URL(`../lessons/${slug}.md`, import.meta.url));
  if (!response.ok) throw new Error(`there is no lesson "${slug}"`);
  return response.text();
}

async function main() {
  const slug = new URLSearchParams(location.search).get('lesson');
  const lesson = await showLesson(document.querySelector('#lesson'), fetchLesson(slug), { lesson: slug, syncUrl: true });
  if (!lesson) return;
  document.title = `${plainTitle(lesson.title)} — attention-lab`;
  document.body.dataset.lessonReady = '';
}

registerOfflineSupport();
main();
