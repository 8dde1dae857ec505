import * as tf from '@tensorflow/tfjs-core';
import { LSTM_RECURRENCE, LSTM_RECURRENCE_GRAD, type LstmRecurrenceAttrs } from '../kernelNames';
import { heapSimd, type HeapSimd } from '../heap/heapSimd';
import { isWasmHeapBackend, type WasmHeapBackend } from '../heap/wasmHeap';
import { registerOnHeap } from '../heap/registerOnHeap';

/**
 * An LSTM's whole recurrence in one kernel call each way, on the wasm heap (kernelNames.ts's LSTM_RECURRENCE has
 * the formulas): every step's product h_prev U (the SIMD module's gemm) and its gate arithmetic (its lstmStep) run
 * on windows into time-major tensors, so a sequence of T steps is 2T calls into WebAssembly instead of 2T tfjs
 * kernels (each with tfjs' fixed cost of ~10-20 us) plus the unstacking and stacking of every step's tensors.
 *   forward:  {projected [T, B, 4H] = x W + b, recurrent U [H, 4H]} -> [hidden, cells, gates [T, B, 4H], tanhC]
 *   backward: {gates, tanhC, cells, recurrent, dy ([T, B, H] time-major, or [B, H] for the last step only)} -> dz
 * Registered only where the module loaded; the layer calls it for H in fours.
 */
const BYTES = 4;

function requireSimd(backend: tf.KernelBackend): [HeapSimd, WasmHeapBackend] {
  const simd = heapSimd();
  if (!simd || !isWasmHeapBackend(backend)) throw new Error(`${LSTM_RECURRENCE} needs the heap SIMD module`);
  return [simd, backend];
}

function forward(inputs: tf.NamedTensorInfoMap, attrs: LstmRecurrenceAttrs, anyBackend: tf.KernelBackend) {
  const [simd, backend] = requireSimd(anyBackend);
  const { projected, recurrent } = inputs as Record<string, tf.TensorInfo>;
  const [length, batch, width] = projected!.shape as [number, number, number];
  const units = width / 4;
  const outputs = [
    backend.makeOutput([length, batch, units], 'float32'),
    backend.makeOutput([length, batch, units], 'float32'),
    backend.makeOutput([length, batch, width], 'float32'),
    backend.makeOutput([length, batch, units], 'float32'),
  ];
  const hz = backend.makeOutput([batch, width], 'float32');
  const [hidden, cells, gates, tanhC] = outputs.map(simd.address) as [number, number, number, number];
  const [xz, u, hzAt] = [projected!, recurrent!, hz].map(simd.address) as [number, number, number];
  const [state, row] = [batch * units * BYTES, batch * width * BYTES];
  const hard = attrs.activation === 'sigmoid' ? 0 : 1;
  let previous = -1;
  for (let k = 0; k < length; k++) {
    const t = attrs.reverse ? length - 1 - k : k;
    if (previous >= 0)
      simd.gemm(hidden + previous * state, u, hzAt, 1, batch, units, width, 0, 0, units * BYTES, BYTES);
    simd.lstmStep(
      ...[xz + t * row, hzAt, previous >= 0 ? cells + previous * state : 0],
      ...[hidden + t * state, cells + t * state, gates + t * row, tanhC + t * state],
      ...[batch, units, hard, previous >= 0 ? 3 : 0],
    );
    previous = t;
  }
  backend.disposeData(hz.dataId);
  return outputs;
}

function backward(inputs: tf.NamedTensorInfoMap, attrs: LstmRecurrenceAttrs, anyBackend: tf.KernelBackend) {
  const [simd, backend] = requireSimd(anyBackend);
  const { gates, tanhC, cells, recurrent, dy } = inputs as Record<string, tf.TensorInfo>;
  const [length, batch, width] = gates!.shape as [number, number, number];
  const units = width / 4;
  const dz = backend.makeOutput([length, batch, width], 'float32');
  const scratch = [
    backend.makeOutput([width, units], 'float32'), // U^T
    backend.makeOutput([batch, units], 'float32'), // dh reaching the step from the next one read
    backend.makeOutput([batch, units], 'float32'), // dc likewise, updated in place
  ];
  const [uT, dhNext, dcNext] = scratch.map(simd.address) as [number, number, number];
  simd.swapLastTwo(simd.address(recurrent!), uT, 1, units, width);
  const [gatesAt, tanhCAt, cellsAt, dyAt, dzAt] = [gates!, tanhC!, cells!, dy!, dz].map(simd.address) as number[];
  const [state, row] = [batch * units * BYTES, batch * width * BYTES];
  const hard = attrs.activation === 'sigmoid' ? 0 : 1;
  const at = (k: number) => (attrs.reverse ? length - 1 - k : k);
  for (let k = length - 1; k >= 0; k--) {
    const t = at(k);
    // The loss reaches h at every step read (a sequence out), or at the last one only.
    const hasOut = attrs.returnSequences || k === length - 1;
    const dhOut = attrs.returnSequences ? dyAt! + t * state : dyAt!;
    // present: dhOut 1, dhNext 2 and dcNext 4 (from the step read after this one), cPrev 8
    const present = (hasOut ? 1 : 0) | (k < length - 1 ? 6 : 0) | (k > 0 ? 8 : 0);
    simd.lstmStepGrad(
      ...[dhOut, dhNext, dcNext, gatesAt! + t * row, tanhCAt! + t * state, k > 0 ? cellsAt! + at(k - 1) * state : 0],
      ...[dzAt! + t * row, dcNext, batch, units, hard, present],
    );
    if (k > 0) simd.gemm(dzAt! + t * row, uT, dhNext, 1, batch, width, units, 0, 0, width * BYTES, BYTES);
  }
  for (const info of scratch) backend.disposeData(info.dataId);
  return dz;
}

/** Registers both kernels for the wasm backend where the heap SIMD module loaded. */
export function installLstmRecurrenceOnHeap(backendName: string): void {
  if (!heapSimd()) return;
  registerOnHeap(LSTM_RECURRENCE, backendName, (inputs, attrs, backend) =>
    forward(inputs, attrs as unknown as LstmRecurrenceAttrs, backend),
  );
  registerOnHeap(LSTM_RECURRENCE_GRAD, backendName, (inputs, attrs, backend) =>
    backward(inputs, attrs as unknown as LstmRecurrenceAttrs, backend),
  );
}
