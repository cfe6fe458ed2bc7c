/**
 * `<attention-lesson name="scaling">`: a whole lesson on any page — prose, math, widgets
 * and exercises — from the lesson texts bundled with the embed script. `hide` names
 * controls to hide in all its widgets. It renders in a shadow root (embed-root.mjs) and
 * leaves the host page's URL alone unless it has a `sync-url` attribute (then its
 * widgets' state is kept in the hash, as on the lesson page; one such lesson per page).
 *
 * For tests: `data-ready` once every widget has the attention core.
 */
import { lessonTexts } from 'attention-lab:assets';
import { attachEmbedRoot } from './embed-root.mjs';
import { showLesson } from '../runtime/lesson-view.mjs';

/** The bundled text of lesson `name`, or a rejection naming the lessons there are. */
async function bundledLesson(name) {
  if (Object.hasOwn(lessonTexts, name ?? '')) return lessonTexts[name];
  throw new Error(`there is no lesson "${name}"; the lessons are ${Object.keys(lessonTexts).join(', ')}`);
}

export class AttentionLesson extends HTMLElement {
  async connectedCallback() {
    if (this.shadowRoot) return;
    const container = attachEmbedRoot(this, { tag: 'article', id: 'lesson' });
    const lesson = await showLesson(container, bundledLesson(this.getAttribute('name')), {
      syncUrl: this.hasAttribute('sync-url'),
    });
    if (lesson) this.dataset.ready = '';
  }
}
