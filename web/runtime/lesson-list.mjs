/**
 * The list of lessons on a landing page (the site's, the offline page's), one entry per
 * lesson of the catalogue, each marked with the learner's progress (progress-store.mjs):
 * "Done" when every exercise of the lesson has been answered right, otherwise how many
 * are. Each page decides where a lesson's link leads.
 */
import { lessonProgress } from './progress-store.mjs';

/** The lesson page of a catalogue entry. */
export const lessonPageHref = (slug) => `lesson.html?lesson=${encodeURIComponent(slug)}`;

/** The slug of a ready catalogue entry, or null for one not yet written. */
export function lessonSlug({ slug, status }) {
  return status === 'ready' ? slug : null;
}

/** One entry of the lesson list: a link (to `href`) when the lesson is ready, plain text otherwise. */
export function lessonItem({ number, slug, title, summary, status }, href = lessonPageHref(slug)) {
  const item = document.createElement('li');
  item.className = 'lesson';
  item.dataset.status = status;
  item.dataset.slug = slug;
  const heading = document.createElement('h3');
  const lessonNumber = document.createElement('span');
  lessonNumber.className = 'lesson-number';
  lessonNumber.textContent = `${number}.`;
  const ready = status === 'ready';
  const name = document.createElement(ready ? 'a' : 'span');
  name.textContent = title;
  if (ready) name.href = href;
  heading.append(lessonNumber, ' ', name);
  const description = document.createElement('p');
  description.textContent = summary;
  item.append(heading, description);
  const badge = document.createElement('span');
  badge.className = 'badge';
  if (!ready) {
    badge.textContent = 'Coming soon';
    item.append(badge);
    return item;
  }
  const { total, right, done } = lessonProgress(slug);
  if (done) {
    item.dataset.done = '';
    badge.classList.add('done');
    badge.textContent = 'Done';
    item.append(badge);
  }
  if (total && !done && right) {
    const progress = document.createElement('p');
    progress.className = 'progress';
    progress.textContent = `${right} of ${total} exercises answered right`;
    item.append(progress);
  } else if (done) {
    const progress = document.createElement('p');
    progress.className = 'progress';
    progress.textContent = `All ${total} exercises answered right`;
    item.append(progress);
  }
  return item;
}
