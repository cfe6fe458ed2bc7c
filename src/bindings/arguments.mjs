// How every API call reads its options, and how it crosses into the core.
//
// ArgumentChecker reads a call's options object exactly once: it rejects option names
// the call does not know (naming the nearest one it does), then copies each known option
// into a snapshot, so a getter or a Proxy runs once, before anything is checked, and
// nothing the caller controls runs between the checks and the copy into the WASM heap.
// Only the object's own properties count: an option inherited from a prototype (say a
// polluted Object.prototype) is never read. Typed arrays are measured with the
// built-in getters, never their own (a subclass may override `length`), and copied
// through a plain view of the same bytes. Every check throws an Error that names the
// argument. `null` is never "the default": only a missing (undefined) option is.
//
// makeCall(core) returns `call`, which allocates the heap buffers of one core call,
// copies the inputs in, runs the core and copies the outputs out, freeing everything
// whatever happens, so a failed call leaves the lab working.

/** The core's integer arguments cross into C++ as 32-bit size_t: every integer stays below this. */
export const MAX_INTEGER = 2 ** 31 - 1;

/** The heap is 2 GiB at most; refuse anything whose buffers alone would not fit in half. */
export const MAX_CALL_BYTES = 2 ** 30;

/** The largest float32, and the smallest above 0 (a denormal). */
export const FLOAT32_MAX = 3.4028234663852886e38;
export const FLOAT32_MIN = 1.401298464324817e-45;

// The built-in typed-array getters: they read the engine's own fields, whatever a
// subclass or the object itself defines.
const TypedArrayPrototype = Object.getPrototypeOf(Int8Array.prototype);
const intrinsic = (key) => Object.getOwnPropertyDescriptor(TypedArrayPrototype, key).get;
const typedLength = intrinsic('length');
const typedBuffer = intrinsic('buffer');
const typedByteOffset = intrinsic('byteOffset');
const typedKind = intrinsic(Symbol.toStringTag); // 'Float32Array', ...; undefined if not a typed array
const CONSTRUCTORS = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array,
};

/** The kind of typed array `a` is ('Float32Array', ...), or undefined; never runs caller code. */
export function typedArrayKind(a) {
  return ArrayBuffer.isView(a) ? typedKind.call(a) : undefined;
}

/**
 * A plain view of typed array `a`'s current bytes, of its own built-in kind (not a
 * subclass), with its length fixed now: what is copied into the heap. BigInt arrays
 * give undefined.
 */
function plainView(a) {
  const Kind = CONSTRUCTORS[typedKind.call(a)];
  return Kind && new Kind(typedBuffer.call(a), typedByteOffset.call(a), typedLength.call(a));
}

/** How a value looks in an error message: short, and never calling the caller's code. */
export function describe(x) {
  if (x === null) return 'null';
  if (typeof x === 'bigint') return `a BigInt (${x}n); pass a Number instead`;
  if (typeof x === 'symbol') return 'a Symbol';
  if (typeof x === 'function') return 'a function';
  if (Array.isArray(x)) return 'an array';
  if (ArrayBuffer.isView(x)) return `a ${typedArrayKind(x) ?? 'DataView'}`;
  if (typeof x === 'string') return `'${x.length > 40 ? `${x.slice(0, 40)}…` : x}'`;
  if (typeof x === 'object') return 'an object';
  return String(x);
}

/** Levenshtein distance, for "did you mean". */
function editDistance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The known name nearest `name`. */
export function nearestName(name, known) {
  let best = known[0];
  for (const candidate of known) if (editDistance(name, candidate) < editDistance(name, best)) best = candidate;
  return best;
}

const isTypedArray = (a) => typedArrayKind(a) !== undefined;
const isBigIntArray = (a) => ['BigInt64Array', 'BigUint64Array'].includes(typedArrayKind(a));

