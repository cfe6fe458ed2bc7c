/**
 * A stacked bar: how a whole splits into parts, each part a segment as wide as its
 * fraction, in its own colour, in order. For a weighted sum Σ_j α_j v_j it shows the
 * contributions α_j v_j: how much of each value goes into the mix. Its text alternative
 * lists the parts with their percentages.
 */
import { colour } from '../runtime/theme-colours.mjs';

export class StackedBar {
  /** `label`: what the bar shows, for assistive technology (the parts are appended). */
  constructor({ label }) {
    this.label = label;
    this.element = document.createElement('div');
    this.element.className = 'stacked-bar';
    this.element.setAttribute('role', 'img');
  }

  /** Draws `parts` ([{ name, fraction, colour }]); fractions are clipped to [0, 1]. */
  update(parts) {
    const percent = (fraction) => `${(100 * Math.min(1, Math.max(0, fraction))).toFixed(2)}%`;
    this.element.replaceChildren(...parts.map(({ name, fraction, colour: partColour }) => {
      const segment = document.createElement('span');
      segment.className = 'segment';
      segment.dataset.part = name;
      segment.style.width = percent(fraction);
      segment.style.background = partColour;
      return segment;
    }));
    const described = parts.filter(({ fraction }) => fraction >= 0.005)
      .map(({ name, fraction }) => `${name} ${Math.round(100 * fraction)}%`).join(', ');
    this.element.setAttribute('aria-label', `${this.label}: ${described || 'nothing'}`);
  }
}

/** Styles for the bar, for a widget's shadow root. */
export const stackedBarStyles = `
  .stacked-bar { display: flex; width: 100%; height: 1.5rem; border-radius: 0.3rem; overflow: hidden;
    background: ${colour('track')}; border: 1px solid ${colour('rule')}; }
  .stacked-bar .segment { display: block; height: 100%; flex: none; }
  .stacked-bar .segment + .segment { box-shadow: inset 1px 0 0 ${colour('background')}; }
`;
