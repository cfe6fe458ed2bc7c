/**
 * Lesson prose to DOM: a small Markdown subset with math typeset by the bundled KaTeX.
 *
 * Blocks are separated by blank lines: `## Heading` (levels 2–4), a list of `- item`
 * lines, or a paragraph. Inside a block: `$$...$$` display math, `$...$` inline math,
 * `**strong**`, `*emphasis*`, `` `code` `` and `[text](relative-link)`. Everything is
 * built as DOM nodes, never as HTML strings, so a lesson cannot inject markup.
 */
import katex from 'katex';

const inlinePattern = /(\$\$[\s\S]+?\$\$|\$[^$\n]+?\$|\*\*[^*]+\*\*|\*[^*\s][^*]*\*|`[^`]+`|\[[^\]]+\]\([^)\s]+\))/;

/** An element holding typeset math; `display` for a centred block. */
export function mathElement(tex, display) {
  const holder = document.createElement(display ? 'div' : 'span');
  holder.className = display ? 'math-display' : 'math-inline';
  katex.render(tex.trim(), holder, { displayMode: display, throwOnError: false, output: 'htmlAndMathml' });
  return holder;
}

/** Only links within the site: a lesson may not send the learner to another origin unawares. */
function isLocalLink(href) {
  return !/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith('//');
}

/** The nodes for one run of inline text. */
export function inlineNodes(text) {
  return text.split(inlinePattern).filter((part) => part !== '').map((part) => {
    if (part.startsWith('$$') && part.endsWith('$$') && part.length > 4) return mathElement(part.slice(2, -2), true);
    if (part.startsWith('$') && part.endsWith('$') && part.length > 2) return mathElement(part.slice(1, -1), false);
    if (part.startsWith('**') && part.endsWith('**') && part.length > 4) return wrap('strong', part.slice(2, -2));
    if (part.startsWith('*') && part.endsWith('*') && part.length > 2) return wrap('em', part.slice(1, -1));
    if (part.startsWith('`') && part.endsWith('`') && part.length > 2) return wrap('code', part.slice(1, -1));
    const link = part.match(/^\[([^\]]+)\]\(([^)\s]+)\)$/);
    if (link && isLocalLink(link[2])) {
      const anchor = wrap('a', link[1]);
      anchor.href = link[2];
      return anchor;
    }
    return document.createTextNode(part);
  });
}

function wrap(tag, text) {
  const element = document.createElement(tag);
  element.append(...(tag === 'code' ? [text] : inlineNodes(text)));
  return element;
}

/** One block of prose (no blank lines inside) as an element. */
function blockElement(block) {
  const heading = block.match(/^(#{2,4})\s+(.+)$/);
  if (heading) {
    const element = document.createElement(`h${heading[1].length}`);
    element.append(...inlineNodes(heading[2]));
    return element;
  }
  const lines = block.split('\n');
  if (lines.every((line) => /^\s*-\s+/.test(line) || /^\s{2,}\S/.test(line))) {
    const list = document.createElement('ul');
    for (const line of lines) {
      if (/^\s*-\s+/.test(line)) {
        const item = document.createElement('li');
        item.append(...inlineNodes(line.replace(/^\s*-\s+/, '')));
        list.append(item);
      } else {
        list.lastElementChild.append(' ', ...inlineNodes(line.trim()));
      }
    }
    return list;
  }
  if (block.startsWith('$$') && block.endsWith('$$')) return mathElement(block.slice(2, -2), true);
  const paragraph = document.createElement('p');
  paragraph.append(...inlineNodes(lines.join(' ')));
  return paragraph;
}

/** The elements for a piece of prose. */
export function proseElements(text) {
  return text.split(/\n\s*\n/).map((block) => block.trim()).filter(Boolean).map(blockElement);
}
