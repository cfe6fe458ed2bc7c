/**
 * "Bring your own books": the part of the library widget where the learner types a
 * book of their own (a title, a 2-D key, a colour for its contents) and adds it to the
 * shelf, or removes any book. Titles must differ (a second "cats" is refused with a
 * message), and a new book gets a colour no other book has unless the learner picks one.
 * It only edits the list; the widget recomputes.
 */
import { bookColourFor, makeBook, maxBooks, minBooks, keyExtent } from './book-shelf.mjs';
import { htmlElement } from './html-element.mjs';
import { colour } from '../runtime/theme-colours.mjs';

export const bookEditorStyles = `
  .book-editor summary { display: list-item; cursor: pointer; font-weight: 600; min-height: 2.75rem; padding-top: 0.6rem; }
  .book-editor summary:focus-visible { outline: 3px solid ${colour('focus')}; outline-offset: 2px; }
  .book-list { list-style: none; padding: 0; margin: 0.5rem 0; display: flex; flex-wrap: wrap; gap: 0.5rem; }
  .book-list li { display: flex; align-items: center; gap: 0.35rem; padding: 0.2rem 0.2rem 0.2rem 0.5rem;
    border: 1px solid ${colour('rule')}; border-radius: 0.4rem; }
  .book-form { display: grid; gap: 0.5rem 0.75rem; grid-template-columns: repeat(auto-fit, minmax(6.5rem, 1fr)); align-items: end; }
  .book-form label { display: grid; gap: 0.2rem; font-size: 0.9rem; min-width: 0; }
  .book-form input { font: inherit; min-height: 2.75rem; padding: 0.2rem 0.4rem; width: 100%; min-width: 0; box-sizing: border-box;
    border: 1px solid ${colour('muted-text')}; border-radius: 0.3rem; color: ${colour('text')}; background: ${colour('background')}; }
  .book-form input[type=color] { padding: 0.15rem; }
  .book-editor button { font: inherit; min-height: 2.75rem; min-width: 2.75rem; padding: 0.2rem 0.7rem;
    border: 1px solid ${colour('muted-text')}; border-radius: 0.4rem; background: ${colour('background')}; color: ${colour('text')}; cursor: pointer; }
  .book-editor button:disabled { cursor: not-allowed; opacity: 0.55; }
  .book-editor :is(button, input):focus-visible { outline: 3px solid ${colour('focus')}; outline-offset: 2px; }
  .book-message { margin: 0.5rem 0 0; min-height: 1.5em; }
  .book-message.refused { color: ${colour('error')}; }
`;

/**
 * The editor. `onAdd(book)` and `onRemove(index)` change the shelf; call `show(books)`
 * after every change so the list, the limits and the suggested colour stay current.
 */
export class BookEditor {
  #books = [];
  #colourChosen = false;

  constructor({ onAdd, onRemove }) {
    this.element = htmlElement('details', { class: 'book-editor', part: 'books' });
    this.element.append(htmlElement('summary', {}, 'Bring your own books'));
    const intro = htmlElement('p', {},
      `Type a title (one no other book has), a key (x and y between -${keyExtent} and ${keyExtent}) and a colour for its contents, `
      + `then add it. The shelf holds ${minBooks} to ${maxBooks} books.`);
    this.list = htmlElement('ul', { class: 'book-list', 'aria-label': 'Books on the shelf' });
    this.form = this.#buildForm(onAdd);
    this.message = htmlElement('p', { class: 'book-message', role: 'status' });
    this.onRemove = onRemove;
    this.element.append(intro, this.list, this.form, this.message);
  }

  #say(text, refused = false) {
    this.message.textContent = text;
    this.message.classList.toggle('refused', refused);
  }

  #buildForm(onAdd) {
    // Not a <form>: a frame sandboxed without allow-forms blocks every form submission.
    const form = htmlElement('div', { class: 'book-form', role: 'group', 'aria-label': 'Add a book' });
    const field = (name, label, attributes) => {
      const wrapper = htmlElement('label', {}, label);
      const input = htmlElement('input', { name, ...attributes });
      wrapper.append(input);
      form.append(wrapper);
      return input;
    };
    const bounds = { type: 'number', step: '0.1', min: String(-keyExtent), max: String(keyExtent), required: '' };
    const title = field('title', 'Title', { type: 'text', required: '', maxlength: '16', autocomplete: 'off' });
    const x = field('x', 'Key x', { ...bounds, value: '0.5' });
    const y = field('y', 'Key y', { ...bounds, value: '-0.5' });
    this.colour = field('colour', 'Colour', { type: 'color' });
    this.colour.addEventListener('input', () => { this.#colourChosen = true; });
    this.addButton = htmlElement('button', { type: 'button' }, 'Add book');
    form.append(this.addButton);
    const add = () => {
      try {
        const book = makeBook({ title: title.value, x: x.value, y: y.value, colour: this.colour.value }, this.#books);
        this.#colourChosen = false;
        onAdd(book);
        this.#say(`Added "${book.title}" with key (${book.key.join(', ')}).`);
        title.value = '';
      } catch (error) {
        this.#say(`Not added: ${error.message}.`, true);
      }
    };
    this.addButton.addEventListener('click', add);
    form.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' || event.target.localName !== 'input') return;
      event.preventDefault();
      add();
    });
    return form;
  }

  /** Lists `books` with a remove button each, enables adding and removing within the limits, and suggests a free colour. */
  show(books) {
    this.#books = books;
    if (!this.#colourChosen) this.colour.value = bookColourFor(books);
    this.list.replaceChildren(...books.map((book, index) => {
      const item = htmlElement('li');
      const swatch = htmlElement('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.background = book.colour;
      const remove = htmlElement('button', { type: 'button', 'aria-label': `Remove ${book.title}` }, '×');
      remove.disabled = books.length <= minBooks;
      remove.addEventListener('click', () => {
        this.#say(`Removed "${book.title}".`);
        this.onRemove(index);
      });
      item.append(swatch, `${book.title} (${book.key.join(', ')})`, remove);
      return item;
    }));
    this.addButton.disabled = books.length >= maxBooks;
  }
}
