/**
 * `<noise-experiment>`: lesson 7's noise tokens and entropy penalty, trained live.
 * [CLS] must find one signal token S (which leans + or − with the label) among k noise
 * tokens that carry nothing (lab.createTrainer({ task: 'noise', noiseTokens: k })). One
 * model per k = 1, 2, 4, …, 64 trains at once; the plot shows the entropy of [CLS]'s
 * attention against k as they learn, beside ln(k + 1), the entropy of an even spread.
 * Then, at k = `k`, a second model trains with the entropy penalty λ·H added to its loss
 * (the slider): heatmaps of [CLS]'s attention without and with it, and their entropy
 * over training.
 *
 * Parameters: penalty (λ), k (the k of the penalty pair), seed, steps, autostart. State:
 * penalty, seed, steps. Quantities, once trained: `entropy.<k>` for every k, `uniform.<k>`
 * (ln(k + 1)), `trend` ('rises', 'falls' or 'neither'), `plain.<entropy|signalWeight>`
 * and `penalised.<entropy|signalWeight>` at the chosen k, `penalty`, `k`. Evidence:
 * `sweep` (the entropy against k), `penalised` (the penalised model's heatmap, curve and
 * numbers). CSS parts: penalty, seed, train, progress.
 *
 * For tests: `data-k` and `data-metric-<name>` on each `[data-run]` element (one per run:
 * k<k>, and 'penalised'), `data-value` on every plot table cell.
 */
import { Heatmap, heatmapStyles } from '../figures/heatmap.mjs';
import { LinePlot } from '../figures/line-plot.mjs';
import { SteppedSlider, steppedSliderStyles } from '../figures/stepped-slider.mjs';
import { fitToWidth } from '../figures/fit-width.mjs';
import { figureExportControls } from '../figures/figure-export.mjs';
import { linePlotStyles } from '../figures/line-plot.mjs';
import { colour } from '../runtime/theme-colours.mjs';
import { WithheldPlaceholder } from '../runtime/withheld-evidence.mjs';
import { htmlElement } from './html-element.mjs';
import {
  TrainingWidget, curveFigure, curvePoints, lastValue, parseBoolean, parseInteger, parseNumber, seedField, tableDetails,
} from './training-widget.mjs';

export const noiseCounts = [1, 2, 4, 8, 16, 32, 64];
const examplesShown = 6;

const entropySeries = [
  { id: 'plain', name: 'λ = 0', colour: colour('series-1'), symbol: 'none', width: 2.5 },
  { id: 'penalised', name: 'with the penalty', colour: colour('series-2'), dash: '7 4', symbol: 'none', width: 2.5 },
];

export class NoiseExperiment extends TrainingWidget {
  static parameters = Object.freeze({
    penalty: 'a number from 0 to 0.05 (the entropy penalty λ)',
    k: 'one of 1, 2, 4, 8, 16, 32, 64 (noise tokens of the penalised model)',
    seed: 'a whole number from 0 to 2147483647',
    steps: 'a whole number from 10 to 100000 (steps each model trains)',
    autostart: '"true" (train as soon as the page opens) or "false"',
  });

  static evidence = Object.freeze({
    sweep: 'the plot of the entropy against k',
    penalised: "the penalised model's attention, entropy and numbers",
  });

  static readers = {
    penalty: (text) => parseNumber(text, 0, 0.05),
    k: (text) => (noiseCounts.includes(parseInteger(text, 1, 64)) ? Number(text) : null),
    seed: (text) => parseInteger(text, 0, 2 ** 31 - 1),
    steps: (text) => parseInteger(text, 10, 100000),
    autostart: parseBoolean,
  };

  static defaults = { penalty: 0.01, k: 16, seed: 1, steps: 300, autostart: true };
  static stateNames = ['penalty', 'seed', 'steps'];
  static stateAttributes = Object.freeze({ penalty: 'penalty', seed: 'seed', steps: 'steps' });
  static trainedThing = 'the models';
  static styles = heatmapStyles + steppedSliderStyles + `
    .penalty { max-width: 26rem; }
    .numbers { margin: 0; font-variant-numeric: tabular-nums; }
    figure[data-figure] { max-width: 34rem; }
  `;

  #parts = null;
  #attentionAsked = 0;

