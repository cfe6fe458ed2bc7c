/**
 * A markdown-it plugin for math in lesson prose: `$...$` inline and `$$...$$` displayed
 * (inside a paragraph, or as a block of its own that may span lines), each handed to
 * `render(tex, display)`, which returns HTML (KaTeX's, in lesson-prose.mjs).
 *
 * Inline math follows Pandoc's rule, so prices and lone dollars stay text: the opening
 * `$` has a non-space after it, the closing `$` a non-space before it and no digit
 * after it. `\$` is a literal dollar, inside math or out.
 */

const dollar = 0x24;

function findInlineEnd(src, start, max) {
  for (let at = src.indexOf('$', start); at >= 0 && at < max; at = src.indexOf('$', at + 1)) {
    if (src[at - 1] === '\\') continue;
    if (/\s/.test(src[at - 1]) || /\d/.test(src[at + 1] ?? '')) continue;
    return at;
  }
  return -1;
}

function mathInline(state, silent) {
  const { src, pos, posMax } = state;
  if (src.charCodeAt(pos) !== dollar || src[pos - 1] === '\\') return false;
  const display = src.charCodeAt(pos + 1) === dollar;
  let content;
  let next;
  if (display) {
    const end = src.indexOf('$$', pos + 2);
    if (end < 0 || end + 2 > posMax || !src.slice(pos + 2, end).trim()) return false;
    content = src.slice(pos + 2, end);
    next = end + 2;
  } else {
    if (pos + 1 >= posMax || /\s/.test(src[pos + 1])) return false;
    const end = findInlineEnd(src, pos + 1, posMax);
    if (end < 0) return false;
    content = src.slice(pos + 1, end);
    next = end + 1;
  }
  if (!silent) {
    const token = state.push(display ? 'math_display' : 'math_inline', 'math', 0);
    token.content = content;
    token.markup = display ? '$$' : '$';
  }
  state.pos = next;
  return true;
}

function mathBlock(state, startLine, endLine, silent) {
  const lineStart = state.bMarks[startLine] + state.tShift[startLine];
  const lineEnd = state.eMarks[startLine];
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  if (!state.src.startsWith('$$', lineStart)) return false;
  const firstLine = state.src.slice(lineStart + 2, lineEnd);
  let content;
  let last = startLine;
  if (firstLine.trim().endsWith('$$') && firstLine.trim().length >= 2) {
    content = firstLine.trim().slice(0, -2);
  } else {
    const lines = [firstLine];
    let found = false;
    for (last = startLine + 1; last < endLine; last += 1) {
      const text = state.src.slice(state.bMarks[last] + state.tShift[last], state.eMarks[last]);
      if (state.sCount[last] < state.blkIndent) return false;
      if (text.trim().endsWith('$$')) {
        lines.push(text.trim().slice(0, -2));
        found = true;
        break;
      }
      lines.push(text);
    }
    if (!found) return false;
    content = lines.join('\n');
  }
  if (!content.trim()) return false;
  if (silent) return true;
  state.line = last + 1;
  const token = state.push('math_block', 'math', 0);
  token.block = true;
  token.content = content;
  token.map = [startLine, state.line];
  token.markup = '$$';
  return true;
}

/** The plugin: `markdownIt().use(mathPlugin, { render })`. */
export function mathPlugin(md, { render }) {
  md.inline.ruler.after('escape', 'math_inline', mathInline);
  md.block.ruler.before('fence', 'math_block', mathBlock, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
  md.renderer.rules.math_inline = (tokens, index) => render(tokens[index].content, false);
  md.renderer.rules.math_display = (tokens, index) => render(tokens[index].content, true);
  md.renderer.rules.math_block = (tokens, index) => `${render(tokens[index].content, true)}\n`;
}
