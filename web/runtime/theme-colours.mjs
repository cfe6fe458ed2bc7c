/**
 * The theme's colours from JavaScript: their names, their light values (the fallback
 * every `var()` carries, the same as web/theme.css), a `var()` for each, and the values
 * in force on an element — for a figure exported as a file, which must carry its
 * colours with it, and for anything drawn on a canvas, which cannot use `var()`.
 */

/** Light values, the same as web/theme.css's (a test compares them). */
export const lightColours = Object.freeze({
  text: '#1b1b1f',
  'muted-text': '#4a4a55',
  background: '#ffffff',
  panel: '#f4f5f9',
  rule: '#c9c9d3',
  accent: '#0b57d0',
  focus: '#0b57d0',
  grid: '#e3e3ea',
  axis: '#4a4a55',
  track: '#e3e4ec',
  error: '#8a1c1c',
  success: '#0f6b32',
  highlight: '#fff0a8',
  'series-1': '#c2410c',
  'series-2': '#0b57d0',
  'series-3': '#15803d',
  'series-4': '#7c3aed',
  'series-5': '#be185d',
  'series-6': '#0e7490',
  'heat-low': '#f4f7fb',
  'heat-high': '#08306b',
  positive: '#1d5fa8',
  negative: '#b2282f',
});

/** The custom property of a colour: `--attention-lab-<name>`. */
export const colourProperty = (name) => `--attention-lab-${name}`;

/** `var(--attention-lab-<name>, <light value>)`, for CSS written in JavaScript. */
export function colour(name) {
  if (!Object.hasOwn(lightColours, name)) throw new Error(`there is no theme colour "${name}"`);
  return `var(${colourProperty(name)}, ${lightColours[name]})`;
}

/** The colours in force on `element` (its own, inherited from the page, or the light fallback), by name. */
export function coloursOf(element) {
  const style = getComputedStyle(element);
  return Object.fromEntries(Object.entries(lightColours).map(([name, fallback]) =>
    [name, style.getPropertyValue(colourProperty(name)).trim() || fallback]));
}

/** A CSS declaration block setting every colour to its value on `element`, e.g. for an exported SVG. */
export function resolvedColoursCss(element) {
  return Object.entries(coloursOf(element)).map(([name, value]) => `${colourProperty(name)}: ${value};`).join(' ');
}

/**
 * Calls `callback` when the reader switches between light and dark; returns a function
 * that stops listening. (A page that changes the properties itself redraws itself.)
 */
export function onColourSchemeChange(callback) {
  const query = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
  if (!query) return () => {};
  query.addEventListener('change', callback);
  return () => query.removeEventListener('change', callback);
}
