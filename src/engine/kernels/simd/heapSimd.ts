import type * as tf from '@tensorflow/tfjs-core';
import { heapAddresses } from '../wasmHeap';
import { ADAM_WAT } from './adamWat';
import { REDUCE_WAT } from './reduceWat';
import { MAX_POOL_GRAD_WAT } from './maxPoolGradWat';
import { GEMM_WAT } from './gemmWat';
import { BATCH_NORM_WAT } from './batchNormWat';
import { PLANE_CONV_WAT } from './planeConvWat';
import { DROPOUT_MASK_WAT } from './dropoutMaskWat';
import { LAYER_NORM_WAT } from './layerNormWat';
import { LSTM_STEP_WAT } from './lstmStepWat';
import { SOFTMAX_GRAD_WAT } from './softmaxGradWat';
import { ATTENTION_POOLS_WAT } from './attentionPoolsWat';
import { ARITHMETIC_OPS, BROADCAST_ARITHMETIC_WAT, type ArithmeticOp } from './broadcastArithmeticWat';
import { COPY_ROWS_WAT, TRANSPOSE_WAT } from './transposeWat';
import { UNFOLD_WAT } from './unfoldWat';
import { CONV_GEMM_WAT } from './convGemmWat';
import { WINOGRAD_WAT } from './winogradWat';

/**
 * Kernels in WebAssembly SIMD that run on tfjs-backend-wasm's own heap: a small module, assembled from text by wabt
 * when the backend starts, that imports the backend's memory, so it reads and writes tensors where they lie.
 * TypeScript loops over the heap run one float at a time (4-6 ns an element here); these run four lanes at a time
 * (Adam over 512k weights: 9.8 ms as a JavaScript loop, 7.0 as a dozen wasm kernels, 1.1 here). Where the backend's
 * internals or SIMD are missing, nothing loads and the TypeScript kernels serve.
 */
export interface HeapSimd {
  adam(
    ...args: [number, number, number, number, number, number, number, number, number, number, number, number, number]
  ): void;
  fold(x: number, out: number, outer: number, reduced: number, inner: number, kind: 0 | 1 | 2): void;
  foldLast(x: number, out: number, outer: number, reduced: number, kind: 0 | 1 | 2): void;
  maxGrad(x: number, y: number, dy: number, dx: number, outer: number, reduced: number, inner: number): void;
  maxGradLast(x: number, y: number, dy: number, dx: number, outer: number, reduced: number): void;
  swapLastTwo(source: number, target: number, outer: number, m: number, n: number): void;
  copyRows(...args: [number, number, number, number, number, number, number, number, number]): void;
  gemm(...args: [number, number, number, number, number, number, number, number, number, number, number]): void;
  gemmInto(...args: [number, number, number, number, number, number, number, number, number, number, number]): void;
  maxPoolGrad(...args: number[]): void;
  maxPoolGradTiled(...args: number[]): void;
  planeConv(...args: number[]): void;
  planeConvFilterGrad(...args: number[]): void;
  dropoutMask(...args: [number, number, number, number, number, number, number, number]): void;
  layerNorm(...args: [number, number, number, number, number, number, number, number, number]): void;
  layerNormGrad(...args: [number, number, number, number, number, number, number, number, number, number]): void;
  lstmStep(...args: number[]): void;
  tanh(x: number, y: number, n: number): void;
  lstmStepGrad(...args: number[]): void;
  /** rowsAdd, splatMul, ...: simd/broadcastArithmeticWat.ts. */
  broadcast: Record<`rows${ArithmeticOp}` | `splat${ArithmeticOp}`, (...args: number[]) => void>;
  softmaxGrad(y: number, dy: number, dx: number, rows: number, length: number): void;
  reluInPlace(x: number, n: number): void;
  channelPools(x: number, out: number, rows: number, channels: number): void;
  channelPoolsGrad(...args: [number, number, number, number, number, number]): void;
  spatialPoolsGrad(...args: [number, number, number, number, number, number, number]): void;
  scaleShift(x: number, out: number, params: number, rows: number, channels: number): void;
  channelSums(x: number, dy: number, mean: number, sums: number, rows: number, channels: number): void;
  channelMoments(x: number, out: number, rows: number, channels: number): void;
  scaleShiftPair(dy: number, x: number, out: number, params: number, rows: number, channels: number): void;
  unfold(...args: number[]): void;
  /** simd/convGemmWat.ts. */
  convGemm(...args: number[]): void;
  convFilterGemm(...args: number[]): void;
  /** simd/winogradWat.ts. */
  winogradInput(...args: number[]): void;
  winogradOutput(...args: number[]): void;
  winogradFilter(g: number, u: number, pairs: number, tapStep: number): void;
  winogradGradient(...args: number[]): void;
  winogradFilterGradient(m: number, dw: number, pairs: number): void;
  /** The byte offset of a tensor's data in the heap. */
  address(info: tf.TensorInfo): number;
}

