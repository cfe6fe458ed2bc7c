/**
 * The training worker: a module worker that loads the attention core and serves training
 * (training-service.mjs) to the page that started it (trainer-client.mjs), so that a model
 * learns while the page stays responsive.
 *
 * The init message may carry the core's bytes (`wasmBinary`: the offline single file has
 * no file to fetch) or its address (`wasmUrl`); otherwise the core is the .wasm beside
 * dist/attention-lab.mjs: /dist/ on the site, and beside the bundle in dist/web/, where
 * scripts/build-web.mjs bundles this file as attention-lab-training-worker.js.
 */
import createAttentionLab, { makeLab } from '../../dist/attention-lab.mjs';
import createAttentionCore from '../../dist/attention-core.mjs';
import { serveTraining } from './training-service.mjs';

serveTraining(self, async ({ wasmBinary, wasmUrl }) => (wasmBinary
  ? makeLab(await createAttentionCore({ wasmBinary }), 'simd')
  : createAttentionLab(wasmUrl ? { wasmUrl } : {})));
