/**
 * Alignment links: the source words in a row along the top, the target words along the
 * bottom, and a line from each target word to the source word it is aligned with. When
 * the two orders differ, lines cross. Lines listed as wrong are drawn dashed in the
 * error colour, with their target word marked, so the figure reads without colour too.
 * It knows nothing of where the alignment came from.
 */
import { svgElement } from './vector-plane.mjs';
import { colour } from '../runtime/theme-colours.mjs';

const widest = 560;
const narrowest = 280;

/** Styles for the links, for a widget's shadow root and for exported figures. */
export const alignmentLinksStyles = `
  .alignment-links { width: 100%; height: auto; display: block; font-family: system-ui, sans-serif; }
  .alignment-links text { font-size: 14px; fill: ${colour('text')}; }
  .alignment-links .side { font-size: 12px; fill: ${colour('muted-text')}; }
  .alignment-links .link { stroke: ${colour('accent')}; stroke-width: 2.5; fill: none; }
  .alignment-links .link.wrong { stroke: ${colour('error')}; stroke-dasharray: 6 4; }
  .alignment-links .wrong-word { font-weight: 700; fill: ${colour('error')}; text-decoration: underline; }
  .alignment-links .dot { fill: ${colour('text')}; }
`;

export class AlignmentLinks {
  constructor({ label }) {
    this.width = widest;
    this.label = label;
    this.svg = svgElement('svg', { class: 'alignment-links', role: 'img', 'aria-label': label });
  }

  fitTo(pixels) {
    const width = Math.round(Math.min(widest, Math.max(narrowest, pixels)));
    if (width === this.width) return;
    this.width = width;
    if (this.last) this.update(this.last);
  }

  /**
   * `source`, `target`: the words; `links[i]`: the source index target word i is aligned
   * with; `wrong`: target indices drawn as wrong; `description`: the text alternative.
   */
  update(data) {
    this.last = data;
    const { source, target, links, wrong = [], description } = data;
    const width = this.width;
    const left = 62, right = 10, top = 8, height = 150;
    const slot = (count) => (width - left - right) / count;
    const sourceX = (index) => left + (index + 0.5) * slot(source.length);
    const targetX = (index) => left + (index + 0.5) * slot(target.length);
    const wordsAt = { source: top + 40, target: height - 24 };
    const lineTop = wordsAt.source + 10, lineBottom = wordsAt.target - 20;
    const rotate = Math.max(source.length, target.length) * 9 * 6 > width - left;
    const text = (attributes, content) => Object.assign(svgElement('text', attributes), { textContent: content });
    const word = (x, y, content, className = '') => text({
      x, y, class: className, 'text-anchor': 'middle', ...(rotate ? { transform: `rotate(-20 ${x} ${y})` } : {}),
    }, content);
    const wrongSet = new Set(wrong);
    const parts = [
      text({ class: 'side', x: 4, y: wordsAt.source }, 'source'),
      text({ class: 'side', x: 4, y: wordsAt.target }, 'target'),
      ...source.map((content, index) => word(sourceX(index), wordsAt.source, content)),
      ...target.map((content, index) => word(targetX(index), wordsAt.target, content, wrongSet.has(index) ? 'wrong-word' : '')),
    ];
    links.forEach((column, row) => {
      const [x1, x2] = [targetX(row), sourceX(column)];
      parts.push(svgElement('path', {
        class: `link${wrongSet.has(row) ? ' wrong' : ''}`, d: `M${x1} ${lineBottom} L${x2} ${lineTop}`, 'data-row': row, 'data-col': column,
      }), svgElement('circle', { class: 'dot', cx: x1, cy: lineBottom, r: 3 }), svgElement('circle', { class: 'dot', cx: x2, cy: lineTop, r: 3 }));
    });
    this.svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    this.svg.setAttribute('aria-label', `${this.label}: ${description}`);
    this.svg.replaceChildren(...parts);
  }
}
