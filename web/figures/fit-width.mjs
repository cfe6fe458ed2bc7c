/**
 * Figures drawn in SVG scale to their box, and their text with them: a 480-unit-wide plot
 * on a 320 px phone shows 14-unit labels at 9 px. A figure with `fitTo(pixels)` redraws
 * itself narrower instead, so its text keeps about its size; this keeps it told how
 * wide it is on screen.
 */

/** Calls `figure.fitTo(width)` with `element`'s width in CSS pixels now and whenever it changes. */
export function fitToWidth(element, figure) {
  const observer = new ResizeObserver((entries) => {
    const width = entries.at(-1).contentRect.width;
    if (width > 0) figure.fitTo(width);
  });
  observer.observe(element);
  return observer;
}
