/**
 * The theme's colours, for figures that compute colours rather than name them in CSS
 * (a canvas, a heatmap cell's fill, an exported SVG).
 *
 * Every colour is an `--attention-lab-<name>` custom property with a light fallback
 * (`themeFallbacks`); CSS text uses `themeVar(name)`. A figure drawing in JavaScript reads
 * the resolved colours from its element with `readTheme(element)` (getComputedStyle, so a
 * host page's or the dark theme's values apply), builds its scales from them, and redraws
 * when `watchColourScheme` reports that the page switched between light and dark.
 *
 *   const theme = readTheme(figureElement);
 *   const scale = sequentialScale(theme['heat-low'], theme['heat-high']);
 *   scale.css(0.5)   // 'rgb(…)' halfway, for an SVG fill
 *   scale.lut        // Uint32Array(256) of canvas pixels (RGBA bytes), low to high
 */
import { colour, lightColours, onColourSchemeChange } from '../runtime/theme-colours.mjs';

/** The light values every colour falls back to when no theme sets it (web/theme.css's). */
export const themeFallbacks = lightColours;

/** `var(--attention-lab-<name>, <fallback>)`, for CSS text. */
export const themeVar = colour;

let probe = null;
const resolved = new Map();

/** Any CSS colour text as [r, g, b, a] bytes (drawn into a 1×1 canvas and read back); null if unreadable. */
export function colourBytes(text) {
  if (resolved.has(text)) return resolved.get(text);
  probe ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  let bytes = null;
  if (CSS.supports('color', text)) {
    probe.clearRect(0, 0, 1, 1);
    probe.fillStyle = text;
    probe.fillRect(0, 0, 1, 1);
    bytes = [...probe.getImageData(0, 0, 1, 1).data];
  }
  resolved.set(text, bytes);
  return bytes;
}

/** Every theme colour as [r, g, b, a] bytes, resolved where `element` sits in the page. */
export function readTheme(element) {
  const style = getComputedStyle(element);
  return Object.fromEntries(Object.keys(themeFallbacks).map((name) => {
    const given = style.getPropertyValue(`--attention-lab-${name}`).trim();
    return [name, (given && colourBytes(given)) || colourBytes(themeFallbacks[name])];
  }));
}

/** `rgb(r g b)` for CSS and SVG attributes. */
export const cssColour = ([r, g, b]) => `rgb(${r} ${g} ${b})`;

/** A canvas pixel (RGBA bytes in memory order) as one little-endian Uint32. */
const pixel = ([r, g, b]) => ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;

const mix = (from, to, t) => from.map((channel, index) => Math.round(channel + (to[index] - channel) * t));

/** Relative luminance (WCAG) of a colour in bytes. */
export function luminance([r, g, b]) {
  const linear = (c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG contrast ratio of two colours in bytes. */
export function contrast(a, b) {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** Of `candidates`, the colour that stands out most against `background` (for text on a cell). */
export function readableOn(background, candidates) {
  return candidates.reduce((best, colour) => (contrast(colour, background) > contrast(best, background) ? colour : best));
}

/**
 * A colour scale through `stops` (colours in bytes, evenly spaced on [0, 1]): `at(t)`
 * gives bytes, `css(t)` text, `lut` 256 canvas pixels from t = 0 to t = 1.
 */
function scaleThrough(stops) {
  const at = (t) => {
    const clamped = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
    const position = clamped * (stops.length - 1);
    const index = Math.min(stops.length - 2, Math.floor(position));
    return mix(stops[index], stops[index + 1], position - index);
  };
  const lut = new Uint32Array(256);
  for (let index = 0; index < 256; index++) lut[index] = pixel(at(index / 255));
  return { at, css: (t) => cssColour(at(t)), lut, stops };
}

/** Low to high, for magnitudes (attention weights). */
export const sequentialScale = (low, high) => scaleThrough([low, high]);

/** Negative through `middle` to positive, for signed numbers (scores). */
export const divergingScale = (negative, middle, positive) => scaleThrough([negative, middle, positive]);

/** The canvas pixel for one colour. */
export const canvasPixel = pixel;

/**
 * Calls `onChange` whenever the page switches between light and dark; returns a
 * function that stops watching.
 */
export const watchColourScheme = onColourSchemeChange;
