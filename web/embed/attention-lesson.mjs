/**
 * `<attention-lesson name="scaling" heading-level="3">`: a whole lesson on any page —
 * prose, math, widgets and exercises — from the lesson texts bundled with the embed
 * script. It renders in a shadow root (embed-root.mjs) and adds no h1 of its own: its
 * title is a heading of level `heading-level` (1 to 6, default 2), its sections one
 * level below, so it fits the host page's outline. `hide` names controls to hide in
 * all its widgets. It leaves the host page's URL alone unless it has a `sync-url`
 * attribute (then its widgets' state is kept in the hash, as on the lesson page; one
 * such lesson per page). Every check of an exercise fires `attention-lab:exercise`,
 * which leaves the element (see lessons/README.md, "Progress").
 *
 * For tests: `data-ready` once every widget has the attention core.
 */
import { lessonTexts } from 'attention-lab:assets';
import { attachEmbedRoot } from './embed-root.mjs';
import { showLesson } from '../runtime/lesson-view.mjs';
import { ParameterMessage } from '../runtime/widget-parameters.mjs';

export const defaultHeadingLevel = 2;

/** The bundled text of lesson `name`, or a rejection naming the lessons there are. */
async function bundledLesson(name) {
  if (Object.hasOwn(lessonTexts, name ?? '')) return lessonTexts[name];
  throw new Error(`there is no lesson "${name}"; the lessons are ${Object.keys(lessonTexts).join(', ')}`);
}

/** `heading-level` as a number from 1 to 6, or null. */
export function readHeadingLevel(text) {
  return /^\s*[1-6]\s*$/.test(text ?? '') ? Number(text) : null;
}

export class AttentionLesson extends HTMLElement {
  async connectedCallback() {
    if (this.shadowRoot) return;
    const container = attachEmbedRoot(this, { tag: 'article', id: 'lesson' });
    const message = new ParameterMessage();
    const written = this.getAttribute('heading-level');
    const headingLevel = written === null ? defaultHeadingLevel : readHeadingLevel(written);
    message.show(headingLevel === null
      ? [{ name: 'heading-level', value: written, accepts: `a whole number from 1 to 6 (the level of the lesson's title; ${defaultHeadingLevel} if absent)` }]
      : []);
    container.before(message.element);
    const name = this.getAttribute('name');
    const lesson = await showLesson(container, bundledLesson(name), {
      lesson: name ?? '',
      syncUrl: this.hasAttribute('sync-url'),
      headingLevel: headingLevel ?? defaultHeadingLevel,
    });
    if (lesson) this.dataset.ready = '';
  }
}
