// The JS API in a real Chromium gives exactly what it gives in Node: the same WASM, the
// same results bit for bit, the same errors, and a lab that keeps working after one.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import createAttentionLab from '../../dist/node.mjs';
import { normals } from '../js/reference.mjs';
import { startBrowserSession } from './browser.mjs';

let session, page, lab;
before(async () => {
  lab = await createAttentionLab();
  session = await startBrowserSession();
  page = await session.openPage('/');
  await page.evaluate(async () => {
    const { default: createAttentionLab } = await import('/dist/attention-lab.mjs');
    window.apiLab = await createAttentionLab();
    window.apiScalarLab = await createAttentionLab({ variant: 'scalar' });
  });
});
after(async () => {
  await session?.close();
});

/** Runs lab[method](args) in the page, typed arrays passed as plain arrays and back. */
async function inBrowser(method, args, variant = 'apiLab') {
  return page.evaluate(([m, a, v]) => {
    const typed = Object.fromEntries(Object.entries(a).map(([k, x]) => [k, Array.isArray(x) ? Float32Array.from(x) : x]));
    try {
      const result = window[v][m](typed);
      return { result: Object.fromEntries(Object.entries(result).map(([k, x]) => [k, ArrayBuffer.isView(x) ? Array.from(x) : x])) };
    } catch (e) {
      return { error: String(e.message), isError: e instanceof Error };
    }
  }, [method, Object.fromEntries(Object.entries(args).map(([k, x]) => [k, ArrayBuffer.isView(x) ? Array.from(x) : x])), variant]);
}

test('attention in Chromium equals attention in Node, bit for bit, every mask and scaling', async () => {
  for (const [nq, nk, dk, dv] of [[1, 1, 1, 1], [7, 9, 5, 3], [130, 70, 64, 17]]) {
    for (const scaling of ['sqrt', 'none', 'l2']) {
      for (const mask of ['none', 'causal', 'local']) {
        const args = { q: normals(nq * dk, nq), k: normals(nk * dk, nk + 1), v: normals(nk * dv, 3), nq, nk, dk, dv, scaling, mask, window: 2, scores: true };
        const node = lab.attention(args);
        const { result } = await inBrowser('attention', args);
        for (const key of ['output', 'weights', 'scores']) {
          assert.deepEqual(result[key], Array.from(node[key]), `${key} nq=${nq} ${scaling} ${mask}`);
        }
        const fused = await inBrowser('attention', { ...args, weights: false, scores: false });
        assert.deepEqual(fused.result.output, Array.from(lab.attention({ ...args, weights: false, scores: false }).output));
      }
    }
  }
  session.assertNoProblems();
});

test('multi-head attention and the scalar build agree between Chromium and Node', async () => {
  const d = 16, n = 12;
  const args = { x: normals(n * d, 1), n, dModel: d, heads: 4, wq: normals(d * d, 2, 0.25), wk: normals(d * d, 3, 0.25), wv: normals(d * d, 4, 0.25), wo: normals(d * d, 5, 0.25), mask: 'causal' };
  const node = lab.multiHeadAttention(args);
  const { result } = await inBrowser('multiHeadAttention', args);
  assert.deepEqual(result.output, Array.from(node.output));
  assert.deepEqual(result.headEntropy, Array.from(node.headEntropy));
  const small = { q: normals(6, 1), k: normals(9, 2), v: normals(9, 3), nq: 2, nk: 3, dk: 3, dv: 3 };
  const scalar = await inBrowser('attention', small, 'apiScalarLab');
  const nodeScalar = (await createAttentionLab({ variant: 'scalar' })).attention(small);
  assert.deepEqual(scalar.result.output, Array.from(nodeScalar.output));
  session.assertNoProblems();
});

test('the context calls (influence, receptiveField, pathLength, monotonicAlignment) agree between Chromium and Node', async () => {
  const calls = [
    ['influence', { reader: 'conv', n: 20, position: 9, layers: 3, kernel: 5, seed: 2 }],
    ['influence', { reader: 'rnn', n: 20, position: 19, hidden: 12, seed: 2 }],
    ['influence', { reader: 'local', n: 20, position: 9, layers: 2, window: 2, seed: 2 }],
    ['influence', { reader: 'global', n: 20, position: 9, seed: 2 }],
    ['receptiveField', { reader: 'local', n: 20, position: 9, layers: 2, window: 2 }],
    ['pathLength', { reader: 'conv', distance: 9, kernel: 3 }],
    ['pathLength', { reader: 'rnn', distance: -1 }],
    ['monotonicAlignment', { scores: Array.from(normals(35, 8)), rows: 5, cols: 7 }],
    ['influence', { reader: 'global', n: 20, position: 9, layers: 2 }],
  ];
  const asText = (x) => JSON.stringify(x, (key, value) => (ArrayBuffer.isView(value) ? Array.from(value) : value));
  for (const [method, args] of calls) {
    const browser = await page.evaluate(([m, a]) => {
      try {
        return { result: JSON.stringify(window.apiLab[m](a), (key, value) => (ArrayBuffer.isView(value) ? Array.from(value) : value)) };
      } catch (e) {
        return { error: e.message };
      }
    }, [method, args]);
    let node;
    try {
      node = { result: asText(lab[method](args)) };
    } catch (e) {
      node = { error: e.message };
    }
    assert.deepEqual(browser, node, `${method} ${JSON.stringify(args)}`);
  }
  session.assertNoProblems();
});

test('bad arguments throw the same Error in Chromium, and the lab keeps working', async () => {
  const good = { q: normals(4, 1), k: normals(6, 2), v: normals(3, 3), nq: 2, nk: 3, dk: 2, dv: 1 };
  const spoilt = [
    { ...good, q: normals(3, 1) },
    { ...good, temperature: 0 },
    { ...good, mask: 'diagonal' },
    { ...good, nk: 1.5 },
    { ...good, k: [NaN, 0, 0, 0, 0, 0] },
  ];
  for (const args of spoilt) {
    const browser = await inBrowser('attention', args);
    let nodeMessage;
    try {
      lab.attention(args);
    } catch (e) {
      nodeMessage = e.message;
    }
    assert.equal(browser.isError, true);
    assert.equal(browser.error, nodeMessage);
    const ok = await inBrowser('attention', good);
    assert.deepEqual(ok.result.output, Array.from(lab.attention(good).output));
  }
  session.assertNoProblems();
});
