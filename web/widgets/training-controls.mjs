/**
 * The controls and live progress of a widget that trains models (training-runs.mjs):
 * one button that trains and pauses (Train, Pause, Resume, Train again), Reset, and the
 * progress itself — the step reached out of the steps, steps per second, and what the
 * runs are doing. The numbers update many times a second, so they are not a live region;
 * a separate polite one announces only the changes of state (training, paused, done).
 * CSS parts: `train` (the buttons), `progress`.
 */
import { colour } from '../runtime/theme-colours.mjs';
import { htmlElement } from './html-element.mjs';

const stateText = {
  starting: 'Starting the training worker…',
  running: 'Training',
  paused: 'Paused',
  done: 'Done',
};

export class TrainingControls {
  #shownState = '';
  #replay = false;

  /** `runs`: a TrainingRuns; `label`: what is trained, for the buttons' group name ("the two models"). */
  constructor(runs, { label }) {
    this.runs = runs;
    this.element = htmlElement('div', { class: 'training-controls' });
    const buttons = htmlElement('div', { class: 'training-buttons', part: 'train', role: 'group', 'aria-label': `Training of ${label}` });
    // One button that trains and pauses, so the keyboard focus stays on it whatever the state.
    this.toggle = htmlElement('button', { type: 'button', class: 'toggle' }, 'Train');
    this.reset = htmlElement('button', { type: 'button', class: 'reset' }, 'Reset');
    this.toggle.addEventListener('click', () => {
      const state = runs.state;
      if (state === 'running') runs.pause();
      else if (state === 'paused') runs.start();
      else if (state === 'done') {
        this.#replay = true;
        runs.reset();
      }
    });
    this.reset.addEventListener('click', () => {
      if (runs.state !== 'starting') runs.reset();
    });
    buttons.append(this.toggle, this.reset);
    this.progress = htmlElement('p', { class: 'training-progress', part: 'progress' });
    this.announcer = htmlElement('p', { class: 'visually-hidden', 'aria-live': 'polite' });
    this.element.append(buttons, this.progress, this.announcer);
  }

  /** Shows the runs' progress and state; call it on every change. */
  update() {
    const { runs } = this;
    const state = runs.state;
    if (this.#replay && state === 'paused' && runs.step === 0) {
      this.#replay = false;
      runs.start();
    }
    const label = { starting: 'Train', running: 'Pause', done: 'Train again' }[state] ?? (runs.step > 0 ? 'Resume' : 'Train');
    this.toggle.textContent = label;
    this.toggle.dataset.action = label.toLowerCase().replace(' ', '-');
    this.toggle.setAttribute('aria-disabled', String(state === 'starting'));
    const rate = state === 'running' && runs.stepsPerSecond > 0 ? ` · ${Math.round(runs.stepsPerSecond).toLocaleString('en')} steps/s` : '';
    const name = state === 'paused' && runs.step === 0 ? 'Not trained yet' : stateText[state];
    this.progress.textContent = runs.error
      ? `The training stopped: ${runs.error}`
      : `${name}: step ${runs.step.toLocaleString('en')} of ${runs.steps.toLocaleString('en')}${rate}`;
    this.progress.dataset.state = state;
    this.progress.dataset.step = String(runs.step);
    if (state !== this.#shownState) {
      const opening = ['', 'starting'].includes(this.#shownState) && state === 'paused' && runs.step === 0;
      this.#shownState = state;
      this.announcer.textContent = state === 'starting' || opening ? '' : `${stateText[state]} at step ${runs.step}`;
    }
  }
}

/** Styles for the controls, for a widget's shadow root. */
export const trainingControlsStyles = `
  .training-controls { display: grid; gap: 0.5rem; margin: 0.5rem 0 1rem; }
  .training-buttons { display: flex; flex-wrap: wrap; gap: 0.5rem; }
  .training-buttons button { font: inherit; min-height: 2.75rem; min-width: 5.5rem; padding: 0.3rem 0.9rem; border-radius: 0.4rem;
    cursor: pointer; border: 1px solid ${colour('accent')}; color: ${colour('accent')}; background: ${colour('background')}; }
  .training-buttons button.toggle { color: ${colour('background')}; background: ${colour('accent')}; font-weight: 600; }
  .training-buttons button[aria-disabled=true] { cursor: wait; }
  .training-buttons button:focus-visible { outline: 3px solid ${colour('focus')}; outline-offset: 2px; }
  .training-progress { margin: 0; font-variant-numeric: tabular-nums; color: ${colour('text')}; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
