/**
 * The books of the library lesson as data: each book has a title, a 2-D key (where its
 * title points) and a value (its contents, a colour: an RGB triple in [0, 1]).
 *
 * A shelf is written as text so that it fits in an HTML attribute, a lesson file and a
 * URL: books separated by `;`, each `title:x,y:#rrggbb`, e.g.
 * `cats:2,0.6:#d95f02;dogs:1.2,1.7:#7570b3`. Titles are short words without `:`, `;`
 * or `,`.
 */

export const minBooks = 1;
export const maxBooks = 10;
export const maxTitleLength = 16;
/** Keys must lie on the plane the widget draws. */
export const keyExtent = 3;

/**
 * The default shelf. Its keys differ in length as well as direction (|k| from about 1.1
 * to 2.8), so the lesson can show that q·k = |q||k|cos θ rewards a long key as much as
 * a well-aimed one.
 */
export const defaultShelfText =
  'cats:2.6,0.8:#d95f03;dogs:0.9,1.3:#7570b3;stars:-0.4,2.8:#b38700;'
  + 'oceans:-1.2,0.2:#1f78b4;forests:-1.5,-2.1:#1b8c66;cakes:0.7,-0.9:#d9298a';

/**
 * Colours for the books, far enough apart to tell the arrows and bars apart; a new book
 * takes the first one the shelf does not use yet (bookColourFor).
 */
export const bookPalette = Object.freeze([
  '#d95f03', '#7570b3', '#b38700', '#1f78b4', '#1b8c66', '#d9298a', '#66a61e', '#8c564b', '#17a2b8', '#6b6b6b',
  '#a6192e', '#3b3bb3',
]);

/** How far apart two '#rrggbb' colours are (RGB distance, 0 to about 441). */
function colourDistance(a, b) {
  const [ra, ga, ba] = colourToValue(a);
  const [rb, gb, bb] = colourToValue(b);
  return 255 * Math.hypot(ra - rb, ga - gb, ba - bb);
}

/** A colour for a new book: the first of the palette not close to any on the shelf. */
export function bookColourFor(books) {
  const far = bookPalette.find((candidate) => books.every((book) => colourDistance(candidate, book.colour) > 60));
  return far ?? bookPalette[books.length % bookPalette.length];
}

/** Whether the shelf already has a book of this title (ignoring case). */
export const hasTitle = (books, title) => books.some((book) => book.title.toLowerCase() === title.toLowerCase());

/** A title as the shelf can hold it: trimmed, without separators, not too long. */
export function cleanTitle(title) {
  return title.replace(/[:;,]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, maxTitleLength);
}

/** '#rrggbb' → [r, g, b] in [0, 1]. */
export function colourToValue(colour) {
  return [1, 3, 5].map((start) => parseInt(colour.slice(start, start + 2), 16) / 255);
}

/** Rounds a key coordinate to the precision the shelf keeps (0.01). */
const roundKey = (coordinate) => Math.round(coordinate * 100) / 100;

/** Reads a shelf; throws an Error saying what is wrong with the text. */
export function parseShelf(text) {
  const books = text.split(';').map((entry) => entry.trim()).filter(Boolean).map((entry) => {
    const match = entry.match(/^([^:;,]+):\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*:\s*(#[0-9a-f]{6})$/i);
    if (!match) throw new Error(`"${entry}" is not a book written as title:x,y:#rrggbb`);
    const key = [Number(match[2]), Number(match[3])];
    if (!key.every((coordinate) => Number.isFinite(coordinate) && Math.abs(coordinate) <= keyExtent)) {
      throw new Error(`the key of "${match[1]}" must lie between -${keyExtent} and ${keyExtent}`);
    }
    return { title: cleanTitle(match[1]), key, colour: match[4].toLowerCase(), value: colourToValue(match[4]) };
  });
  if (books.length < minBooks || books.length > maxBooks) {
    throw new Error(`a shelf holds ${minBooks} to ${maxBooks} books, not ${books.length}`);
  }
  books.forEach((book, index) => {
    if (hasTitle(books.slice(0, index), book.title)) throw new Error(`two books are called "${book.title}"`);
  });
  return books;
}

/** Writes a shelf back as text. */
export function formatShelf(books) {
  return books.map((book) => `${book.title}:${book.key.join(',')}:${book.colour}`).join(';');
}

/** A new book for `books`, checked and rounded the way the shelf keeps it. */
export function makeBook({ title, x, y, colour }, books = []) {
  const cleaned = cleanTitle(title);
  if (!cleaned) throw new Error('a book needs a title');
  if (hasTitle(books, cleaned)) throw new Error(`there is already a book called "${cleaned}"; give it another title`);
  const key = [x, y].map(Number);
  if (!key.every((coordinate) => Number.isFinite(coordinate) && Math.abs(coordinate) <= keyExtent)) {
    throw new Error(`the key's coordinates must be numbers between -${keyExtent} and ${keyExtent}`);
  }
  if (!/^#[0-9a-f]{6}$/i.test(colour)) throw new Error('the colour must be written #rrggbb');
  return { title: cleaned, key: key.map(roundKey), colour: colour.toLowerCase(), value: colourToValue(colour) };
}