  runSpecs({ penalty, k, seed }) {
    return [
      ...noiseCounts.map((count) => ({ id: `k${count}`, options: { task: 'noise', noiseTokens: count, seed } })),
      { id: 'penalised', options: { task: 'noise', noiseTokens: k, seed, entropyPenalty: penalty } },
    ];
  }

  build() {
    const settings = htmlElement('div', { class: 'setting-row' });
    this.slider = new SteppedSlider({
      label: 'Entropy penalty λ', min: 0, max: 0.05, step: 0.005, part: 'penalty', format: (value) => value.toFixed(3),
      onInput: () => {},
      onCommit: () => this.change('penalty', this.slider.value),
    });
    this.slider.element.classList.add('penalty');
    this.seed = seedField((seed) => this.change('seed', seed));
    this.seed.input.addEventListener('invalid-seed', () => { this.seed.input.value = String(this.view.seed); });
    settings.append(this.slider.element, this.seed.element);

    const element = htmlElement('div', { class: 'panel' });
    const sweep = this.#buildSweep();
    const pair = htmlElement('div', { class: 'panels' });
    const maps = ['plain', 'penalised'].map((id) => this.#buildMap(id));
    pair.append(...maps.map(({ element: panel }) => panel));
    const over = curveFigure({
      series: entropySeries, yLabel: 'entropy (nats)', label: 'Entropy of [CLS]’s attention over training', fileName: 'entropy-over-training',
    });
    const runData = htmlElement('div', { hidden: '' });
    const runElements = Object.fromEntries([...noiseCounts.map((count) => `k${count}`), 'penalised'].map((id) => {
      const run = htmlElement('span', { 'data-run': id });
      runData.append(run);
      return [id, run];
    }));
    const heldPenalised = new WithheldPlaceholder(this, 'penalised');
    const heldOver = new WithheldPlaceholder(this, 'penalised');
    const pairTitle = htmlElement('p', { class: 'panel-title' });
    element.append(sweep.held.element, sweep.figure, pairTitle, pair, heldOver.element, over.figure, runData);
    this.#parts = { sweep, maps, over, runElements, heldPenalised, heldOver, pairTitle };
    maps[1].element.prepend(heldPenalised.element);
    return { settings, element };
  }

  #buildSweep() {
    const label = 'Entropy of [CLS]’s attention against k noise tokens';
    const plot = new LinePlot({
      series: [{ id: 'entropy', name: 'trained model', colour: colour('series-1'), symbol: 'circle', width: 2.5 }],
      xLabel: 'k noise tokens', yLabel: 'entropy (nats)', label,
      references: [{ label: 'even spread: ln(k + 1)', y: (k) => Math.log(k + 1) }],
    });
    const figure = htmlElement('figure', { 'data-figure': 'sweep' });
    figure.append(htmlElement('figcaption', {}, label), plot.svg,
      figureExportControls({ getSvg: () => plot.svg, styles: linePlotStyles, fileName: 'entropy-against-k', label: 'the entropy plot' }),
      tableDetails('Data table', `${label} table`, plot.table));
    fitToWidth(plot.svg, plot);
    return { plot, figure, held: new WithheldPlaceholder(this, 'sweep') };
  }

