// Assembles the implementations for one run, from libraries the environment loaded
// (Node: npm imports and files; browser: URLs). Shared by bench/run.mjs and page.html.
import { D, HEADS, mulberry32, randomNormal } from './measure.mjs';
import { createPlainJs } from './peers/plain-js.mjs';
import { createTfjs } from './peers/tfjs.mjs';
import { configureOrt, createOrtMatMul, createOrtAttention } from './peers/onnx.mjs';
import { createPeak } from './peers/peak.mjs';
import { createLabFused, createLabMaterialised, interactiveCalls } from './peers/lab.mjs';

// opts: { createAttentionLab?, tfjs?: { tf, setWasmPaths, setThreadsCount, wasmDir },
//         ort?, ortWasmPaths?, peakBytes?, plainJsMaxN, materialisedMaxN, log }
export async function buildSuite(opts) {
  const { log = () => {} } = opts;
  const impls = []; const info = {}; const problems = [];
  const scale = 1 / Math.sqrt(D);
  let interactive = [];

  if (opts.createAttentionLab) {
    try {
      const lab = await opts.createAttentionLab();
      impls.push(createLabFused(lab));
      impls.push(createLabMaterialised(lab, { maxN: opts.materialisedMaxN ?? 4096 }));
      interactive = interactiveCalls(lab, { randomNormal, mulberry32 });
      info.lastScratchBytes = typeof lab.lastScratchBytes === 'function' ? 'present' : 'missing (scratch reported as n/a)';
    } catch (e) { problems.push(`attention-lab SIMD: ${e.message}`); }
    try {
      const scalar = await opts.createAttentionLab({ variant: 'scalar' });
      impls.push(createLabFused(scalar, 'attention-lab scalar (no SIMD), fused', { mayCap: true }));
    } catch (e) { problems.push(`attention-lab scalar: ${e.message}`); }
  } else {
    problems.push('attention-lab not loaded (dist/ missing?): its rows are absent');
  }

  impls.push(createPlainJs({ maxN: opts.plainJsMaxN ?? 1024 }));

  if (opts.tfjs) {
    try { const t = await createTfjs(opts.tfjs); info.tfjs = t.info; impls.push(t); }
    catch (e) { problems.push(`tfjs: ${e.message}`); }
  }
  if (opts.ort) {
    configureOrt(opts.ort, opts.ortWasmPaths);
    try { const o = await createOrtMatMul({ ort: opts.ort, d: D, scale }); info.ortMatMul = o.info; impls.push(o); }
    catch (e) { problems.push(`onnxruntime-web MatMul graph: ${e.message}`); }
    try { const o = await createOrtAttention({ ort: opts.ort, d: D, heads: HEADS, scale }); info.ortAttention = o.info; impls.push(o); }
    catch (e) { problems.push(`onnxruntime-web opset-23 Attention: ${e.message}`); info.ortAttention = `unsupported: ${e.message}`; }
  }

  let peak = null;
  if (opts.peakBytes) {
    try { peak = await createPeak(opts.peakBytes); } catch (e) { problems.push(`peak probe: ${e.message}`); }
  } else problems.push('peak probe: build/bench/peak.wasm missing');

  for (const p of problems) log(`note: ${p}`);
  return { impls, peak, interactive, info, problems };
}
