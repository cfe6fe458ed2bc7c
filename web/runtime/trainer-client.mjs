/**
 * The page's side of training: starts the training worker (training-worker.mjs) once per
 * page, and gives each widget runs it can start, pause, resume, reset and watch.
 *
 *   const worker = await trainingWorker();
 *   const run = worker.createRun({ task: 'spurious', dropout: 0.3 }, { steps: 300 });
 *   run.addEventListener('progress', () => draw(run.metrics, run.step, run.stepsPerSecond));
 *   run.start();                      // pause(), reset(), configure({ … }), attention(), dispose()
 *
 * A run holds everything its progress messages brought: `metrics` (one array per metric
 * name, all the rows recorded so far), `step`, `state` ('paused', 'running', 'done'),
 * `stepsPerSecond`. The numbers are those lab.createTrainer gives with the same options,
 * in Node or anywhere else.
 *
 * Where the worker comes from: by default a module worker from this folder, which the site
 * serves from its own origin (no eval, no blob:, so a CSP with worker-src 'self' allows it).
 * A bundle calls provideTrainingWorker: the embed script with the bundled worker beside it
 * (startTrainingWorker({ url })), the offline single file with the worker's code and the
 * core's bytes inlined (startTrainingWorker({ source, wasmBinary })). Where no worker can
 * start at all (a host page's CSP forbids it), trainingWorker() falls back to
 * startInPageTraining(), the same service in the page, in 12 ms slices, and says so in a
 * console warning.
 */
import { loadLab } from './lab.mjs';
import { serveTraining } from './training-service.mjs';

/**
 * A connection to a training service: `port` (a Worker or a MessagePort) and the init
 * message to send first.
 */
function connect(port, init, transfer = [], close = () => port.terminate?.()) {
  port.postMessage({ type: 'init', ...init }, transfer);
  return new TrainingWorker(port, close);
}

/**
 * Starts a training worker. `url`: the worker module (same origin, or cross-origin: then
 * a small module worker from a blob: URL imports it, which needs the module served with
 * CORS). `source`: the worker's code itself, a classic script (a bundle in IIFE format:
 * a page opened from file:// may start a classic worker from a blob: URL, not a module
 * one), started from a blob: URL. `wasmBinary` / `wasmUrl`: handed to the worker to
 * load the core from.
 */
export function startTrainingWorker({ url, source, wasmBinary, wasmUrl } = {}) {
  const init = {};
  if (wasmUrl) init.wasmUrl = String(wasmUrl);
  const transfer = [];
  if (wasmBinary) {
    init.wasmBinary = wasmBinary.slice(); // a copy to transfer: the page keeps its own
    transfer.push(init.wasmBinary.buffer);
  }
  if (source !== undefined) {
    const blobUrl = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    return connect(new Worker(blobUrl), init, transfer);
  }
  const address = new URL(url ?? new URL('./training-worker.mjs', import.meta.url), location.href);
  if (address.origin === location.origin || location.origin === 'null') {
    return connect(new Worker(address, { type: 'module' }), init, transfer);
  }
  const shim = `import ${JSON.stringify(address.href)};`;
  const blobUrl = URL.createObjectURL(new Blob([shim], { type: 'text/javascript' }));
  return connect(new Worker(blobUrl, { type: 'module' }), init, transfer);
}

/**
 * The training service in this page, for where no worker may start: the same messages
 * over a MessageChannel. `createLab` resolves to the page's lab (e.g. loadLab).
 */
export function startInPageTraining(createLab) {
  const channel = new MessageChannel();
  const service = serveTraining(channel.port1, () => createLab());
  return connect(channel.port2, {}, [], () => {
    service.close();
    channel.port1.close();
    channel.port2.close();
  });
}

let startWorker = () => startTrainingWorker();
let workerPromise = null;

/** Replaces how the page's training worker starts (before the first trainingWorker() call). */
export function provideTrainingWorker(start) {
  startWorker = start;
}

/**
 * Resolves to the page's one training worker, started on the first call, once the core is
 * loaded; or, if no worker can start, to the same service running in the page.
 */
export function trainingWorker() {
  workerPromise ??= Promise.resolve()
    .then(() => startWorker())
    .then((worker) => worker.ready)
    .catch((error) => {
      console.warn(`attention-lab: training runs in the page, not in a worker (${error.message})`);
      return startInPageTraining(loadLab).ready;
    });
  return workerPromise;
}

/** A running training service: creates runs and routes their messages. */
export class TrainingWorker {
  #port;
  #close;
  #runs = new Map();
  #nextRun = 1;

