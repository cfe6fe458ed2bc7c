/**
 * The averaged measurements of lesson 5 (pointer-chase.mjs), over many random pointer
 * rows of the learner's length n, each point one `lab.pointerChaseAccuracy` call:
 * - accuracy against hops k = 1…6, answered by as many layers (L = k), at the learner's
 *   sharpness and at half of it, with the learner's codes;
 * - accuracy against n / dim (how crowded the codes are: dim = n is one-hot, smaller dim
 *   random unit vectors that overlap), for 1, 2 and 4 hops, at the learner's sharpness.
 * Each plot keeps its data table (means, with the standard error over rows in the
 * table) and a download menu.
 */
import { colour } from '../runtime/theme-colours.mjs';
import { LinePlot, linePlotStyles } from '../figures/line-plot.mjs';
import { figureExportControls, figureExportStyles } from '../figures/figure-export.mjs';
import { fitToWidth } from '../figures/fit-width.mjs';
import { htmlElement } from './html-element.mjs';

/** Random rows averaged per point: the standard error stays under 0.025 and the whole sweep well under a second. */
export const plotTrials = 400;
export const maxHops = 6;
export const crowdingHops = [1, 2, 4];

export const chasePlotStyles = linePlotStyles + figureExportStyles;

/** The code lengths of the crowding plot for n positions: n (one-hot) down to 1, at most seven of them. */
export function crowdingDims(n) {
  const all = Array.from({ length: n }, (_, index) => n - index);
  if (all.length <= 7) return all;
  const step = (n - 1) / 6;
  return [...new Set(Array.from({ length: 7 }, (_, index) => Math.round(n - index * step)))];
}

/** One measurement: accuracy after each of `layers` layers (hops), with its standard error. */
function measure(lab, { n, layers, sharpness, dim, seed }) {
  const options = { n, layers, sharpness, trials: plotTrials, seed };
  if (dim < n) options.dim = dim;
  return lab.pointerChaseAccuracy(options);
}

/** Every number both plots show, for rows of n positions. */
export function measurePlots(lab, { n, sharpness, dim, seed }) {
  const chosen = measure(lab, { n, layers: maxHops, sharpness, dim, seed });
  const half = measure(lab, { n, layers: maxHops, sharpness: sharpness / 2, dim, seed });
  const crowding = crowdingDims(n).map((codeLength) => ({
    dim: codeLength, ratio: n / codeLength,
    ...measure(lab, { n, layers: Math.max(...crowdingHops), sharpness, dim: codeLength, seed }),
  }));
  return { n, sharpness, dim, seed, chosen, half, crowding };
}

function tableDetails(summaryText, label, table) {
  const details = htmlElement('details');
  details.append(htmlElement('summary', {}, summaryText));
  const box = htmlElement('div', { class: 'table-scroll', tabindex: '0', role: 'group', 'aria-label': label });
  box.append(table);
  details.append(box);
  return details;
}

const format = (value) => String(Number(value.toPrecision(3)));

export class ChasePlots {
  constructor() {
    this.hopsPlot = new LinePlot({
      series: [
        { id: 'chosen', name: 'sharpness s', colour: colour('series-1'), symbol: 'circle', width: 4 },
        { id: 'half', name: 'sharpness s/2', colour: colour('series-2'), symbol: 'square', dash: '6 4', width: 2 },
      ],
      xLabel: 'hops k (= layers L)', yLabel: 'accuracy', xLog: false, yDomain: [0, 1],
      references: [{ label: 'every start right', y: () => 1 }], label: 'Accuracy against the number of hops',
    });
    this.crowdingPlot = new LinePlot({
      series: crowdingHops.map((hops, index) => ({
        id: `hops${hops}`, name: `${hops} hop${hops > 1 ? 's' : ''}`, colour: colour(`series-${index + 3}`),
        symbol: ['circle', 'square', 'triangle'][index], dash: index === 1 ? '6 4' : null, width: [4, 2.5, 2][index],
      })),
      xLabel: 'n / dim (crowding of the codes)', yLabel: 'accuracy', xLog: false, yDomain: [0, 1],
      references: [], label: 'Accuracy against n / dim',
    });
    this.hops = this.#figure('hops', this.hopsPlot, 'pointer-chase-hops');
    this.crowding = this.#figure('crowding', this.crowdingPlot, 'pointer-chase-crowding');
    this.errors = {
      hops: this.#errorTable(this.hops.figure),
      crowding: this.#errorTable(this.crowding.figure),
    };
  }

  #figure(id, plot, fileName) {
    const figure = htmlElement('figure', { 'data-plot': id });
    const caption = htmlElement('figcaption');
    figure.append(caption, plot.svg,
      figureExportControls({ getSvg: () => plot.svg, styles: linePlotStyles, fileName, label: `the ${id} plot` }),
      tableDetails('Data table', `${id} plot table`, plot.table));
    fitToWidth(plot.svg, plot);
    return { figure, caption };
  }

  #errorTable(figure) {
    const note = htmlElement('p', { class: 'plot-note' });
    figure.append(note);
    return note;
  }

  /** Draws `measured` (from measurePlots) with the learner's hops `k` marked. */
  update(measured, { hops, labels }) {
    const { n, sharpness, dim, chosen, half, crowding } = measured;
    const codes = dim < n ? `random codes of length ${dim}` : 'one-hot codes';
    this.hops.caption.textContent = `Accuracy against hops k (L = k layers), at sharpness s = ${sharpness} and s/2 = ${sharpness / 2}; `
      + `${plotTrials} random rows of ${n} tokens per point, ${codes}`;
    const hopsAxis = Array.from({ length: maxHops }, (_, index) => index + 1);
    this.hopsPlot.update({
      chosen: hopsAxis.map((k) => [k, chosen.accuracy[k - 1]]),
      half: hopsAxis.map((k) => [k, half.accuracy[k - 1]]),
    }, hops);
    const worst = (result) => Math.max(...result.standardError);
    this.errors.hops.textContent = `Standard error of each point over the rows: at most ${format(worst(chosen))} (s) and ${format(worst(half))} (s/2).`;
    this.crowding.caption.textContent = `Accuracy against n / dim, at sharpness ${sharpness}: codes of length dim = ${n} (one-hot) `
      + `down to ${crowding.at(-1).dim} for n = ${n} tokens (${labels[0]} to ${labels[n - 1]}); L = k layers, ${plotTrials} random rows per point`;
    this.crowdingPlot.update(Object.fromEntries(crowdingHops.map((k) => [`hops${k}`,
      crowding.map((point) => [Number(point.ratio.toFixed(3)), point.accuracy[k - 1]])])), dim < n ? n / dim : 1);
    this.errors.crowding.textContent = `Standard error of each point: at most ${format(Math.max(...crowding.map(worst)))}.`;
  }
}
