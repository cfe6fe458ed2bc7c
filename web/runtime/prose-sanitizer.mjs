/**
 * The last guard between lesson text and the page. Lesson prose is rendered to HTML by
 * markdown-it (raw HTML off) and KaTeX (trust off), which already escape everything a
 * lesson writes; this module parses that HTML into an inert template (nothing loads,
 * nothing runs), keeps only the elements and attributes those two produce, checks
 * every link and image again, and only then hands the nodes to the page. An element it
 * does not know is dropped with its content; an attribute it does not know is dropped.
 */
import { safeLinkHref } from './safe-url.mjs';

const htmlNamespace = 'http://www.w3.org/1999/xhtml';
const svgNamespace = 'http://www.w3.org/2000/svg';
const mathNamespace = 'http://www.w3.org/1998/Math/MathML';

const htmlTags = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code', 'em', 'strong', 's',
  'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'hr', 'br', 'sup', 'sub', 'section', 'div', 'span',
]);
const svgTags = new Set(['svg', 'path', 'line', 'g']);
const mathTags = new Set([
  'math', 'semantics', 'annotation', 'mi', 'mn', 'mo', 'ms', 'mrow', 'mfrac', 'msqrt', 'mroot', 'msub', 'msup',
  'msubsup', 'munder', 'mover', 'munderover', 'mtext', 'mspace', 'mstyle', 'mpadded', 'mphantom', 'mtable', 'mtr',
  'mtd', 'menclose',
]);

const commonAttributes = new Set(['class', 'aria-hidden', 'aria-label', 'title']);
const htmlAttributes = {
  a: new Set(['href']),
  img: new Set(['src', 'alt']),
  ol: new Set(['start']),
  div: new Set(['data-lesson-block', 'tabindex', 'role']),
};
const svgAttributes = new Set(['xmlns', 'width', 'height', 'viewbox', 'preserveaspectratio', 'd', 'x1', 'y1', 'x2', 'y2', 'stroke-width']);
const mathAttributes = new Set([
  'xmlns', 'display', 'encoding', 'mathvariant', 'stretchy', 'fence', 'separator', 'lspace', 'rspace', 'accent',
  'accentunder', 'width', 'height', 'depth', 'linethickness', 'columnalign', 'columnlines', 'rowlines', 'rowspacing',
  'columnspacing', 'scriptlevel', 'displaystyle', 'minsize', 'maxsize', 'movablelimits', 'notation', 'voffset',
  'largeop', 'mathcolor', 'mathbackground', 'mathsize', 'linebreak', 'valign',
]);

/** Inline styles as KaTeX writes them (sizes, offsets, colours); anything that could fetch or escape is refused. */
export function isSafeStyle(style) {
  const lower = style.toLowerCase();
  return /^[a-z0-9\s\-:;.,#%()+*/]*$/.test(lower) && !/(url|image|expression|attr|element|paint|src)\s*\(|@|\\/.test(lower);
}

function attributeAllowed(element, name, value, { page, images }) {
  if (name.startsWith('on')) return false;
  if (name === 'style') return isSafeStyle(value);
  if (name === 'id') return /^fn(ref)?-[a-z0-9-]+-\d+(:\d+)?$/.test(value);
  if (commonAttributes.has(name)) return true;
  const namespace = element.namespaceURI;
  if (namespace === svgNamespace) return svgAttributes.has(name);
  if (namespace === mathNamespace) return mathAttributes.has(name);
  const tag = element.localName;
  if (!htmlAttributes[tag]?.has(name)) return false;
  if (tag === 'a' && name === 'href') return safeLinkHref(value, page) !== null;
  if (tag === 'img' && name === 'src') return images.has(value);
  if (name === 'data-lesson-block') return /^\d+$/.test(value);
  if (name === 'tabindex') return value === '0';
  if (name === 'role') return value === 'group';
  if (name === 'start') return /^\d{1,9}$/.test(value);
  return true;
}

function elementAllowed(element) {
  const tag = element.localName;
  if (element.namespaceURI === htmlNamespace) return htmlTags.has(tag);
  if (element.namespaceURI === svgNamespace) return svgTags.has(tag);
  if (element.namespaceURI === mathNamespace) return mathTags.has(tag);
  return false;
}

function clean(node, options) {
  for (const child of [...node.childNodes]) {
    if (child.nodeType === Node.TEXT_NODE) continue;
    if (child.nodeType !== Node.ELEMENT_NODE || !elementAllowed(child)) {
      child.remove();
      continue;
    }
    for (const { name, value } of [...child.attributes]) {
      if (!attributeAllowed(child, name.toLowerCase(), value, options)) child.removeAttribute(name);
    }
    clean(child, options);
  }
}

/**
 * The nodes of `html` (markdown-it's and KaTeX's output), cleaned, as a fragment of the
 * page's document. `page` is the address links are judged against; `images` the set of
 * image sources the renderer approved.
 */
export function sanitizedFragment(html, { page, images = new Set() }) {
  const template = document.createElement('template');
  template.innerHTML = html;
  clean(template.content, { page, images });
  return document.importNode(template.content, true);
}
