// The browser side of `npm run bench -- --browser`: runs the suite in the page and leaves
// the result in window.__bench for bench/run.mjs. A file of its own, not an inline
// script, because the server's Content-Security-Policy allows no inline script.
import { runBenchmark, formatTable, SIZES } from '/bench/measure.mjs';
import { buildSuite } from '/bench/suite.mjs';
import { measureRerender } from '/bench/rerender.mjs';
import { formatTraining, measureLessonResults, measureTrainingSpeed, trainInWorker } from '/bench/training.mjs';
import { trainingWorker } from '/runtime/trainer-client.mjs';

window.__bench = { done: false };
const logEl = document.getElementById('log');
const log = (s) => { console.log(s); logEl.textContent += s + '\n'; };
const params = new URLSearchParams(location.search);
const sizes = params.get('sizes') ? params.get('sizes').split(',').map(Number) : SIZES;

/** The attention benchmark: this core against its peers. */
async function attentionBenchmark(createAttentionLab) {
  const ort = await import('/node_modules/onnxruntime-web/dist/ort.wasm.min.mjs');
  const peakBytes = await (await fetch('/build/bench/peak.wasm')).arrayBuffer();
  const tf = window.tf;
  const suite = await buildSuite({
    createAttentionLab,
    tfjs: { tf, setWasmPaths: tf.wasm.setWasmPaths, setThreadsCount: tf.wasm.setThreadsCount, wasmDir: '/node_modules/@tensorflow/tfjs-backend-wasm/dist/' },
    ort, ortWasmPaths: '/node_modules/onnxruntime-web/dist/',
    peakBytes, log,
  });
  const started = new Date();
  // Without cross-origin isolation Chromium's clock is coarse (100 us): batch short calls
  // into samples of at least 20 ms so quantisation stays below 0.5%.
  const minSampleMs = self.crossOriginIsolated ? 2 : 20;
  const result = await runBenchmark({ ...suite, sizes, now: () => performance.now(), log, minSampleMs });
  Object.assign(result, {
    environment: { kind: 'browser', userAgent: navigator.userAgent, crossOriginIsolated: self.crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency, date: started.toISOString(), durationS: +((Date.now() - started) / 1000).toFixed(1) },
    implementations: suite.info, problems: suite.problems,
  });
  logEl.textContent += '\n' + formatTable(result) + '\n';
  return result;
}

/** The training benchmark: steps/s on this (main) thread, lesson results through the training worker. */
async function training(createAttentionLab) {
  const now = () => performance.now();
  const started = new Date();
  const speed = measureTrainingSpeed(await createAttentionLab(), { now, log });
  const lessons = await measureLessonResults(trainInWorker(await trainingWorker()), { now, log });
  const result = {
    where: 'Chromium: steps/s on the main thread; lesson results in the training worker, runs at once', speed, lessons,
    environment: { kind: 'browser', userAgent: navigator.userAgent, hardwareConcurrency: navigator.hardwareConcurrency, date: started.toISOString() },
  };
  logEl.textContent += formatTraining(result) + '\n';
  return result;
}

/** Only the playground's re-render at n = 1024 (bench/rerender.mjs). */
async function rerenderOnly() {
  const started = new Date();
  const rerender = await measureRerender({ now: () => performance.now(), log, minSampleMs: self.crossOriginIsolated ? 2 : 20 });
  const result = {
    rows: [], sizes: [], interactive: [], rerender, problems: [],
    environment: { kind: 'browser', userAgent: navigator.userAgent, crossOriginIsolated: self.crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency, date: started.toISOString(), durationS: +((Date.now() - started) / 1000).toFixed(1) },
  };
  logEl.textContent += '\n' + formatTable(result) + '\n';
  return result;
}

try {
  let createAttentionLab;
  if (!params.get('peersOnly')) createAttentionLab = (await import('/dist/attention-lab.mjs')).default;
  let result;
  if (params.get('rerenderOnly')) result = await rerenderOnly();
  else {
    result = params.get('trainingOnly') ? {} : await attentionBenchmark(createAttentionLab);
    if (createAttentionLab && !params.get('trainingOnly')) result.rerender = await measureRerender({ now: () => performance.now(), log, minSampleMs: self.crossOriginIsolated ? 2 : 20 });
    if (createAttentionLab) result.training = await training(createAttentionLab);
  }
  window.__bench = { done: true, result };
} catch (e) {
  log(`error: ${e && e.stack || e}`);
  window.__bench = { done: false, error: String(e && e.message || e) };
}
