/**
 * Reading what a request asks for, strictly, before anything else looks at it.
 *
 * A request-target (RFC 9112 §3.2) is untrusted text. It is read once, here, into
 * a list of decoded path segments that cannot name anything outside a folder: each
 * segment is one valid UTF-8 name, with no '/', '\', NUL or control character, and is
 * never '.' or '..'. Anything else is a bad request (400), answered and forgotten —
 * the server never hands the raw target to a URL parser, which is how `GET //[` once
 * threw and `//a//evil.example/…` once became a redirect to another site.
 */

/** Longer targets than this are refused with 414 (the site's longest path is under 100). */
export const maxTargetLength = 2048;

/** A request the server refuses, with the HTTP status that says why. */
export class BadRequestError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'BadRequestError';
    this.status = status;
  }
}

const bad = (message) => new BadRequestError(400, message);

/** RFC 3986 pchar, plus '/' between segments; '%' is checked as percent-encoding separately. */
const pathCharacters = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;
/** A query may also hold '?'. */
const queryCharacters = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/;
const brokenPercent = /%(?![0-9A-Fa-f]{2})/;
const absoluteForm = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/s;
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Reads a request-target into `{ segments, trailingSlash, query }`: the decoded,
 * non-empty path segments, whether the path ends in '/', and the raw query ('' or
 * '?…', only URL-safe characters). Accepts origin-form (`/path?query`) and, as HTTP/1.1
 * requires, absolute-form (`http://host/path`, whose host is ignored). Throws a
 * BadRequestError (400, or 414 when too long) for anything else.
 */
export function parseRequestTarget(target) {
  if (typeof target !== 'string' || target.length === 0) throw bad('the request has no target');
  if (target.length > maxTargetLength) throw new BadRequestError(414, `the request target is longer than ${maxTargetLength} characters`);
  let pathAndQuery = target;
  const absolute = absoluteForm.exec(target);
  if (absolute) {
    if (!/^https?$/i.test(absolute[1])) throw bad('an absolute request target must be an http: or https: URL');
    pathAndQuery = absolute[3] || '/';
  }
  if (!pathAndQuery.startsWith('/')) throw bad('the request target must be a path starting with "/"');
  const queryStart = pathAndQuery.indexOf('?');
  const path = queryStart < 0 ? pathAndQuery : pathAndQuery.slice(0, queryStart);
  const query = queryStart < 0 ? '' : pathAndQuery.slice(queryStart);
  if (!pathCharacters.test(path) || !queryCharacters.test(query.slice(1))) {
    throw bad('the request target holds a character a URL may not hold unencoded');
  }
  if (brokenPercent.test(path) || brokenPercent.test(query)) throw bad('the request target holds a "%" not followed by two hex digits');
  const segments = path.split('/').filter((segment) => segment !== '').map(decodeSegment);
  return { segments, trailingSlash: path.endsWith('/'), query };
}

/** One path segment, percent-decoded once, refused if it could name anything but one entry of a folder. */
function decodeSegment(segment) {
  let name;
  try {
    name = decodeURIComponent(segment);
  } catch {
    throw bad('the request path is not valid percent-encoded UTF-8');
  }
  if (name === '.' || name === '..') throw bad('the request path may not contain "." or ".." segments');
  if (name.includes('/') || name.includes('\\')) throw bad('the request path may not contain an encoded "/" or "\\"');
  if (controlCharacters.test(name)) throw bad('the request path may not contain NUL or control characters');
  return name;
}

/**
 * The path for `segments` as a Location header value: one leading '/', each segment
 * percent-encoded, so it is always a path on this origin (never '//host' or '/\host').
 */
export function sameOriginPath(segments, { trailingSlash = false, query = '' } = {}) {
  const path = `/${segments.map(encodeURIComponent).join('/')}${trailingSlash && segments.length ? '/' : ''}`;
  const location = `${path}${query}`;
  if (!isSameOriginPath(location)) throw bad('the request path cannot be redirected safely');
  return location;
}

/** Whether a Location value stays on the origin that sent it: a path, starting with exactly one '/'. */
export function isSameOriginPath(location) {
  if (typeof location !== 'string' || !/^\/(?![/\\])/.test(location) || controlCharacters.test(location)) return false;
  const base = 'http://origin.invalid';
  return new URL(location, base).origin === base;
}
