// A page bundled by Vite that computes attention with the package's WASM core, in both
// builds (SIMD and scalar), and shows the result as JSON in #result.
import createAttentionLab from 'attention-lab';

const result = document.querySelector('#result');

async function run() {
  const lab = await createAttentionLab(); // finds the .wasm Vite emitted beside the bundle
  const scalar = await createAttentionLab({ variant: 'scalar' });
  const options = {
    q: [1, 0], k: [1, 0, 0, 1], v: [10, 20],
    nq: 1, nk: 2, dk: 2, dv: 1, scaling: 'none',
  };
  const { output, weights } = lab.attention(options);
  result.textContent = JSON.stringify({
    output: output[0],
    weights: [...weights],
    scalarOutput: scalar.attention(options).output[0],
    simd: lab.simd,
    scalarSimd: scalar.simd,
  });
  result.dataset.state = 'done';
}

run().catch((error) => {
  result.textContent = String(error);
  result.dataset.state = 'failed';
  console.error(error);
});
