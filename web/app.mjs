/**
 * The landing page: lists the lessons from the catalogue and brings the live
 * attention explorer to life (importing the widget defines `<attention-explorer>`).
 */
import { lessonCatalogue } from './lesson-catalogue.mjs';
import './widgets/attention-explorer.mjs';

/** One entry of the lesson list: a link when the lesson is ready, plain text otherwise. */
function lessonItem({ number, title, summary, status, href }) {
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

document.querySelector('#lessons').replaceChildren(...lessonCatalogue.map(lessonItem));
