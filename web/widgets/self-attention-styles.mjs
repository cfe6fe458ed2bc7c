/**
 * The styles of `<self-attention>`'s own parts (its figures bring theirs): every colour a
 * theme custom property with a light fallback; touch targets at least 44 px; nothing
 * wider than a 360 px phone (wide tables scroll inside their own box).
 */
import { themeVar } from '../figures/theme-colours.mjs';

export const selfAttentionStyles = `
  :host { display: block; color: ${themeVar('text')}; }
  *, *::before, *::after { box-sizing: border-box; }
  .self-attention { display: grid; gap: 1.25rem; min-width: 0; }
  .self-attention section { display: grid; gap: 0.6rem; min-width: 0; }
  h3 { font-size: 1.1rem; margin: 0.5rem 0 0; }
  h4 { font-size: 1rem; margin: 0; }
  p { margin: 0; }
  .attribute-problems, .field-message, .status { color: ${themeVar('error')}; }
  .attribute-problems:empty, .field-message:empty, .status:empty { display: none; }
  .input-panel, .settings { padding: 0.75rem; border: 1px solid ${themeVar('rule')}; border-radius: 0.5rem; background: ${themeVar('panel')}; }
  .settings { display: grid; gap: 0.75rem 1.25rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 8.5rem), 1fr)); align-items: start; }
  .setting, .field { display: grid; gap: 0.25rem; min-width: 0; }
  label { font-weight: 600; }
  input[type=text], input[type=number], select, textarea {
    font: inherit; min-height: 2.75rem; max-width: 100%; padding: 0.2rem 0.45rem;
    border: 1px solid ${themeVar('muted-text')}; border-radius: 0.3rem;
    background: ${themeVar('background')}; color: ${themeVar('text')}; }
  textarea { font-family: ui-monospace, monospace; font-size: 0.9rem; width: 100%; resize: vertical; }
  .sentence-block input[type=text] { width: 100%; }
  [aria-invalid="true"] { border: 2px solid ${themeVar('error')}; }
  :focus-visible { outline: 3px solid ${themeVar('focus')}; outline-offset: 2px; }
  fieldset.choices { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0 1rem; }
  fieldset.choices legend { font-weight: 600; padding: 0; margin-bottom: 0.2rem; }
  fieldset.choices label { display: inline-flex; align-items: center; gap: 0.4rem; min-height: 2.75rem; font-weight: 400; }
  fieldset.choices input { width: 1.2rem; height: 1.2rem; margin: 0; accent-color: ${themeVar('accent')}; }
  .input-panel { display: grid; gap: 0.75rem; }
  .random-block { display: grid; gap: 0.75rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 7.5rem), 1fr)); }
  .numbers-block { display: grid; gap: 0.6rem; }
  .hint, .note { color: ${themeVar('muted-text')}; }
  .vocabulary summary, details summary { cursor: pointer; min-height: 2.75rem; display: flex; align-items: center; }
  .word-list { display: flex; flex-wrap: wrap; gap: 0.35rem; }
  .word-list button, .withheld-note button { font: inherit; min-height: 2.75rem; min-width: 2.75rem; padding: 0.2rem 0.6rem;
    border: 1px solid ${themeVar('rule')}; border-radius: 0.4rem; background: ${themeVar('background')}; color: ${themeVar('text')}; cursor: pointer; }
  .formula-box { padding: 0.5rem 0; }
  .head-maps { display: grid; gap: 1rem; }
  .head-maps.several { grid-template-columns: repeat(auto-fit, minmax(min(100%, 18rem), 1fr)); }
  .head-map { display: grid; gap: 0.4rem; min-width: 0; }
  .heads-view.is-linked .heatmap-svg, .heads-view.is-linked .heatmap-plot { outline: 3px solid ${themeVar('highlight')}; }
  .cell-details { padding: 0.5rem 0.75rem; border-left: 4px solid ${themeVar('accent')}; background: ${themeVar('panel')}; min-height: 2.75rem; }
  .stage-grid { display: grid; gap: 1rem 1.5rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 24rem), 1fr)); align-items: start; }
  .stage { min-width: 0; }
  .table-scroll { overflow-x: auto; max-width: 100%; }
  table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
  caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; }
  th, td { padding: 0.2rem 0.45rem; border-bottom: 1px solid ${themeVar('grid')}; text-align: right; white-space: nowrap; }
  th[scope=row] { text-align: left; }
  .walk-pickers .picker { display: grid; gap: 0.25rem; }
  .is-withheld { display: none !important; }
  .withheld-note { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; padding: 0.6rem 0.75rem;
    border: 1px dashed ${themeVar('muted-text')}; border-radius: 0.5rem; color: ${themeVar('muted-text')}; }
  [hidden] { display: none !important; }
`;
