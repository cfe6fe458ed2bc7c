/**
 * The styles of `<multi-head>`'s own parts (its figures bring theirs): every colour a
 * theme custom property with a light fallback; touch targets at least 44 px; nothing
 * wider than a 360 px phone (wide tables scroll inside their own box).
 */
import { colour } from '../runtime/theme-colours.mjs';

export const multiHeadStyles = `
  .multi-head { display: grid; gap: 1.25rem; min-width: 0; }
  .multi-head section { display: grid; gap: 0.6rem; min-width: 0; }
  .multi-head section > *, .wide-grid > *, .entropy-table, .retrieval-table { min-width: 0; }
  h3 { font-size: 1.1rem; margin: 0.5rem 0 0; }
  h4 { font-size: 1rem; margin: 0; }
  p { margin: 0; }
  .controls { display: grid; gap: 0.9rem; padding: 0.75rem; border: 1px solid ${colour('rule')}; border-radius: 0.5rem; background: ${colour('panel')}; }
  .field { display: grid; gap: 0.25rem; min-width: 0; }
  label { font-weight: 600; }
  input[type=text] { font: inherit; min-height: 2.75rem; width: 100%; padding: 0.2rem 0.45rem;
    border: 1px solid ${colour('muted-text')}; border-radius: 0.3rem; background: ${colour('background')}; color: ${colour('text')}; }
  [aria-invalid="true"] { border: 2px solid ${colour('error')}; }
  :focus-visible { outline: 3px solid ${colour('focus')}; outline-offset: 2px; }
  .field-message, .status { color: ${colour('error')}; }
  .field-message:empty, .status:empty { display: none; }
  .switches { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0 1.25rem; min-width: 0; }
  .switches legend { font-weight: 600; padding: 0; margin-bottom: 0.2rem; }
  .switches label, .tie { display: inline-flex; align-items: center; gap: 0.5rem; min-height: 2.75rem; font-weight: 400; }
  .switches input, .tie input { width: 1.3rem; height: 1.3rem; margin: 0; accent-color: ${colour('accent')}; }
  .vocabulary summary { cursor: pointer; min-height: 2.75rem; display: list-item; padding-top: 0.6rem; }
  .word-groups { display: grid; gap: 0.5rem; }
  .word-list { display: flex; flex-wrap: wrap; gap: 0.35rem; }
  .word-list button { font: inherit; min-height: 2.75rem; min-width: 2.75rem; padding: 0.2rem 0.6rem; cursor: pointer;
    border: 1px solid ${colour('rule')}; border-radius: 0.4rem; background: ${colour('background')}; color: ${colour('text')}; }
  .hint, .note, .about { color: ${colour('muted-text')}; }
  .head-maps { display: grid; gap: 1rem 1.5rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 18rem), 1fr)); }
  .head-map { display: grid; gap: 0.4rem; min-width: 0; align-content: start; }
  .head-map.is-off .heatmap-svg { opacity: 0.45; }
  .off-note { font-weight: 600; color: ${colour('muted-text')}; }
  .cell-details { padding: 0.5rem 0.75rem; border-left: 4px solid ${colour('accent')}; background: ${colour('panel')}; min-height: 2.75rem; }
  .table-scroll { overflow-x: auto; max-width: 100%; }
  .table-scroll:focus-visible { outline: 3px solid ${colour('focus')}; outline-offset: 2px; }
  table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
  .table-title { font-weight: 600; }
  .titled-table { display: grid; gap: 0.3rem; min-width: 0; }
  th, td { padding: 0.25rem 0.5rem; border-bottom: 1px solid ${colour('grid')}; text-align: right; white-space: nowrap; }
  th[scope=row] { text-align: left; }
  thead th { border-bottom: 2px solid ${colour('axis')}; vertical-align: bottom; white-space: normal; min-width: 4.5rem; }
  .row-note { display: block; font-weight: 400; font-size: 0.85rem; color: ${colour('muted-text')}; }
  td.is-off { color: ${colour('muted-text')}; }
  .bar { display: block; height: 0.35rem; margin-top: 0.15rem; border-radius: 0.2rem; background: ${colour('track')}; }
  .bar span { display: block; height: 100%; border-radius: 0.2rem; background: ${colour('series-2')}; }
  .bar.mixture span { background: ${colour('series-1')}; }
  .wide-grid { display: grid; gap: 1rem; min-width: 0; }
  .wide-grid .head-map { max-width: 40rem; }
`;
