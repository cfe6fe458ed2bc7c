/**
 * Lesson prose to DOM, through markdown-it (CommonMark, with tables and strikethrough),
 * markdown-it-footnote and our math plugin (KaTeX). Raw HTML is off, so a lesson cannot
 * write markup; links are kept only when they stay on the page's own origin and images
 * only when they come from the lessons folder (safe-url.mjs); the HTML the renderer
 * makes passes through prose-sanitizer.mjs before it reaches the page.
 *
 * A whole lesson's prose is rendered as one document, so footnotes and link references
 * work across it; the widgets and exercises between the pieces are marked by
 * placeholders (`<div data-lesson-block="N">`) that lesson-view.mjs replaces.
 */
import markdownIt from 'markdown-it';
import footnotes from 'markdown-it-footnote';
import katex from 'katex';
import { mathPlugin } from './markdown-math.mjs';
import { sanitizedFragment } from './prose-sanitizer.mjs';
import { lessonImagePath, safeImageSource, safeLinkHref } from './safe-url.mjs';

/** Where lesson images live when the site is served (beside web/). */
const lessonsBase = new URL('../../lessons/', import.meta.url).href;
/** Images bundled into a build (path in lessons/ → data: URL), see provideLessonImages. */
let bundledImages = {};

/** For a bundle that carries the lessons' images itself (the embed script, the offline page). */
export function provideLessonImages(images) {
  bundledImages = images;
}

/** KaTeX's HTML for `tex`; `display` for a centred block. Errors show as red source, never throw. */
function renderMath(tex, display) {
  const html = katex.renderToString(tex.trim(), {
    displayMode: display, throwOnError: false, output: 'htmlAndMathml', trust: false, strict: 'ignore',
  });
  return `<span class="${display ? 'math-display' : 'math-inline'}">${html}</span>`;
}

const markdown = markdownIt({ html: false, linkify: false, typographer: false })
  .use(footnotes)
  .use(mathPlugin, { render: renderMath });

/** During one render: the page links are judged against, the images approved, the heading shift, the block marker. */
let current = { page: 'about:blank', images: new Set(), headingShift: 0, blockMarker: null };

markdown.validateLink = (url) => safeLinkHref(url, current.page) !== null || safeImageSource(url, lessonsBase) !== null;

/** Links leave the site nowhere; images come from lessons/ (bundled when the build carries them). */
function checkLinksAndImages(state) {
  const visit = (tokens) => {
    for (let index = 0; index < tokens.length; index += 1) {
      const token = tokens[index];
      if (token.children) visit(token.children);
      if (token.type === 'link_open') {
        const safe = safeLinkHref(token.attrGet('href'), current.page);
        if (safe) {
          token.attrSet('href', safe);
          continue;
        }
        let depth = 0;
        const close = tokens.findIndex((other, at) => {
          if (at <= index) return false;
          if (other.type === 'link_open') depth += 1;
          if (other.type === 'link_close') depth -= 1;
          return depth < 0;
        });
        if (close > index) tokens.splice(close, 1);
        tokens.splice(index, 1);
        index -= 1;
      } else if (token.type === 'image') {
        const path = lessonImagePath(token.attrGet('src'), lessonsBase);
        const src = path && (Object.hasOwn(bundledImages, path) ? bundledImages[path] : safeImageSource(path, lessonsBase));
        if (src) {
          token.attrSet('src', src);
          current.images.add(src);
        } else {
          token.type = 'text';
          token.content = token.content || token.attrGet('alt') || '';
          token.children = null;
        }
      }
    }
  };
  visit(state.tokens);
}
markdown.core.ruler.push('lesson_links', checkLinksAndImages);

/** The title is the only heading of its level: `#` and `##` sit one level below it, and so on. */
markdown.core.ruler.push('lesson_headings', (state) => {
  for (const token of state.tokens) {
    if (token.type !== 'heading_open' && token.type !== 'heading_close') continue;
    const written = Number(token.tag.slice(1));
    token.tag = `h${Math.min(6, Math.max(2, written) + current.headingShift)}`;
  }
});

