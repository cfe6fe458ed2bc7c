/**
 * The landing page: lists the lessons from the catalogue and brings the live
 * attention explorer to life (importing the widget defines `<attention-explorer>`); it
 * also registers the service worker that makes the lessons work offline after one visit.
 */
import { lessonCatalogue } from './runtime/lesson-catalogue.mjs';
import { registerOfflineSupport } from './runtime/offline-support.mjs';
import { lessonItem } from './runtime/lesson-list.mjs';
import './widgets/attention-explorer.mjs';

document.querySelector('#lessons').replaceChildren(...lessonCatalogue.map(lessonItem));
registerOfflineSupport();