export class ArgumentChecker {
  /**
   * fn: the call's name, for messages; options: what the caller passed; known: every
   * option name the call accepts.
   */
  constructor(fn, options, known) {
    this.fn = fn;
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new Error(`${fn}: expected one options object, got ${describe(options)}`);
    }
    const own = new Map();
    for (const name of Reflect.ownKeys(options)) {
      if (typeof name === 'symbol') continue;
      const descriptor = Reflect.getOwnPropertyDescriptor(options, name);
      if (descriptor === undefined) continue;
      if (!known.includes(name)) {
        if (!descriptor.enumerable) continue;
        throw new Error(`${fn}: unknown option '${name}' (did you mean '${nearestName(name, known)}'?); `
          + `the options are ${known.join(', ')}`);
      }
      own.set(name, descriptor);
    }
    /** The options as read, once each: what every check and copy uses. */
    this.options = Object.create(null);
    for (const name of known) {
      const descriptor = own.get(name);
      if (descriptor === undefined) continue;
      this.options[name] = 'value' in descriptor ? descriptor.value : descriptor.get?.call(options);
    }
  }

  fail(name, message) {
    throw new Error(`${this.fn}: ${name} ${message}`);
  }

  /** Whether the caller gave option `name` (anything but undefined, null included). */
  has(name) {
    return this.options[name] !== undefined;
  }

  #integer(name, x, min, what) {
    if (typeof x === 'bigint') this.fail(name, `must be ${what}, got ${describe(x)}`);
    if (!Number.isSafeInteger(x) || x < min) this.fail(name, `must be ${what}, got ${describe(x)}`);
    if (x > MAX_INTEGER) this.fail(name, `must be at most ${MAX_INTEGER} (2^31 - 1), got ${x}`);
    return x;
  }

  /** A positive integer (a size), at most MAX_INTEGER; `fallback` when absent (required if none). */
  size(name, fallback) {
    const x = this.options[name];
    if (x === undefined) {
      if (fallback === undefined) this.fail(name, 'is required (a positive integer)');
      return fallback;
    }
    return this.#integer(name, x, 1, 'a positive integer');
  }

  /** A non-negative integer, at most MAX_INTEGER; `fallback` when absent (required if none). */
  count(name, fallback) {
    const x = this.options[name];
    if (x === undefined) {
      if (fallback === undefined) this.fail(name, 'is required (a non-negative integer)');
      return fallback;
    }
    return this.#integer(name, x, 0, 'a non-negative integer');
  }

  /** An integer in [min, max]; `fallback` when absent (required if none). */
  integerIn(name, min, max, fallback) {
    const x = this.options[name];
    if (x === undefined) {
      if (fallback === undefined) this.fail(name, `is required (an integer from ${min} to ${max})`);
      return fallback;
    }
    if (typeof x === 'bigint' || !Number.isSafeInteger(x) || x < min || x > max) {
      this.fail(name, `must be an integer from ${min} to ${max}, got ${describe(x)}`);
    }
    return x;
  }

  /** A seed: an integer from 0 to 2^53 - 1; `fallback` when absent. */
  seed(name, fallback) {
    const x = this.options[name];
    if (x === undefined) return fallback;
    if (typeof x === 'bigint' || !Number.isSafeInteger(x) || x < 0) {
      this.fail(name, `must be a non-negative integer (at most 2^53 - 1), got ${describe(x)}`);
    }
    return x;
  }

  /**
   * An array of `length` finite float32 numbers (any length from 1 to MAX_INTEGER when
   * `length` is undefined): a typed array (not BigInt), or an array (or array-like Proxy)
   * whose length and elements are read exactly once each. Returns what to copy into the
   * core: a plain view of the typed array's bytes (its length fixed here), or a fresh
   * Float32Array holding the array's elements.
   */
  array(name, length, shapeText) {
    const a = this.options[name];
    const wanted = length === undefined ? 'a non-empty array of numbers' : `${shapeText} = ${length} numbers`;
    if (a === undefined) this.fail(name, `is required (${wanted})`);
    if (isBigIntArray(a)) this.fail(name, `must hold Numbers, got ${describe(a)}: BigInt arrays are not accepted`);
    const typed = isTypedArray(a);
    if (!typed && !Array.isArray(a)) this.fail(name, `must be a Float32Array or an array of numbers, got ${describe(a)}`);
    const actual = typed ? typedLength.call(a) : a.length;
    if (length === undefined) {
      if (!Number.isSafeInteger(actual) || actual < 1 || actual > MAX_INTEGER) {
        this.fail(name, `must be a non-empty array of at most ${MAX_INTEGER} numbers, got ${describe(a)} of length ${String(actual)}`);
      }
    } else if (actual !== length) {
      this.fail(name, `must have ${shapeText} = ${length} elements, got ${typeof actual === 'number' ? actual : describe(actual)}`);
    }
    if (typed) return plainView(a);
    const copy = new Float32Array(actual);
    for (let i = 0; i < actual; i++) {
      const x = a[i];
      if (typeof x !== 'number' || !Number.isFinite(x)) this.fail(`${name}[${i}]`, `must be a finite number, got ${describe(x)}`);
      if (Math.abs(x) > FLOAT32_MAX) this.fail(`${name}[${i}]`, `= ${x} does not fit in float32`);
      copy[i] = x;
    }
    return copy;
  }

  /**
   * An array of integers from min to max: an Int32Array, or an array (or array-like Proxy)
   * whose elements are read exactly once each. `length`: the required length, or
   * undefined for any length from 1 to maxLength. `max` may be a function of the length
   * (pointers into the array itself); `noun` names an element in messages. Returns a
   * fresh Int32Array.
   */
  integerArray(name, min, maxOf, { length, maxLength = MAX_INTEGER, shapeText, noun = 'an integer' } = {}) {
    const a = this.options[name];
    const what = typeof maxOf === 'function' ? 'integers' : `integers from ${min} to ${maxOf}`;
    if (a === undefined) this.fail(name, `is required (${length === undefined ? 'an array of' : `${shapeText} = ${length}`} ${what})`);
    if (!Array.isArray(a) && !(isTypedArray(a) && !isBigIntArray(a))) {
      this.fail(name, `must be an array of ${what}, got ${describe(a)}`);
    }
    const actual = isTypedArray(a) ? typedLength.call(a) : a.length;
    if (length !== undefined && actual !== length) this.fail(name, `must have ${shapeText} = ${length} elements, got ${actual}`);
    if (length === undefined && !(actual >= 1 && actual <= maxLength)) {
      this.fail(name, `must hold from 1 to ${maxLength} elements, got ${actual}`);
    }
    const max = typeof maxOf === 'function' ? maxOf(actual) : maxOf;
    const copy = new Int32Array(actual);
    for (let i = 0; i < actual; i++) {
      const x = a[i];
      if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) {
        this.fail(`${name}[${i}]`, `must be ${noun} from ${min} to ${max}, got ${describe(x)}`);
      }
      copy[i] = x;
    }
    return copy;
  }

  /**
   * An array of `length` booleans (an array, or array-like Proxy, read once each), as
   * int32 flags for the core: 1 for true, 0 for false.
   */
  booleanArray(name, length, shapeText) {
    const a = this.options[name];
    if (!Array.isArray(a)) this.fail(name, `must be an array of ${length} booleans (${shapeText}), got ${describe(a)}`);
    const actual = a.length;
    if (actual !== length) this.fail(name, `must have ${length} booleans (${shapeText}), got ${actual}`);
    const flags = new Int32Array(length);
    for (let i = 0; i < length; i++) {
      const x = a[i];
      if (typeof x !== 'boolean') this.fail(`${name}[${i}]`, `must be true or false, got ${describe(x)}`);
      flags[i] = x ? 1 : 0;
    }
    return flags;
  }

  /**
   * The caller's Float32Array `name` of exactly `length` elements to write results into
   * (a plain view of its bytes), or undefined when absent.
   */
  output(name, length, shapeText) {
    const a = this.options[name];
    if (a === undefined) return undefined;
    const actual = typedArrayKind(a) === 'Float32Array' ? typedLength.call(a) : undefined;
    if (actual !== length) {
      this.fail(name, `must be a Float32Array of ${shapeText} = ${length} elements, got ${describe(a)}`
        + `${actual !== undefined ? ` of length ${actual}` : ''}`);
    }
    return plainView(a);
  }

  /** One of `choices` (returns its index); `fallback` when absent. */
  oneOf(name, choices, fallback) {
    const given = this.options[name];
    const x = given === undefined ? fallback : given;
    const i = typeof x === 'string' ? choices.indexOf(x) : -1;
    if (i < 0) this.fail(name, `must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${describe(x)}`);
    return i;
  }

  boolean(name, fallback) {
    const given = this.options[name];
    const x = given === undefined ? fallback : given;
    if (typeof x !== 'boolean') this.fail(name, `must be true or false, got ${describe(x)}`);
    return x;
  }

  /** A number > 0 that is a float32 (1.4e-45 to 3.4e38 after rounding); `fallback` when absent. */
  positiveNumber(name, fallback) {
    const given = this.options[name];
    const x = given === undefined ? fallback : given;
    const range = `a float32 from ${FLOAT32_MIN} to ${FLOAT32_MAX}`;
    if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) {
      this.fail(name, `must be a number > 0 (${range}), got ${describe(x)}`);
    }
    const rounded = Math.fround(x);
    if (rounded === 0) this.fail(name, `= ${x} is too small: it must be ${range}`);
    if (rounded === Infinity) this.fail(name, `= ${x} is too large: it must be ${range}`);
    return x;
  }

  /** A finite number in [min, max]; `fallback` when absent (required if none). */
  numberIn(name, min, max, fallback) {
    const given = this.options[name];
    if (given === undefined && fallback === undefined) this.fail(name, `is required (a number from ${min} to ${max})`);
    const x = given === undefined ? fallback : given;
    if (typeof x !== 'number' || !Number.isFinite(x) || x < min || x > max) {
      this.fail(name, `must be a number from ${min} to ${max}, got ${describe(x)}`);
    }
    return x;
  }

  /**
   * Throws if the buffers of one call (counts in floats) would not fit in the heap,
   * blaming `culprit`, or else the largest buffer.
   */
  fits(floatCounts, culprit) {
    const total = Object.values(floatCounts).reduce((a, b) => a + b, 0) * 4;
    if (!(total <= MAX_CALL_BYTES)) {
      const blamed = culprit ?? Object.entries(floatCounts).sort((a, b) => b[1] - a[1])[0][0];
      this.fail(blamed, `too large: this call needs ${(total / 2 ** 30).toFixed(2)} GiB; at most 1 GiB fits in WebAssembly memory`);
    }
  }
}