  constructor(port, close) {
    this.#port = port;
    this.#close = close;
    /** Resolves to this worker once the core is loaded; rejects if it cannot load. */
    this.ready = new Promise((resolve, reject) => {
      this.#port.onmessage = (event) => {
        const message = event.data;
        if (message.type === 'ready') {
          this.simd = message.simd;
          resolve(this);
        } else if (message.type === 'failed') {
          reject(new Error(`the training worker could not load the attention core: ${message.message}`));
        } else {
          this.#runs.get(message.run)?.receive(message);
        }
      };
      this.#port.onerror = (event) => {
        event.preventDefault?.();
        reject(new Error(`the training worker failed to start${event.message ? `: ${event.message}` : ''}`));
        for (const run of this.#runs.values()) run.receive({ type: 'error', message: 'the training worker stopped' });
      };
    });
  }

  /**
   * A new run: a trainer with createTrainer `options` that stops after `steps` steps.
   * It starts paused; call start().
   */
  createRun(options, { steps }) {
    const id = this.#nextRun++;
    const run = new TrainingRun(id, (message, transfer) => this.#port.postMessage({ ...message, run: id }, transfer),
      () => this.#runs.delete(id));
    this.#runs.set(id, run);
    this.#port.postMessage({ type: 'create', run: id, options, steps });
    return run;
  }

  /** Stops the worker and every run in it. */
  close() {
    for (const run of [...this.#runs.values()]) run.dispose();
    this.#close();
  }
}

/**
 * One trainer in the worker, as the page sees it. Fires 'progress' (after each progress
 * message is applied: read the properties) and 'error' (detail: the message) events.
 */
export class TrainingRun extends EventTarget {
  #send;
  #forget;
  #requests = new Map();
  #nextRequest = 1;

  constructor(id, send, forget) {
    super();
    this.id = id;
    this.#send = send;
    this.#forget = forget;
    /** 'starting' until the worker has created it, then 'paused', 'running' or 'done'. */
    this.state = 'starting';
    this.step = 0;
    this.steps = 0;
    this.stepsPerSecond = 0;
    /** Every recorded row so far: { name: number[] }. */
    this.metrics = {};
    this.metricNames = [];
    this.roles = [];
    this.options = null;
    this.error = null;
  }

  /** Applies one message from the worker. */
  receive(message) {
    if (message.type === 'progress') {
      if (message.metricNames) {
        this.metricNames = message.metricNames;
        this.roles = message.roles;
        this.options = message.options;
      }
      if (message.reset || message.from === 0) this.metrics = Object.fromEntries(this.metricNames.map((name) => [name, []]));
      for (const name of this.metricNames) this.metrics[name].push(...message.metrics[name]);
      Object.assign(this, { state: message.state, step: message.step, steps: message.steps, stepsPerSecond: message.stepsPerSecond });
      this.dispatchEvent(new CustomEvent('progress', { detail: message }));
    } else if (message.type === 'attention') {
      this.#requests.get(message.request)?.resolve(message.attention);
      this.#requests.delete(message.request);
    } else if (message.type === 'error') {
      const pending = this.#requests.get(message.request);
      if (pending) {
        pending.reject(new Error(message.message));
        this.#requests.delete(message.request);
        return;
      }
      this.error = message.message;
      this.dispatchEvent(new CustomEvent('error', { detail: message.message }));
    }
  }

  /** Trains until `steps` or pause(); a paused run resumes where it stopped. */
  start() { this.#send({ type: 'start' }); }

  resume() { this.start(); }

  pause() { this.#send({ type: 'pause' }); }

  /** Back to step 0 with the same options and seed (paused): the same curve again. */
  reset() { this.#send({ type: 'reset' }); }

  /** Changes dropout, entropyPenalty or learningRate from the next step on. */
  configure(changes) { this.#send({ type: 'configure', changes }); }

  /** Resolves to [CLS]'s attention now (Trainer.attention) on the first `examples` validation sequences. */
  attention({ examples } = {}) {
    const request = this.#nextRequest++;
    return new Promise((resolve, reject) => {
      this.#requests.set(request, { resolve, reject });
      this.#send({ type: 'attention', request, examples });
    });
  }

  /** Frees the trainer in the worker. */
  dispose() {
    this.#send({ type: 'dispose' });
    this.#forget();
    for (const { reject } of this.#requests.values()) reject(new Error('the run was disposed'));
    this.#requests.clear();
  }
}
