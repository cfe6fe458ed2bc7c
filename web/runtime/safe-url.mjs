/**
 * Which addresses lesson text may use. A lesson is data written by someone else: its
 * links may lead only within the site that shows it, and its images come only from the
 * lessons folder. Both are decided on the address as the browser will read it —
 * `new URL(text, base)`, which drops leading control characters and spaces, reads `\`
 * as `/` and resolves `//host` — never on the text as written, so no spelling of
 * `javascript:`, `//evil.example`, `/\evil.example` or `\\evil.example` gets through.
 * No DOM here: the same rules are tested in Node.
 */

const webProtocols = new Set(['http:', 'https:']);

function parse(text, base) {
  try {
    return new URL(String(text), base);
  } catch {
    return null;
  }
}

/**
 * The absolute address of a link `href` written in a lesson shown on the page at
 * `pageUrl`, or null when it would leave the page's origin (or is not a web address).
 * A page opened from a file (`file:`, an opaque origin) keeps only links within itself.
 */
export function safeLinkHref(href, pageUrl) {
  const page = parse(pageUrl);
  const url = page && parse(href, page);
  if (!url || url.username || url.password) return null;
  if (webProtocols.has(page.protocol)) {
    return webProtocols.has(url.protocol) && url.origin === page.origin ? url.href : null;
  }
  if (page.protocol === 'file:') {
    return url.protocol === 'file:' && url.host === page.host && url.pathname === page.pathname ? url.href : null;
  }
  return null;
}

/**
 * The absolute address of an image `src` written in a lesson, or null unless it lies in
 * the lessons folder at `lessonsBase` (an absolute URL ending in `/`).
 */
export function safeImageSource(src, lessonsBase) {
  const base = parse(lessonsBase);
  const url = base && parse(src, base);
  if (!url || url.username || url.password || url.protocol !== base.protocol || url.origin !== base.origin) return null;
  if (!['http:', 'https:', 'file:'].includes(url.protocol) || url.host !== base.host) return null;
  return url.pathname.startsWith(base.pathname) && url.pathname.length > base.pathname.length ? url.href : null;
}

/** The file name an image src names inside the lessons folder ("figures/a.png"), or null. */
export function lessonImagePath(src, lessonsBase) {
  const safe = safeImageSource(src, lessonsBase);
  return safe ? decodeURIComponent(new URL(safe).pathname.slice(new URL(lessonsBase).pathname.length)) : null;
}
