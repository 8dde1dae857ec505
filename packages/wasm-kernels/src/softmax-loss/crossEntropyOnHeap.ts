import * as tf from '@tensorflow/tfjs-core';
import { CROSS_ENTROPY, CROSS_ENTROPY_GRAD, type CrossEntropyAttrs } from '../kernelNames';
import { type WasmHeapBackend } from '../heap/wasmHeap';
import { registerOnHeap } from '../heap/registerOnHeap';

/**
 * The loss's two kernels (kernelNames.ts's CROSS_ENTROPY has the formulas) as loops over the heap in float64: logits are a
 * few thousand values ([32, 10], [32 * 24, 10]), where tfjs' fixed cost per kernel call, twenty calls each way, was
 * the whole cost. A target outside [0, C) has no one-hot entry, as tf.oneHot gives it, and the gradient is p - y
 * as tfjs takes it.
 */
function forward(inputs: tf.NamedTensorInfoMap, attrs: CrossEntropyAttrs, backend: WasmHeapBackend) {
  const { logits, targets } = inputs as Record<string, tf.TensorInfo>;
  const classes = logits!.shape.at(-1)!;
  const rows = tf.util.sizeFromShape(logits!.shape) / classes;
  const outputs = [
    backend.makeOutput([], 'float32'),
    backend.makeOutput(logits!.shape, 'float32'),
    backend.makeOutput([rows], 'float32'),
  ];
  const [loss, probs, weights] = outputs.map((o) => backend.typedArrayFromHeap(o) as Float32Array) as Float32Array[];
  const [x, t] = [backend.typedArrayFromHeap(logits!), backend.typedArrayFromHeap(targets!)];
  const spread = attrs.smoothing / classes;
  let counted = 0;
  for (let r = 0; r < rows; r++) if (!attrs.masked || t[r] !== 0) counted++;
  const weight = 1 / Math.max(counted, 1);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const at = r * classes;
    let [most, sum, all] = [-Infinity, 0, 0];
    for (let c = 0; c < classes; c++) most = Math.max(most, x[at + c]!);
    for (let c = 0; c < classes; c++) {
      const e = Math.exp(x[at + c]! - most);
      probs![at + c] = e;
      sum += e;
      all += x[at + c]!;
    }
    for (let c = 0; c < classes; c++) probs![at + c]! /= sum;
    const target = t[r]!;
    weights![r] = attrs.masked && target === 0 ? 0 : weight;
    if (weights![r] === 0) continue;
    const inRange = target >= 0 && target < classes;
    const logSumExp = most + Math.log(sum);
    const mass = (inRange ? 1 - attrs.smoothing : 0) + attrs.smoothing; // sum_c y_c
    const picked = (inRange ? (1 - attrs.smoothing) * x[at + target]! : 0) + spread * all; // sum_c y_c x_c
    total += weights![r]! * (mass * logSumExp - picked);
  }
  loss![0] = total;
  return outputs;
}

function backward(inputs: tf.NamedTensorInfoMap, attrs: CrossEntropyAttrs, backend: WasmHeapBackend) {
  const { probs, weights, targets, dy } = inputs as Record<string, tf.TensorInfo>;
  const classes = probs!.shape.at(-1)!;
  const rows = tf.util.sizeFromShape(probs!.shape) / classes;
  const dx = backend.makeOutput(probs!.shape, 'float32');
  const [out, p, w, t, g] = [dx, probs!, weights!, targets!, dy!].map((info) => backend.typedArrayFromHeap(info));
  const spread = attrs.smoothing / classes;
  for (let r = 0; r < rows; r++) {
    const at = r * classes;
    const scale = g![0]! * w![r]!;
    const target = t![r]!;
    // p - y, as tfjs' softmaxCrossEntropy differentiates it (exact where y sums to 1, every target in range).
    for (let c = 0; c < classes; c++) {
      const y = (c === target ? 1 - attrs.smoothing : 0) + spread;
      out![at + c] = scale * (p![at + c]! - y);
    }
  }
  return dx;
}

export function installCrossEntropyOnHeap(backendName: string): void {
  registerOnHeap(CROSS_ENTROPY, backendName, (inputs, attrs, backend) =>
    forward(inputs, attrs as unknown as CrossEntropyAttrs, backend),
  );
  registerOnHeap(CROSS_ENTROPY_GRAD, backendName, (inputs, attrs, backend) =>
    backward(inputs, attrs as unknown as CrossEntropyAttrs, backend),
  );
}
