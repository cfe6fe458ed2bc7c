// The browser side of `npm run bench -- --browser`: runs the suite in the page and leaves
// the result in window.__bench for bench/run.mjs. A file of its own, not an inline
// script, because the server's Content-Security-Policy allows no inline script.
import { runBenchmark, formatTable, SIZES } from '/bench/measure.mjs';
import { buildSuite } from '/bench/suite.mjs';

window.__bench = { done: false };
const logEl = document.getElementById('log');
const log = (s) => { console.log(s); logEl.textContent += s + '\n'; };
const params = new URLSearchParams(location.search);
const sizes = params.get('sizes') ? params.get('sizes').split(',').map(Number) : SIZES;

try {
  let createAttentionLab;
  if (!params.get('peersOnly')) createAttentionLab = (await import('/dist/attention-lab.mjs')).default;
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
  window.__bench = { done: true, result };
} catch (e) {
  log(`error: ${e && e.stack || e}`);
  window.__bench = { done: false, error: String(e && e.message || e) };
}
