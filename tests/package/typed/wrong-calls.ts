// Calls that must NOT type-check: tests/package/typescript.test.mjs expects tsc to report
// an error on every line marked "// wrong:" and nowhere else.
import createAttentionLab, { type AttentionLab } from 'attention-lab';

declare const lab: AttentionLab;
const q = new Float32Array([1, 0]);
const k = [1, 0, 0, 1];
const v = [10, 20];

lab.attention({ q, k, v, nq: 'x', nk: 2, dk: 2, dv: 1 }); // wrong: nq is a number
lab.attention({ q, k, v, nq: 1, nk: 2, dk: 2, dv: 1, scaling: 'cube' }); // wrong: no such scaling
lab.attention({ q, k, v, nq: 1, nk: 2, dk: 2, dv: 1, mask: 'local' }); // wrong: a local mask needs window
lab.attention({ q, k, v, nq: 1, nk: 2, dk: 2, dv: 1, wieghts: false }); // wrong: misspelt option
lab.attention({ q: 'abc', k, v, nq: 1, nk: 2, dk: 2, dv: 1 }); // wrong: q is numbers
lab.attention({ q, k, nq: 1, nk: 2, dk: 2, dv: 1 }); // wrong: v is missing
lab.attention({ q, k, v, nq: 1, nk: 2, dk: 2, dv: 1, weights: false }).weights; // wrong: the fused kernel returns no weights
lab.attention({ q, k, v, nq: 1, nk: 2, dk: 2, dv: 1 }).scores; // wrong: scores only with scores: true
lab.multiHeadAttention({ x: q, n: 1, dModel: 2, heads: 1, wq: k, wk: k, wo: k }); // wrong: wv is needed without tieKV
lab.multiHeadAttention({ x: q, n: 1, dModel: 2, heads: 1, wq: k, wk: k, wo: k, tieKV: true, weights: false }).headEntropy; // wrong: no headEntropy
lab.entropy({ weights: k, rows: 2 }); // wrong: cols is missing
lab.mixtureEntropy({ weights: k, rows: 1, cols: 2 }); // wrong: heads is required
lab.scalingExperiment({ samples: 100 }); // wrong: dk is missing
const logits: number = lab.scalingExperiment({ dk: 8 }).logits; // wrong: logits are a Float32Array
lab.variance([1, 2, 3]); // wrong: variance takes { values }
lab.randomNormal({ seed: 1 }); // wrong: count is missing
lab.variant = 'scalar'; // wrong: read-only
createAttentionLab({ variant: 'gpu' }); // wrong: no such variant
createAttentionLab({ wasmUrl: 42 }); // wrong: wasmUrl is a string or URL
lab.pointerChase({ layers: 2 }); // wrong: pointers is required
lab.pointerChase({ pointers: [1, 0], sharpnes: 3 }); // wrong: misspelt option
const hop: number = lab.pointerChase({ pointers: [1, 0] }).positions; // wrong: positions are an Int32Array
lab.pointerChaseAccuracy({ layers: 3 }); // wrong: n is required
lab.randomPointers({ n: 4 }); // wrong: seed is required
lab.multiHeadAttention({ x: q, n: 1, dModel: 2, heads: 1, wq: k, wk: k, wo: k, tieKV: true, headMask: [1] }); // wrong: headMask holds booleans
lab.retrieval({ output: k, values: k, rows: 2, cols: 2, targets: [0, 1], columns: [0, 1, 2] }); // wrong: columns is [begin, end]
lab.influence({ reader: 'global', n: 4, position: 0, layers: 2 }); // wrong: global is one layer
lab.influence({ reader: 'conv', n: 4, position: 0, window: 1 }); // wrong: window belongs to local
lab.influence({ reader: 'cnn', n: 4, position: 0 }); // wrong: no such reader
lab.influence({ reader: 'rnn', n: 4 }); // wrong: position is missing
lab.pathLength({ reader: 'rnn', distance: 3, hidden: 4 }); // wrong: the path length does not depend on hidden
const wrongPath: number[] = lab.monotonicAlignment({ scores: [1], rows: 1, cols: 1 }).path; // wrong: path is an Int32Array
lab.attentionBackward({ q, k, v, nq: 1, nk: 2, dk: 2, dv: 1 }); // wrong: gradOutput is missing
lab.createTrainer({ task: 'spurious', noiseTokens: 4 }); // wrong: noiseTokens is for task 'noise'
lab.createTrainer({ task: 'lesson-9' }); // wrong: no such task
lab.taskWeighting({ steps: 10 }); // wrong: update is required
lab.createTrainer({ task: 'noise' }).step('ten'); // wrong: steps is a number