const defaultFence = markdown.renderer.rules.fence;
markdown.renderer.rules.fence = (tokens, index, options, env, renderer) => {
  const token = tokens[index];
  if (current.blockMarker && token.info.trim() === current.blockMarker && /^\d+\s*$/.test(token.content)) {
    return `<div data-lesson-block="${Number(token.content)}"></div>\n`;
  }
  return defaultFence(tokens, index, options, env, renderer);
};
const defaultTableOpen = markdown.renderer.rules.table_open ?? ((tokens, index, options, env, renderer) => renderer.renderToken(tokens, index, options));
markdown.renderer.rules.table_open = (...args) => `<div class="table-scroll" tabindex="0" role="group" aria-label="Table">${defaultTableOpen(...args)}`;
markdown.renderer.rules.table_close = () => '</table></div>\n';
markdown.renderer.rules.footnote_anchor = (tokens, index, options, env, renderer) => {
  let id = renderer.rules.footnote_anchor_name(tokens, index, options, env, renderer);
  if (tokens[index].meta.subId > 0) id += `:${tokens[index].meta.subId}`;
  return ` <a href="#fnref${id}" class="footnote-backref" aria-label="Back to the text">\u21a9\uFE0E</a>`;
};

function withRender(settings, render) {
  const previous = current;
  current = { images: new Set(), headingShift: 0, blockMarker: null, ...settings };
  try {
    const html = render();
    return sanitizedFragment(html, { page: current.page, images: current.images });
  } finally {
    current = previous;
  }
}

/**
 * Footnote links scroll within the lesson instead of changing the page's address (which
 * holds the widgets' view, and cannot reach into a shadow root).
 */
function keepFootnoteLinksInside(fragment) {
  for (const anchor of fragment.querySelectorAll('a[href^="#fn"]')) {
    const target = anchor.getAttribute('href').slice(1);
    anchor.addEventListener('click', (event) => {
      const root = anchor.getRootNode();
      const element = root.querySelector?.(`[id="${CSS.escape(target)}"]`);
      if (!element) return;
      event.preventDefault();
      element.scrollIntoView({ block: 'center' });
      (element.localName === 'a' ? element : element.querySelector('a'))?.focus({ preventScroll: true });
    });
  }
}

/**
 * Displayed math wider than a phone scrolls sideways; while it does, it takes keyboard
 * focus, so that it can be scrolled without a pointer. Call once the prose is on the page.
 */
export function keepWideMathReachable(container) {
  const observer = new ResizeObserver((entries) => {
    for (const { target } of entries) {
      if (target.scrollWidth > target.clientWidth + 1) target.setAttribute('tabindex', '0');
      else target.removeAttribute('tabindex');
    }
  });
  for (const math of container.querySelectorAll('.math-display')) observer.observe(math);
  return observer;
}

/**
 * The prose of a lesson as a fragment. `page`: the address links are judged against
 * (the page's); `headingShift`: levels added to every heading (0 when the title is an
 * h1); `docId`: a prefix that makes footnote ids unique on the page; `blockMarker`: the
 * fence info that marks a placeholder.
 */
export function proseFragment(text, { page = document.baseURI, headingShift = 0, docId = 'lesson', blockMarker = null } = {}) {
  const fragment = withRender({ page, headingShift, blockMarker }, () => markdown.render(text, { docId }));
  keepFootnoteLinksInside(fragment);
  return fragment;
}

/** One line of lesson text (a title, a prompt, a choice, an explanation) as nodes: inline Markdown and math. */
export function inlineNodes(text, { page = document.baseURI } = {}) {
  return [...withRender({ page }, () => markdown.renderInline(String(text), {})).childNodes];
}

/** An element holding typeset math; `display` for a centred block. */
export function mathElement(tex, display) {
  return withRender({}, () => renderMath(tex, display)).firstElementChild;
}
