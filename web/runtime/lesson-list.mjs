/**
 * The list of lessons on a landing page, one entry per lesson of the catalogue; each
 * page decides where a lesson's link leads (the lesson page, or the offline page's route).
 */

/** One entry of the lesson list: a link when the lesson is ready, plain text otherwise. */
export function lessonItem({ number, title, summary, status, href }) {
  const item = document.createElement('li');
  item.className = 'lesson';
  item.dataset.status = status;
  const heading = document.createElement('h3');
  const lessonNumber = document.createElement('span');
  lessonNumber.className = 'lesson-number';
  lessonNumber.textContent = `${number}.`;
  const name = document.createElement(status === 'ready' && href ? 'a' : 'span');
  name.textContent = title;
  if (name.localName === 'a') name.href = href;
  heading.append(lessonNumber, ' ', name);
  const description = document.createElement('p');
  description.textContent = summary;
  item.append(heading, description);
  if (status === 'coming-soon') {
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.textContent = 'Coming soon';
    item.append(badge);
  }
  return item;
}

/** The slug of a ready catalogue entry (its href names `?lesson=<slug>`), or null. */
export function lessonSlug({ href }) {
  return href ? new URLSearchParams(href.split('?')[1] ?? '').get('lesson') : null;
}
