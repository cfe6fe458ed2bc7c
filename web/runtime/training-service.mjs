/**
 * The training service: runs the lesson models (lab.createTrainer) for a page, in small
 * slices of time, and streams their progress. It runs inside the training worker
 * (training-worker.mjs), so that a page never freezes while a model learns; the same code
 * also runs in the page itself, through a MessageChannel, where no worker can be started
 * (trainer-client.mjs), and in Node for the tests.
 *
 * It speaks in messages. From the page:
 *   { type: 'init', wasmBinary?, wasmUrl? }     load the core (before anything else)
 *   { type: 'create', run, options, steps }     a trainer (createTrainer options) that will
 *                                                stop after `steps` steps; it starts paused
 *   { type: 'start' | 'pause', run }            run or hold (resume is start)
 *   { type: 'reset', run }                      back to step 0: the same options, the same seed
 *   { type: 'configure', run, changes }         trainer.configure(changes) from the next step on
 *   { type: 'attention', run, request, examples }  [CLS]'s attention now
 *   { type: 'dispose', run }                    free it
 * To the page:
 *   { type: 'ready', simd } or { type: 'failed', message }     after init
 *   { type: 'progress', run, state, step, steps, from, metrics, stepsPerSecond, reset? }
 *       state: 'paused' | 'running' | 'done'; metrics: { name: Float32Array } of the rows
 *       recorded since the last progress message (row `from` on); at most every
 *       `progressInterval` ms while running, and at once on every change of state
 *   { type: 'attention', run, request, attention }
 *   { type: 'error', run, request?, message }
 *
 * A run's curve depends only on its options: the trainer is seeded, and how its steps are
 * grouped into slices does not change them (classifier_trainer.hpp), so the page sees
 * exactly the numbers lab.createTrainer gives in Node.
 */

/** Milliseconds of training between two looks at the message queue. */
const sliceMs = 12;
/** Milliseconds between two progress messages of a running trainer. */
const progressInterval = 50;

/**
 * Serves training on `port` (a worker's global scope, or a MessagePort): `createLab(init)`
 * resolves to the attention lab, given the init message. `now` is the clock (ms).
 * Returns { close() }, which disposes every trainer and stops listening.
 */
export function serveTraining(port, createLab, { now = () => performance.now() } = {}) {
  let lab = null;
  let ready = null; // resolves once lab is set
  const runs = new Map();
  // The next slice runs as a task of its own, so that messages from the page get their
  // turn between slices: a message to ourselves (no 4 ms timer clamp), or setImmediate in
  // Node, whose MessagePorts drain their own messages before anything else.
  const wake = typeof setImmediate === 'function' ? null : new MessageChannel();
  let scheduled = false;

  const post = (message, transfer = []) => port.postMessage(message, transfer);
  const fail = (run, message, request) => post({ type: 'error', run, request, message });

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    if (wake) wake.port2.postMessage(0);
    else setImmediate(tick);
  }

  function report(run, extra = {}) {
    const t = run.trainer;
    const rows = t.metrics({ from: run.sentRows });
    const metrics = {};
    for (const name of t.metricNames) metrics[name] = rows[name];
    const at = now();
    const elapsed = at - run.reportedAt;
    const stepsPerSecond = elapsed > 0 ? (1000 * (t.steps - run.reportedSteps)) / elapsed : 0;
    post({
      type: 'progress', run: run.id, state: run.state, step: t.steps, steps: run.steps, from: run.sentRows,
      metrics, stepsPerSecond, ...extra,
    }, Object.values(metrics).map((a) => a.buffer));
    run.sentRows += rows.rows;
    run.reportedAt = at;
    run.reportedSteps = t.steps;
  }

  /** Steps `run` for about `budget` ms, in chunks sized from its measured pace. */
  function advance(run, budget) {
    const t = run.trainer;
    const end = now() + budget;
    do {
      const left = run.steps - t.steps;
      if (left <= 0) break;
      const chunk = Math.max(1, Math.min(left, Math.floor((end - now()) / run.msPerStep)));
      const started = now();
      t.step(chunk);
      run.msPerStep = Math.max(1e-3, 0.7 * run.msPerStep + 0.3 * ((now() - started) / chunk));
    } while (now() < end);
    if (t.steps >= run.steps) run.state = 'done';
  }

  function tick() {
    scheduled = false;
    const active = [...runs.values()].filter((run) => run.state === 'running');
    if (active.length === 0) return;
    for (const run of active) {
      try {
        advance(run, sliceMs / active.length);
      } catch (error) {
        run.state = 'paused';
        fail(run.id, error.message);
      }
      if (run.state !== 'running' || now() - run.reportedAt >= progressInterval) report(run);
    }
    if (active.some((run) => run.state === 'running')) schedule();
  }

  function create(id, options, steps) {
    const trainer = lab.createTrainer(options);
    return {
      id, options, steps, trainer, state: 'paused', sentRows: 0, msPerStep: 1, reportedAt: now(), reportedSteps: 0,
    };
  }

  async function handle(message) {
    const { type, run: id } = message;
    if (type === 'init') {
      if (ready) return;
      ready = createLab(message).then((created) => {
        lab = created;
        post({ type: 'ready', simd: lab.simd });
      }, (error) => {
        post({ type: 'failed', message: String(error?.message ?? error) });
        throw error;
      });
      ready.catch(() => {}); // reported above; later messages fail with it
      return;
    }
    if (!ready) throw new Error('the training service got no init message');
    await ready;
    if (type === 'create') {
      if (runs.has(id)) throw new Error(`run ${id} exists already`);
      if (!Number.isSafeInteger(message.steps) || message.steps < 0 || message.steps > 1e6) {
        throw new Error(`steps must be an integer from 0 to 1000000, got ${message.steps}`);
      }
      const run = create(id, message.options, message.steps);
      runs.set(id, run);
      report(run, { metricNames: run.trainer.metricNames, roles: run.trainer.roles, options: run.trainer.options });
      return;
    }
    const run = runs.get(id);
    if (!run) throw new Error(`there is no run ${id}`);
    switch (type) {
      case 'start':
        if (run.state === 'paused') {
          run.state = run.trainer.steps >= run.steps ? 'done' : 'running';
          run.reportedAt = now();
          run.reportedSteps = run.trainer.steps;
          report(run);
          schedule();
        }
        break;
      case 'pause':
        if (run.state === 'running') {
          run.state = 'paused';
          report(run);
        }
        break;
      case 'reset': {
        run.trainer.dispose();
        const fresh = create(id, run.options, run.steps);
        runs.set(id, fresh);
        report(fresh, { reset: true });
        break;
      }
      case 'configure':
        run.trainer.configure(message.changes);
        break;
      case 'attention':
        post({ type: 'attention', run: id, request: message.request, attention: run.trainer.attention({ examples: message.examples }) });
        break;
      case 'dispose':
        run.trainer.dispose();
        runs.delete(id);
        break;
      default:
        throw new Error(`unknown message type ${type}`);
    }
  }

  const listener = (event) => {
    const message = event.data ?? {};
    handle(message).catch((error) => fail(message.run, String(error?.message ?? error), message.request));
  };
  if (wake) wake.port1.onmessage = tick;
  port.addEventListener('message', listener);
  port.start?.(); // a MessagePort delivers nothing until started

  return {
    close() {
      port.removeEventListener('message', listener);
      wake?.port1.close();
      for (const run of runs.values()) run.trainer.dispose();
      runs.clear();
    },
  };
}
