// Node entry of the attention-lab package: the same API as attention-lab.mjs.
//
// Emscripten 3.1.6's loader tries to fetch() the .wasm by file path under Node 20, which
// fails, so this entry reads the bytes itself and hands them over as wasmBinary.
import { readFile } from 'node:fs/promises';
import { makeLab } from './lab.mjs';

/** Instantiates the WASM core and resolves to the lab API (see lab.mjs). */
export default async function createAttentionLab({ variant = 'simd' } = {}) {
  if (variant !== 'simd' && variant !== 'scalar') {
    throw new Error(`createAttentionLab: variant must be 'simd' or 'scalar', got ${variant}`);
  }
  const folder = variant === 'scalar' ? './scalar/' : './';
  const wasmBinary = await readFile(new URL(`${folder}attention-core.wasm`, import.meta.url));
  const { default: createAttentionCore } = await import(`${folder}attention-core.mjs`);
  return makeLab(await createAttentionCore({ wasmBinary }), variant);
}

export { createAttentionLab, makeLab };
