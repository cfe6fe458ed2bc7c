// onnxruntime-web peer: wasm execution provider, 1 thread, no proxy worker. Two graphs
// written by bench/onnx-model.mjs: MatMul/Softmax/MatMul (opset 17, K pre-transposed,
// one head per session.run) and the opset-23 Attention operator (all 8 heads in one
// [1, 8, n, d] run, inputs packed outside the timed region). Takes the `ort` namespace.
import { matmulSoftmaxModel, attentionOpModel } from '../onnx-model.mjs';

export function configureOrt(ort, wasmPaths) {
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.simd = true;
  if (wasmPaths) ort.env.wasm.wasmPaths = wasmPaths;
  ort.env.logLevel = 'error';
}

const sessionOptions = { executionProviders: ['wasm'], graphOptimizationLevel: 'all', intraOpNumThreads: 1, interOpNumThreads: 1 };

export async function createOrtMatMul({ ort, d, scale }) {
  const session = await ort.InferenceSession.create(matmulSoftmaxModel({ d, scale }), sessionOptions);
  return {
    name: 'onnxruntime-web MatMul/Softmax/MatMul (opset 17)',
    group: 'peer',
    info: { version: ort.env.versions?.web, graph: 'MatMul(Q,KT)*scale -> Softmax -> MatMul(.,V), opset 17' },
    async forward({ n, heads }) {
      const outs = [];
      for (const { q, kT, v } of heads) {
        const r = await session.run({
          Q: new ort.Tensor('float32', q, [n, d]),
          KT: new ort.Tensor('float32', kT, [d, n]),
          V: new ort.Tensor('float32', v, [n, d]),
        });
        outs.push(r.O.data);
      }
      return outs;
    },
    release: () => session.release(),
  };
}

// Short form of an ORT error: its message after the source path, e.g. "Integer overflow".
const ortMessage = (e) => {
  const m = String(e && e.message ? e.message : e);
  const tail = m.split('ERROR_MESSAGE:').pop().trim();
  return tail.replace(/^\S*\.(h|cc|cpp):\d+\s*/, '').replace(/^static void SafeIntExceptionHandler<[^>]*>::SafeIntOnOverflow\(\)\s*/, 'SafeInt: ').slice(0, 120);
};

// Throws (at create or first run) if this onnxruntime-web has no opset-23 Attention.
// Note: onnxruntime-web 1.30 fails this graph at n = 4096 even with one head per run
// ("Integer overflow" from a SafeInt size check in wasm32); the row then reads ERROR.
export async function createOrtAttention({ ort, d, heads: H, scale }) {
  const session = await ort.InferenceSession.create(attentionOpModel({ d, scale }), sessionOptions);
  let packedFor = null; let packed = null;
  const pack = (problem) => {
    if (packedFor === problem) return packed;
    const { n, heads } = problem;
    const cat = (key) => { const a = new Float32Array(H * n * d); heads.forEach((h, i) => a.set(h[key], i * n * d)); return a; };
    packed = { q: cat('q'), k: cat('k'), v: cat('v') };
    packedFor = problem;
    return packed;
  };
  return {
    name: 'onnxruntime-web Attention (opset 23)',
    group: 'peer',
    info: { version: ort.env.versions?.web, graph: 'Attention (opset 23), Q/K/V [1, 8, n, d], one run for all heads' },
    setup(problem) { pack(problem); return `all ${H} heads in one run`; },
    async forward(problem) {
      const { n } = problem;
      const p = pack(problem);
      const shape = [1, H, n, d];
      let r;
      try {
        r = await session.run({
          Q: new ort.Tensor('float32', p.q, shape),
          K: new ort.Tensor('float32', p.k, shape),
          V: new ort.Tensor('float32', p.v, shape),
        });
      } catch (e) { throw new Error(`session.run failed: ${ortMessage(e)}`); }
      const o = r.O.data;
      return Array.from({ length: H }, (_, h) => o.subarray(h * n * d, (h + 1) * n * d));
    },
    release: () => session.release(),
  };
}
