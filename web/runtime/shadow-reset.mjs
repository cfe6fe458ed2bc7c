/**
 * The first rules of every shadow root (each widget's, each embedded element's): the
 * host page's inherited styles — font size and family, letter and word spacing,
 * direction, alignment, text transforms — stop at the element, which starts from CSS's
 * initial values and the lessons' own font, size and colours. Rules the host page sets
 * on the element itself (margins, borders, a width) still apply: they come from outside
 * and win over `:host`. The host chooses a font on purpose with `--attention-lab-font`.
 */
import { colour } from './theme-colours.mjs';

export const fontStack = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", sans-serif';

/** The declarations that put inherited text styles back to the lessons' own. */
export const textReset = `
  font: normal normal 400 normal medium/1.55 var(--attention-lab-font, ${fontStack});
  letter-spacing: normal; word-spacing: normal; text-transform: none; text-indent: 0;
  text-align: start; direction: ltr; unicode-bidi: isolate; writing-mode: horizontal-tb;
  white-space: normal; text-shadow: none; font-variant: normal; font-kerning: auto;
  overflow-wrap: break-word; color: ${colour('text')};`;

export const shadowResetCss = `
  :host { all: initial; display: block; ${textReset} }
  :host([hidden]) { display: none; }
  *, *::before, *::after { box-sizing: border-box; }
  [hidden] { display: none !important; }
`;