/** The part of the WebAssembly API used here (this project's Node typings do not declare it). */
interface WebAssemblyApi {
  Memory: abstract new (...args: never[]) => object;
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: object } }>;
}
const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

interface BackendInternals {
  wasm?: { asm?: { memory?: object } };
}

let loaded: HeapSimd | null = null;
let reason = 'not loaded';

export const heapSimd = (): HeapSimd | null => (suspended ? null : loaded);
let suspended = false;

/** Runs `work` with the TypeScript kernels only, as on a backend where SIMD did not load (tests compare both). */
export async function withoutHeapSimd<T>(work: () => Promise<T>): Promise<T> {
  suspended = true;
  try {
    return await work();
  } finally {
    suspended = false;
  }
}
/** Why the SIMD kernels are not in use, for the backend's report; null when they are. */
export const heapSimdProblem = (): string | null => (loaded ? null : reason);

export async function loadHeapSimd(backend: tf.KernelBackend): Promise<void> {
  if (loaded) return;
  const memory = (backend as unknown as BackendInternals).wasm?.asm?.memory;
  const address = heapAddresses(backend);
  if (!(memory instanceof webAssembly.Memory) || !address) {
    reason = 'the wasm backend does not expose its memory';
    return;
  }
  try {
    const { default: initWabt } = await import('wabt');
    const wabt = await initWabt();
    const source = `(module (import "env" "memory" (memory 1)) ${ADAM_WAT} ${REDUCE_WAT} ${TRANSPOSE_WAT} ${COPY_ROWS_WAT} ${GEMM_WAT} ${BATCH_NORM_WAT} ${PLANE_CONV_WAT} ${DROPOUT_MASK_WAT} ${LAYER_NORM_WAT} ${LSTM_STEP_WAT} ${SOFTMAX_GRAD_WAT} ${ATTENTION_POOLS_WAT} ${BROADCAST_ARITHMETIC_WAT} ${MAX_POOL_GRAD_WAT} ${UNFOLD_WAT} ${CONV_GEMM_WAT} ${WINOGRAD_WAT})`;
    const parsed = wabt.parseWat('heapSimd.wat', source, { simd: true, bulk_memory: true });
    const { buffer } = parsed.toBinary({});
    parsed.destroy();
    const { instance } = await webAssembly.instantiate(buffer, { env: { memory } });
    const exports = instance.exports as unknown as Omit<HeapSimd, 'address'>;
    loaded = {
      adam: exports.adam,
      fold: exports.fold,
      foldLast: exports.foldLast,
      maxGrad: exports.maxGrad,
      maxGradLast: exports.maxGradLast,
      swapLastTwo: exports.swapLastTwo,
      copyRows: exports.copyRows,
      gemm: exports.gemm,
      gemmInto: exports.gemmInto,
      maxPoolGrad: exports.maxPoolGrad,
      maxPoolGradTiled: exports.maxPoolGradTiled,
      scaleShift: exports.scaleShift,
      planeConv: exports.planeConv,
      dropoutMask: exports.dropoutMask,
      layerNorm: exports.layerNorm,
      lstmStep: exports.lstmStep,
      tanh: exports.tanh,
      reluInPlace: exports.reluInPlace,
      channelPools: exports.channelPools,
      channelPoolsGrad: exports.channelPoolsGrad,
      spatialPoolsGrad: exports.spatialPoolsGrad,
      softmaxGrad: exports.softmaxGrad,
      broadcast: Object.fromEntries(
        (Object.keys(ARITHMETIC_OPS) as ArithmeticOp[]).flatMap((op) =>
          [`rows${op}`, `splat${op}`].map((name) => [name, (exports as unknown as Record<string, () => void>)[name]!]),
        ),
      ) as HeapSimd['broadcast'],
      lstmStepGrad: exports.lstmStepGrad,
      layerNormGrad: exports.layerNormGrad,
      planeConvFilterGrad: exports.planeConvFilterGrad,
      channelSums: exports.channelSums,
      channelMoments: exports.channelMoments,
      scaleShiftPair: exports.scaleShiftPair,
      unfold: exports.unfold,
      convGemm: exports.convGemm,
      convFilterGemm: exports.convFilterGemm,
      winogradInput: exports.winogradInput,
      winogradOutput: exports.winogradOutput,
      winogradFilter: exports.winogradFilter,
      winogradGradient: exports.winogradGradient,
      winogradFilterGradient: exports.winogradFilterGradient,
      address,
    };
  } catch (error) {
    reason = `WebAssembly SIMD kernels did not load: ${(error as Error).message.split('\n')[0]}`;
  }
}