/**
 * The one way into the core: call(fn, sizes, inputs, run, collect).
 * sizes: { name: 4-byte element count } of every heap buffer; inputs: { name: array }
 * copied into the buffer of the same name: an Int32Array as 32-bit integers, anything
 * else as float32 (then checked for NaN and infinity by the core); run(p) calls the core
 * with the pointers p and returns "" or an error message; collect(read) copies results
 * out while the buffers live: read(name, target?) returns a Float32Array (`target`, if
 * given) of that buffer's contents, read.int32(name) an Int32Array.
 */
export function makeCall(core) {
  return function call(fn, sizes, inputs, run, collect) {
    const pointers = {};
    try {
      for (const [name, count] of Object.entries(sizes)) {
        const p = core._malloc(Math.max(1, count) * 4);
        if (!p) throw new Error(`${fn}: out of memory allocating ${name} (${count} values)`);
        pointers[name] = p;
      }
      const heap = core.HEAPF32; // views go stale when the heap grows: take them after allocating
      for (const [name, array] of Object.entries(inputs)) {
        if (array instanceof Int32Array) { // integers (indices): copied as they are, already checked
          core.HEAP32.set(array, pointers[name] >>> 2);
          continue;
        }
        heap.set(array, pointers[name] >>> 2);
        const bad = core.firstNonFinite(pointers[name], array.length);
        if (bad < array.length) {
          const x = array[bad];
          throw new Error(`${fn}: ${name}[${bad}] ${Number.isFinite(x) ? `= ${x} does not fit in float32` : `must be a finite number, got ${x}`}`);
        }
      }
      const error = run(pointers);
      if (error) throw new Error(`${fn}: ${error}`);
      // The call itself may have grown the heap: take fresh views. Copy out into
      // `target` if given, else a new array (faster than slice() of the heap).
      const read = (name, target = new Float32Array(sizes[name])) => {
        target.set(core.HEAPF32.subarray(pointers[name] >>> 2, (pointers[name] >>> 2) + sizes[name]));
        return target;
      };
      read.int32 = (name) => Int32Array.from(core.HEAP32.subarray(pointers[name] >>> 2, (pointers[name] >>> 2) + sizes[name]));
      return collect(read);
    } finally {
      for (const p of Object.values(pointers)) core._free(p);
    }
  };
}