  #buildMap(id) {
    const element = htmlElement('section', { class: 'panel', 'data-model': id });
    const title = htmlElement('p', { class: 'panel-title' });
    const map = new Heatmap({
      label: `[CLS]'s attention ${id === 'plain' ? 'without' : 'with'} the penalty`, rowTitle: 'sentence', columnTitle: 'token',
      fileName: `attention-${id}`,
      direction: 'Each row is one validation sentence; the first column is the signal S, the others the noise tokens.',
    });
    const numbers = htmlElement('p', { class: 'numbers' });
    const body = htmlElement('div', { class: 'panel' });
    body.append(map.element, numbers);
    element.append(title, body);
    return { id, element, title, map, numbers, body };
  }

  showView({ penalty, k, seed }) {
    this.slider.value = penalty;
    this.seed.input.value = String(seed);
    const [plain, penalised] = this.#parts.maps;
    this.#parts.pairTitle.textContent = `At k = ${k} noise tokens: before and after the penalty`;
    plain.title.textContent = 'Without the penalty (λ = 0)';
    penalised.title.textContent = `With the penalty λ = ${penalty.toFixed(3)}`;
  }

  showWithheld(withheld) {
    const { sweep, maps, over, heldPenalised, heldOver } = this.#parts;
    sweep.held.hold(withheld, sweep.figure);
    heldPenalised.hold(withheld, maps[1].body);
    heldOver.hold(withheld, over.figure);
  }

  draw(runs, { k, steps }) {
    const { sweep, over, runElements } = this.#parts;
    const latest = noiseCounts.map((count) => runs.metrics(`k${count}`));
    if (latest.every((m) => m.step?.length)) {
      const step = Math.min(...latest.map((m) => m.step.at(-1)));
      sweep.plot.update({ entropy: noiseCounts.map((count, index) => [count, lastValue(latest[index], 'entropy')]) }, k);
      sweep.figure.dataset.step = String(step);
    }
    for (const [id, element] of Object.entries(runElements)) {
      const metrics = runs.metrics(id);
      for (const name of Object.keys(metrics)) element.dataset[`metric${name[0].toUpperCase()}${name.slice(1)}`] = String(lastValue(metrics, name));
    }
    const plain = runs.metrics(`k${k}`);
    const penalised = runs.metrics('penalised');
    if (plain.step?.length && penalised.step?.length) {
      const points = curvePoints(plain, [['plain', 'entropy']]);
      const penalisedPoints = curvePoints(penalised, [['penalised', 'entropy']]);
      const rows = Math.min(points.plain.length, penalisedPoints.penalised.length);
      over.plot.xDomain = [0, steps];
      over.plot.update({ plain: points.plain.slice(0, rows), penalised: penalisedPoints.penalised.slice(0, rows) },
        Math.min(plain.step.at(-1), penalised.step.at(-1)));
      this.#parts.maps.forEach((map, index) => {
        const m = [plain, penalised][index];
        map.numbers.textContent = `Step ${m.step.at(-1)}: entropy ${lastValue(m, 'entropy').toFixed(3)} nats (even spread: ln ${k + 1} = ${Math.log(k + 1).toFixed(3)}); weight on S ${lastValue(m, 'signalWeight').toFixed(3)}; validation accuracy ${lastValue(m, 'validationAccuracy').toFixed(3)}.`;
      });
    }
    this.#showAttention(runs, k);
  }

  async #showAttention(runs, k) {
    const asked = ++this.#attentionAsked;
    try {
      const answers = await Promise.all([runs.attention(`k${k}`, examplesShown), runs.attention('penalised', examplesShown)]);
      if (asked !== this.#attentionAsked) return;
      answers.forEach(({ weights, length, examples }, index) => {
        const cols = length - 1;
        const values = new Float32Array(examples * cols);
        for (let row = 0; row < examples; row++) values.set(weights.subarray(row * length + 1, (row + 1) * length), row * cols);
        this.#parts.maps[index].map.update({
          values, rows: examples, cols, domain: [0, 1],
          rowLabels: Array.from({ length: examples }, (_, row) => String(row + 1)),
          colLabels: Array.from({ length: cols }, (_, col) => (col === 0 ? 'S' : String(col))),
        });
      });
    } catch (error) {
      if (!/disposed/.test(error.message)) throw error;
    }
  }

  results(runs, { penalty, k }) {
    const entropy = Object.fromEntries(noiseCounts.map((count) => [count, lastValue(runs.metrics(`k${count}`), 'entropy')]));
    const values = noiseCounts.map((count) => entropy[count]);
    const rises = values.every((value, index) => index === 0 || value > values[index - 1]);
    const falls = values.every((value, index) => index === 0 || value < values[index - 1]);
    const pick = (m) => ({ entropy: lastValue(m, 'entropy'), signalWeight: lastValue(m, 'signalWeight') });
    return {
      penalty, k, entropy,
      uniform: Object.fromEntries(noiseCounts.map((count) => [count, Math.log(count + 1)])),
      trend: rises ? 'rises' : falls ? 'falls' : 'neither',
      plain: pick(runs.metrics(`k${k}`)),
      penalised: pick(runs.metrics('penalised')),
    };
  }
}

customElements.define('noise-experiment', NoiseExperiment);
