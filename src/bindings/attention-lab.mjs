// Browser and bundler entry of the attention-lab package.
//
//   import createAttentionLab from 'attention-lab';
//   const lab = await createAttentionLab();
//   const { output, weights } = lab.attention({ q, k, v, nq, nk, dk, dv });
//
// The .wasm is found beside this file (new URL(..., import.meta.url), which bundlers
// such as Vite understand); pass { wasmUrl } to load it from elsewhere, or
// { variant: 'scalar' } for the build without SIMD (for comparisons).
import createAttentionCore from './attention-core.mjs';
import { makeLab } from './lab.mjs';

/** Instantiates the WASM core and resolves to the lab API (see lab.mjs). */
export default async function createAttentionLab({ variant = 'simd', wasmUrl } = {}) {
  if (variant === 'scalar') {
    const { default: createScalarCore } = await import('./scalar/attention-core.mjs');
    const url = wasmUrl ?? new URL('./scalar/attention-core.wasm', import.meta.url);
    return makeLab(await createScalarCore({ locateFile: () => String(url) }), 'scalar');
  }
  if (variant !== 'simd') throw new Error(`createAttentionLab: variant must be 'simd' or 'scalar', got ${variant}`);
  const url = wasmUrl ?? new URL('./attention-core.wasm', import.meta.url);
  return makeLab(await createAttentionCore({ locateFile: () => String(url) }), 'simd');
}

export { createAttentionLab, makeLab };
