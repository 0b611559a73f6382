import * as tf from '@tensorflow/tfjs';

/**
 * A few-instruction WebAssembly SIMD assembler, and modules that work IN tfjs-backend-wasm's heap (they import its
 * memory, so a kernel reads its inputs and writes its output where tfjs keeps them: no copy). Why: the training
 * kernels written in JavaScript over the heap (one-pass MaxPoolGrad, bias Sum) run one float at a time, 5–10× below
 * what four float32 lanes give on these memory-bound loops. Only IEEE float32 operations (add, mul, div, sqrt,
 * compare, bit select) are used, so a kernel can reproduce the stock one bit for bit.
 */

export const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const str = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

/** Instructions (byte sequences), named as in the text format. */
const simd = (o: number) => [0xfd, ...uleb(o)];
export const I = {
  get: (l: number) => [0x20, l],
  set: (l: number) => [0x21, l],
  tee: (l: number) => [0x22, l],
  i32: (v: number) => [0x41, ...sleb(v)],
  i32add: [0x6a],
  i32sub: [0x6b],
  i32mul: [0x6c],
  i32ltu: [0x49],
  i32eqz: [0x45],
  /** v128.load / store with a constant byte offset (alignment hint 1 byte: the heap gives 4-byte alignment). */
  load: (off = 0) => [...simd(0x00), 0, ...uleb(off)],
  store: (off = 0) => [...simd(0x0b), 0, ...uleb(off)],
  f32splat: simd(0x13),
  f32ne: simd(0x42),
  f32gt: simd(0x44),
  f32ge: simd(0x46),
  and: simd(0x4e),
  andnot: simd(0x4f),
  or: simd(0x50),
  bitselect: simd(0x52),
  f32sqrt: simd(0xe3),
  f32add: simd(0xe4),
  f32sub: simd(0xe5),
  f32mul: simd(0xe6),
  f32div: simd(0xe7),
  /** f32x4.pmax(a, b) = a < b ? b : a, lane-wise (one maxps): max(x, 0) as pmax(x, 0) keeps a NaN x. */
  f32pmax: simd(0xeb),
  /** i8x16.shuffle with four float32 lanes picked from a (0…3) and b (4…7): each lane's 4 bytes moved as they are. */
  shuffle32: (lanes: [number, number, number, number]) => [...simd(0x0d), ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3])],
  f64splat: simd(0x14),
  f64mul: simd(0xf2),
  f64add: simd(0xf0),
  f64sub: simd(0xf1),
  f32neg: simd(0xe1),
  /** v128.load64_zero: two floats (8 bytes) into lanes 0, 1 (alignment hint 1 byte). */
  load64zero: (off = 0) => [...simd(0x5d), 0, ...uleb(off)],
  /** v128.store64_lane lane 0: lanes 0, 1 of a float32x4 (8 bytes). */
  store64low: (off = 0) => [...simd(0x5b), 0, ...uleb(off), 0],
  i32and: [0x71],
  i32shl: [0x74],
  i32shru: [0x76],
  /** f64x2.promote_low_f32x4: lanes 0, 1 as doubles (exact). */
  f64promoteLow: simd(0x5f),
  /** f32x4.demote_f64x2_zero: two doubles rounded to float32 (to nearest, as Math.fround) in lanes 0, 1; lanes 2, 3 zero. */
  f32demoteZero: simd(0x5e),
  /** f32.demote_f64 (scalar, not SIMD): a double rounded to float32. */
  f32demoteScalar: [0xb6],
  f32const: (v: number) => [0x43, ...Array.from(new Uint8Array(Float32Array.of(v).buffer))],
  /** while (cond) { body } with cond evaluated before each pass (block + loop; cond must leave an i32). */
  loopWhile: (cond: number[], body: number[]) => [0x02, 0x40, 0x03, 0x40, ...cond, 0x45, 0x0d, 1, ...body, 0x0c, 0, 0x0b, 0x0b],
};

function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export interface FuncSpec {
  name: string;
  /** Parameter types: 'i32', 'f32' or 'f64'. */
  params: Array<'i32' | 'f32' | 'f64'>;
  i32Locals: number;
  v128Locals: number;
  body: number[];
}

const TYPE = { i32: 0x7f, f32: 0x7d, f64: 0x7c } as const;

