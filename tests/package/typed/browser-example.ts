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

/** The context lesson's calls: each reader with its own options. */
function context(lab: AttentionLab): string {
  const conv: Float32Array = lab.influence({ reader: 'conv', n: 12, position: 6, layers: 2, kernel: 3 });
  const rnn = lab.influence({ reader: 'rnn', n: 12, position: 11, hidden: 8, spectralNorm: 0.8, seed: 2 });
  const { first, last } = lab.receptiveField({ reader: 'local', n: 12, position: 6, layers: 2, window: 1 });
  const steps: number = lab.pathLength({ reader: 'global', distance: 9 });
  const { path, total, misaligned } = lab.monotonicAlignment({ scores: [1, 0, 0, 1], rows: 2, cols: 2 });
  return `${conv[0]} ${rnn[0]} ${first}-${last} ${steps} ${path[0]} ${total} ${misaligned.length} ${lab.influenceLimits.maxN}`;
}

context(await show('simd'));
await show('scalar', new URL('/wasm/attention-core.wasm', location.href));
await createAttentionLab({ wasmUrl: '/attention-core.wasm' });
