/**
 * The landing page: lists the lessons from the catalogue, marked with the learner's
 * progress, and brings the live attention explorer to life (importing the widget
 * defines `<attention-explorer>`); it also registers the service worker that makes the
 * lessons work offline after one visit.
 */
import { lessonCatalogue } from './runtime/lesson-catalogue.mjs';
import { registerOfflineSupport } from './runtime/offline-support.mjs';
import { lessonItem } from './runtime/lesson-list.mjs';
import './widgets/attention-explorer.mjs';

const showList = () => document.querySelector('#lessons').replaceChildren(...lessonCatalogue.map((entry) => lessonItem(entry)));
showList();
// Back from a lesson, a page restored from the back-forward cache shows the progress made there.
window.addEventListener('pageshow', (event) => {
  if (event.persisted) showList();
});
registerOfflineSupport();