/** A module of functions over one imported memory env.mem. */
export function moduleBytes(funcs: FuncSpec[], ownMemoryPages?: number, sharedImportPages?: number): Uint8Array {
  const types = funcs.flatMap((f) => [0x60, ...uleb(f.params.length), ...f.params.map((p) => TYPE[p]), 0]);
  const codes = funcs.map((f) => {
    const code = [2, ...uleb(f.i32Locals), 0x7f, ...uleb(f.v128Locals), 0x7b, ...f.body, 0x0b];
    return [...uleb(code.length), ...code];
  });
  // env.mem: tfjs's heap (limits: min 0, no max), or a shared memory of exactly `sharedImportPages` (flag 3: shared, max).
  const limits = sharedImportPages === undefined ? [0x00, 0] : [0x03, ...uleb(sharedImportPages), ...uleb(sharedImportPages)];
  const memoryImport = ownMemoryPages === undefined ? section(2, [1, ...str('env'), ...str('mem'), 0x02, ...limits]) : [];
  const memoryOwn = ownMemoryPages === undefined ? [] : section(5, [1, 0x00, ...uleb(ownMemoryPages)]);
  const exports = [...funcs.flatMap((f, i) => [...str(f.name), 0x00, i]), ...(ownMemoryPages === undefined ? [] : [...str('mem'), 0x02, 0])];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [...uleb(funcs.length), ...types]),
    ...memoryImport,
    ...section(3, [...uleb(funcs.length), ...funcs.map((_, i) => i)]),
    ...memoryOwn,
    ...section(7, [...uleb(funcs.length + (ownMemoryPages === undefined ? 0 : 1)), ...exports]),
    ...section(10, [...uleb(funcs.length), ...codes.flat()]),
  ]);
}

/** The WebAssembly API Node provides (the project's TypeScript libs do not describe it). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports?: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}

/** Instantiates a module (null where WebAssembly SIMD is missing or the memory cannot be had). */
export function instantiate(bytes: Uint8Array, memory?: unknown): Record<string, unknown> | null {
  const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (!wasm || !wasm.validate(bytes)) return null;
  return new wasm.Instance(new wasm.Module(bytes), memory === undefined ? {} : { env: { mem: memory } }).exports;
}

/** tfjs-backend-wasm's WebAssembly.Memory (its Emscripten module exports it), when the wasm backend is active. */
export function heapMemory(): { buffer: ArrayBuffer } | null {
  if (tf.getBackend() !== 'wasm') return null;
  const mod = (tf.backend() as unknown as { wasm?: { asm?: { memory?: { buffer: ArrayBuffer } }; HEAPU8?: Uint8Array } }).wasm;
  const mem = mod?.asm?.memory;
  return mem && mod?.HEAPU8 && mem.buffer === mod.HEAPU8.buffer ? mem : null;
}

/** Whether every array is a view of tfjs's wasm heap (so their byte offsets are heap addresses). */
export function allInHeap(...arrays: Float32Array[]): boolean {
  const mem = heapMemory();
  return mem !== null && arrays.every((a) => a.buffer === mem.buffer);
}

/** Per heap memory (one per backend instance), per module: its exports, or null where it cannot run. */
const onHeap = new WeakMap<object, Map<object, Record<string, unknown> | null>>();

/**
 * A file's module keys by name: the same object for the same name, so heapModule instantiates each generated module
 * once per heap (one `moduleKeys()` per file: names need only be unique within it).
 */
export function moduleKeys(): (name: string) => object {
  const keys = new Map<string, object>();
  return (name) => {
    let key = keys.get(name);
    if (!key) keys.set(name, (key = {}));
    return key;
  };
}

/** The module `bytes` makes (once, keyed by `key`) instantiated on tfjs's heap; null off wasm or without SIMD. */
export function heapModule(bytes: () => Uint8Array, key: object): Record<string, unknown> | null {
  const mem = heapMemory();
  if (!mem) return null;
  let mods = onHeap.get(mem);
  if (!mods) onHeap.set(mem, (mods = new Map()));
  if (!mods.has(key)) {
    let ex: Record<string, unknown> | null;
    try {
      ex = instantiate(bytes(), mem);
    } catch {
      ex = null;
    }
    mods.set(key, ex);
  }
  return mods.get(key)!;
}
