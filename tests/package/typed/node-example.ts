// A typed Node program using the installed package: checked by `tsc --noEmit` (strict,
// moduleResolution nodenext), then compiled and run by tests/package/typescript.test.mjs.
import createAttentionLab, {
  makeLab,
  type AttentionLab,
  type AttentionOptions,
  type NumberArray,
  type PointerChaseResult,
  type ScalingExperimentResult,
  type Trainer,
} from 'attention-lab';

const lab: AttentionLab = await createAttentionLab();
const scalar = await createAttentionLab({ variant: 'scalar' });

// Inputs may be Float32Array, Float64Array or plain arrays.
const q: NumberArray = new Float32Array([1, 0]);
const k: NumberArray = [1, 0, 0, 1];
const v: NumberArray = new Float64Array([10, 20]);
const shape = { q, k, v, nq: 1, nk: 2, dk: 2, dv: 1 };

// Weights come back by default...
const full = lab.attention({ ...shape, scaling: 'none' });
const weights: Float32Array = full.weights;
// ...not from the fused kernel...
const fused = lab.attention({ ...shape, scaling: 'none', weights: false });
// @ts-expect-error weights: false returns no weights
fused.weights;
// ...and the logits only when asked for.
const scored = lab.attention({ ...shape, scaling: 'none', mask: 'causal', scores: true });
const scores: Float32Array = scored.scores;
const local = lab.attention({ ...shape, mask: 'local', window: 1, temperature: 0.5 });
// A boolean only known at run time: the weights may or may not be there.
const options: AttentionOptions = { ...shape, weights: process.argv.length < 100 };
const maybe: Float32Array | undefined = lab.attention(options).weights;

const dModel = 2;
const identity = [1, 0, 0, 1];
const heads = lab.multiHeadAttention({ x: [1, 2, 3, 4], n: 2, dModel, heads: 1, wq: identity, wk: identity, wv: identity, wo: identity, mask: 'causal' });
const headEntropy: Float32Array = heads.headEntropy;
const tied = lab.multiHeadAttention({ x: [1, 2, 3, 4], n: 2, dModel, heads: 2, wq: identity, wk: identity, wo: identity, tieKV: true, weights: false });
const tiedOutput: Float32Array = tied.output;

const entropy: Float32Array = lab.entropy({ weights, rows: 1, cols: 2 });
const effective: Float32Array = lab.effectiveTokens({ weights: heads.weights, heads: 1, rows: 2, cols: 2 });
const maxWeight: Float32Array = lab.maxWeight({ weights, rows: 1, cols: 2 });
const mixture: Float32Array = lab.mixtureEntropy({ weights: heads.weights, heads: 1, rows: 2, cols: 2 });
const variance: number = lab.variance({ values: full.output });
const noise: Float32Array = lab.randomNormal({ seed: 7, count: 4 });
const experiment: ScalingExperimentResult = lab.scalingExperiment({ dk: 64, samples: 4096, keys: 16, seed: 3, scaling: 'sqrt' });
const scratch: number = lab.lastScratchBytes();
const masked = lab.multiHeadAttention({ x: [1, 2, 3, 4], n: 2, dModel, heads: 2, wq: identity, wk: identity, wv: identity, wo: identity, headMask: [true, false] });
const mixtureOfActive: Float32Array = masked.mixtureEntropy;
const fetched = lab.retrieval({ output: masked.headOutputs, values: masked.values, rows: 2, cols: dModel, targets: [1, -1], columns: [0, 1] });
const chase: PointerChaseResult = lab.pointerChase({ pointers: lab.randomPointers({ n: 5, seed: 2 }), layers: 3, hops: 2, sharpness: 4, dim: 3, seed: 1 });
const curve: Float32Array = lab.pointerChaseAccuracy({ n: 8, layers: 4, sharpness: 3, trials: 5 }).accuracy;
const wrap: typeof makeLab = makeLab;

// Training: dropout, gradients, a trainer, the task-weighting experiment.
const dropped: Float32Array = lab.attention({ ...shape, dropout: 0.5, seed: 2 }).weights;
const grads = lab.attentionBackward({ ...shape, gradOutput: [1], mask: 'local', window: 1, entropyPenalty: 0.1 });
const trainer: Trainer = lab.createTrainer({ task: 'noise', noiseTokens: 4, dropout: 0.1 });
const stepsTaken: number = trainer.step(3);
const seen = trainer.attention({ examples: 2 });
trainer.configure({ entropyPenalty: 0.01 });
trainer.dispose();
const tasks = lab.taskWeighting({ update: 'ascent', steps: 20, lr: 0.5 });

console.log(JSON.stringify({
  variant: lab.variant, simd: lab.simd, scalarVariant: scalar.variant, scalarSimd: scalar.simd,
  output: [...full.output], weights: [...weights], fusedOutput: [...fused.output], scores: [...scores],
  localOutput: [...local.output], maybe: maybe === undefined ? null : maybe.length,
  mhaOutput: heads.output.length, headEntropy: headEntropy.length, tiedOutput: tiedOutput.length,
  entropy: entropy[0], effective: effective.length, maxWeight: maxWeight[0], mixture: mixture.length,
  variance, noise: noise.length,
  logitVariance: experiment.logitVariance, experimentWeights: experiment.weights.length,
  scratch: typeof scratch, makeLab: typeof wrap,
  mixtureOfActive: mixtureOfActive.length, retrievalCount: fetched.count, chasePositions: chase.positions.length,
  answerAccuracy: typeof chase.answerAccuracy, curve: curve.length,
  dropped: dropped.length, gradK: grads.gradK.length, stepsTaken, seenLength: seen.length,
  taskWeights: tasks.weights.length, tasks: tasks.tasks,
}));
