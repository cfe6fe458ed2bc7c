// A tiny protobuf writer that emits ONNX ModelProto bytes for the two attention graphs
// the benchmark runs in onnxruntime-web. Field numbers follow onnx/onnx.proto.
const enc = new TextEncoder();

class Writer {
  constructor() { this.bytes = []; }
  varint(v) {
    let x = BigInt(v);
    if (x < 0n) x += 1n << 64n; // int64 two's complement
    do {
      let b = Number(x & 0x7fn);
      x >>= 7n;
      if (x) b |= 0x80;
      this.bytes.push(b);
    } while (x);
    return this;
  }
  tag(field, wire) { return this.varint((field << 3) | wire); }
  int(field, v) { return this.tag(field, 0).varint(v); }
  bytesField(field, u8) { this.tag(field, 2).varint(u8.length); for (const b of u8) this.bytes.push(b); return this; }
  string(field, s) { return this.bytesField(field, enc.encode(s)); }
  message(field, w) { return this.bytesField(field, w.finish()); }
  float(field, f) {
    const b = new Uint8Array(4); new DataView(b.buffer).setFloat32(0, f, true);
    this.tag(field, 5); for (const x of b) this.bytes.push(x); return this;
  }
  finish() { return Uint8Array.from(this.bytes); }
}

const FLOAT = 1; // TensorProto.DataType.FLOAT
const ATTR_FLOAT = 1; const ATTR_INT = 2; // AttributeProto.AttributeType

// dims: numbers (dim_value) or strings (dim_param)
function valueInfo(name, dims) {
  const shape = new Writer();
  for (const d of dims) {
    const dim = new Writer();
    if (typeof d === 'string') dim.string(2, d); else dim.int(1, d);
    shape.message(1, dim);
  }
  const tensorType = new Writer().int(1, FLOAT).message(2, shape);
  const type = new Writer().message(1, tensorType);
  return new Writer().string(1, name).message(2, type);
}

function attr(name, value) {
  const w = new Writer().string(1, name);
  if (Number.isInteger(value.i)) w.int(3, value.i).int(20, ATTR_INT);
  else w.float(2, value.f).int(20, ATTR_FLOAT);
  return w;
}

function node(opType, inputs, outputs, attrs = [], name = opType) {
  const w = new Writer();
  for (const i of inputs) w.string(1, i);
  for (const o of outputs) w.string(2, o);
  w.string(3, name).string(4, opType);
  for (const a of attrs) w.message(5, a);
  return w;
}

function scalarInitializer(name, f) {
  const raw = new Uint8Array(4); new DataView(raw.buffer).setFloat32(0, f, true);
  return new Writer().int(2, FLOAT).string(8, name).bytesField(9, raw); // no dims: a scalar
}

function model({ opset, irVersion, nodes, inputs, outputs, initializers = [], graphName }) {
  const g = new Writer();
  for (const n of nodes) g.message(1, n);
  g.string(2, graphName);
  for (const t of initializers) g.message(5, t);
  for (const i of inputs) g.message(11, i);
  for (const o of outputs) g.message(12, o);
  const opsetId = new Writer().string(1, '').int(2, opset);
  return new Writer()
    .int(1, irVersion)
    .string(2, 'attention-lab bench')
    .message(7, g)
    .message(8, opsetId)
    .finish();
}

// MatMul(Q, KT) * scale -> Softmax(-1) -> MatMul(., V). Q: [n, d], KT: [d, n], V: [n, d].
export function matmulSoftmaxModel({ d, scale, opset = 17 }) {
  return model({
    opset, irVersion: 8, graphName: 'attention_matmul_softmax',
    nodes: [
      node('MatMul', ['Q', 'KT'], ['S'], [], 'qk'),
      node('Mul', ['S', 'scale'], ['Ss'], [], 'scale'),
      node('Softmax', ['Ss'], ['W'], [attr('axis', { i: -1 })], 'softmax'),
      node('MatMul', ['W', 'V'], ['O'], [], 'wv'),
    ],
    initializers: [scalarInitializer('scale', scale)],
    inputs: [valueInfo('Q', ['n', d]), valueInfo('KT', [d, 'n']), valueInfo('V', ['n', d])],
    outputs: [valueInfo('O', ['n', d])],
  });
}

// Opset-23 Attention. Q, K, V: [1, h, n, d] (4-D: the head count h comes from the shape).
export function attentionOpModel({ d, scale, opset = 23 }) {
  return model({
    opset, irVersion: 11, graphName: 'attention_op23',
    nodes: [node('Attention', ['Q', 'K', 'V'], ['O'], [attr('scale', { f: scale })], 'attention')],
    inputs: [valueInfo('Q', [1, 'h', 'n', d]), valueInfo('K', [1, 'h', 'n', d]), valueInfo('V', [1, 'h', 'n', d])],
    outputs: [valueInfo('O', [1, 'h', 'n', d])],
  });
}
