/**
 * Several lesson models trained side by side in the page's training worker
 * (web/runtime/trainer-client.mjs), driven as one: a widget comparing dropout on and off,
 * or three task-weighting rules, starts, pauses, resumes and resets them together, and
 * reads their metrics as they arrive.
 *
 *   const runs = new TrainingRuns(() => draw());       // called (once a frame at most) on progress
 *   await runs.setup([{ id: 'plain', options: { task: 'spurious' } }, …], 300);
 *   runs.start();  runs.pause();  runs.reset();
 *   runs.metrics('plain').validationLoss;              // every row recorded so far
 *
 * Each run stops at `steps`; every number is what lab.createTrainer gives in Node with the
 * same options (the worker runs the same core, seeded).
 */
import { trainingWorker } from '../runtime/trainer-client.mjs';

/** Milliseconds between two redraws while the models train. */
const redrawInterval = 200;

export class TrainingRuns {
  #runs = new Map();
  #onChange;
  #generation = 0;
  #frame = 0;
  #frameIsTimer = false;
  #notifiedState = '';
  #notifiedAt = 0;
  #steps = 0;
  #error = null;

  /** `onChange()` is called after progress arrives (at most every 200 ms while training) and on every change of state. */
  constructor(onChange) {
    this.#onChange = onChange;
  }

  /**
   * Replaces the runs with new ones (paused at step 0), one per spec { id, options };
   * resolves once each has reported its step-0 metrics, or to false if another setup
   * superseded this one meanwhile.
   */
  async setup(specs, steps) {
    const generation = ++this.#generation;
    this.dispose();
    this.#steps = steps;
    this.#error = null;
    const worker = await trainingWorker();
    if (generation !== this.#generation) return false;
    const created = specs.map(({ id, options }) => {
      const run = worker.createRun(options, { steps });
      const ready = new Promise((resolve, reject) => {
        run.addEventListener('progress', () => resolve(), { once: true });
        run.addEventListener('error', (event) => reject(new Error(event.detail)), { once: true });
      });
      run.addEventListener('progress', () => this.#changed());
      run.addEventListener('error', (event) => {
        this.#error = event.detail;
        this.#changed(true);
      });
      this.#runs.set(id, run);
      return ready;
    });
    await Promise.all(created);
    return generation === this.#generation;
  }

  /** Trains every run that is not done (a paused run resumes where it stopped). */
  start() {
    for (const run of this.#runs.values()) run.start();
  }

  pause() {
    for (const run of this.#runs.values()) run.pause();
  }

  /** Back to step 0 with the same options and seeds: the same curves again. */
  reset() {
    for (const run of this.#runs.values()) run.reset();
  }

  /** 'starting', 'running' (any run trains), 'done' (all reached their steps) or 'paused'. */
  get state() {
    const runs = [...this.#runs.values()];
    if (runs.length === 0 || runs.some((run) => run.state === 'starting')) return 'starting';
    if (runs.some((run) => run.state === 'running')) return 'running';
    if (runs.every((run) => run.state === 'done')) return 'done';
    return 'paused';
  }

  /** The step every run has reached (the slowest one's). */
  get step() {
    const runs = [...this.#runs.values()];
    return runs.length ? Math.min(...runs.map((run) => run.step)) : 0;
  }

  /** The steps each run stops at. */
  get steps() {
    return this.#steps;
  }

  /** Steps per second, all runs together, as the worker last measured them. */
  get stepsPerSecond() {
    return [...this.#runs.values()].reduce((sum, run) => sum + (run.state === 'running' ? run.stepsPerSecond : 0), 0);
  }

  /** The last error a run reported, or null. */
  get error() {
    return this.#error;
  }

  /** Every metric row recorded so far by run `id`: { name: number[] }. */
  metrics(id) {
    return this.#runs.get(id)?.metrics ?? {};
  }

  /** Resolves to [CLS]'s attention now in run `id` (Trainer.attention). */
  attention(id, examples) {
    const run = this.#runs.get(id);
    return run ? run.attention({ examples }) : Promise.reject(new Error(`the run ${id} was disposed`));
  }

  /** Frees every run in the worker. */
  dispose() {
    for (const run of this.#runs.values()) run.dispose();
    this.#runs.clear();
    if (this.#frameIsTimer) clearTimeout(this.#frame);
    else cancelAnimationFrame(this.#frame);
    this.#frame = 0;
  }

  /**
   * Tells the widget: on the next animation frame when the state changed, else at most
   * every `redrawInterval` ms, so that drawing takes little of the time the training needs.
   */
  #changed(now = false) {
    if (now) {
      this.#onChange();
      return;
    }
    const state = this.state;
    const soon = state !== this.#notifiedState || performance.now() - this.#notifiedAt >= redrawInterval;
    if (this.#frame) {
      if (!soon || this.#frameIsTimer === false) return;
      clearTimeout(this.#frame);
    }
    const notify = () => {
      this.#frame = 0;
      this.#notifiedState = this.state;
      this.#notifiedAt = performance.now();
      this.#onChange();
    };
    this.#frameIsTimer = !soon;
    this.#frame = soon ? requestAnimationFrame(notify) : setTimeout(notify, redrawInterval - (performance.now() - this.#notifiedAt));
  }
}
