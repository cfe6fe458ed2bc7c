// @tensorflow/tfjs-backend-wasm peer: threads off (single-threaded SIMD binary), one head
// at a time, K pre-transposed: softmax(matMul(q, kT) * scale) then matMul(., v).
// Takes the library objects so Node (npm imports) and the browser (UMD globals) share it.
//   tf: @tensorflow/tfjs-core with the wasm backend registered
//   setWasmPaths / setThreadsCount: from @tensorflow/tfjs-backend-wasm
//   wasmDir: folder (path or URL, trailing slash) holding the package's dist/*.wasm
export async function createTfjs({ tf, setWasmPaths, setThreadsCount, wasmDir, version }) {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false); // threads off -> tfjs-backend-wasm-simd.wasm
  if (setThreadsCount) setThreadsCount(1);
  setWasmPaths(wasmDir);
  const ok = await tf.setBackend('wasm');
  if (!ok) throw new Error('tfjs: wasm backend failed to initialise');
  await tf.ready();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return {
    name: 'tfjs-backend-wasm (XNNPACK)',
    group: 'peer',
    info: { version: version || tf.version_core, backend: tf.getBackend(), simd, threads },
    forward({ n, d, heads, scale }) {
      return heads.map(({ q, kT, v }) => {
        const o = tf.tidy(() => {
          const Q = tf.tensor2d(q, [n, d]);
          const KT = tf.tensor2d(kT, [d, n]);
          const V = tf.tensor2d(v, [n, d]);
          const w = tf.softmax(tf.mul(tf.matMul(Q, KT), tf.scalar(scale)));
          return tf.matMul(w, V);
        });
        const data = o.dataSync();
        o.dispose();
        return data;
      });
    },
  };
}
