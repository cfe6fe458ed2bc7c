// A typed page script, the way a Vite app would write it: checked by `tsc --noEmit`
// (strict, moduleResolution bundler, DOM types, no Node types).
import createAttentionLab from 'attention-lab';
import type { AttentionLab, CreateAttentionLabOptions, Variant } from 'attention-lab';

async function show(variant: Variant, wasmUrl?: URL): Promise<AttentionLab> {
  const options: CreateAttentionLabOptions = wasmUrl ? { variant, wasmUrl } : { variant };
  const lab = await createAttentionLab(options);
  const { logitVariance, meanMaxWeight, weights } = lab.scalingExperiment({ dk: 64 });
  const out = document.querySelector<HTMLOutputElement>('#result');
  if (out) out.value = `${logitVariance.toFixed(1)} ${meanMaxWeight.toFixed(3)} ${weights.length}`;
  return lab;
}

await show('simd');
await show('scalar', new URL('/wasm/attention-core.wasm', location.href));
await createAttentionLab({ wasmUrl: '/attention-core.wasm' });
