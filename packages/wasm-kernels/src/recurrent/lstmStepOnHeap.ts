import * as tf from '@tensorflow/tfjs-core';
import { LSTM_STEP, LSTM_STEP_GRAD } from '../kernelNames';
import { rationalSigmoid, rationalTanh } from '../elementwise/rationalTanh';
import { heapSimd } from '../heap/heapSimd';
import { type WasmHeapBackend } from '../heap/wasmHeap';
import { registerOnHeap } from '../heap/registerOnHeap';

/**
 * An LSTM time step's gate arithmetic as one loop over the wasm heap each way (kernelNames.ts's LSTM_STEP has
 * the formulas and the same step composed of tfjs ops). Composed, a step is about 20 kernel calls forward and 30
 * backward, each with wasm's fixed cost per call, on only B x 4H elements. Where the heap SIMD module loaded and H is
 * a multiple of 4, the same loops run there four units at a time (lstmStepWat.ts: a cnn-lstm-text step's 128
 * forward steps 5.1 -> ~0.8 ms here).
 */
type Activation = 'sigmoid' | 'hardSigmoid';

const squash = (x: number, sigmoid: boolean) =>
  sigmoid ? rationalSigmoid(x) : Math.min(1, Math.max(0, 0.2 * x + 0.5));
const slope = (s: number, sigmoid: boolean) => (sigmoid ? s * (1 - s) : s > 0 && s < 1 ? 0.2 : 0);

/** Byte addresses of the named inputs (0 where absent) and a bit per present one, for the SIMD module. */
function addresses(inputs: tf.NamedTensorInfoMap, names: string[], address: (info: tf.TensorInfo) => number) {
  const present = names.reduce((bits, name, i) => (inputs[name] ? bits | (1 << i) : bits), 0);
  return { at: names.map((name) => (inputs[name] ? address(inputs[name]!) : 0)), present };
}

/** Views of the inputs that are there (optional ones may be absent), taken after every output is allocated. */
function views(backend: WasmHeapBackend, inputs: tf.NamedTensorInfoMap, names: string[]) {
  return names.map((name) => (inputs[name] ? (backend.typedArrayFromHeap(inputs[name]!) as Float32Array) : null));
}

function lstmStepForward(inputs: tf.NamedTensorInfoMap, kind: Activation, backend: WasmHeapBackend) {
  const [batch, width] = inputs['xz']!.shape as [number, number];
  const units = width / 4;
  const outputs = [
    backend.makeOutput([batch, units], 'float32'),
    backend.makeOutput([batch, units], 'float32'),
    backend.makeOutput([batch, width], 'float32'),
    backend.makeOutput([batch, units], 'float32'),
  ];
  const simd = heapSimd();
  if (simd && units % 4 === 0) {
    const { at, present } = addresses(inputs, ['xz', 'hz', 'cPrev'], simd.address);
    const [xz, hz, cPrev] = at as [number, number, number];
    const [h, c, gates, tanhC] = outputs.map(simd.address) as [number, number, number, number];
    simd.lstmStep(xz, hz, cPrev, h, c, gates, tanhC, batch, units, kind === 'sigmoid' ? 0 : 1, present >> 1);
    return outputs;
  }
  const [h, c, gates, tanhC] = outputs.map((o) => backend.typedArrayFromHeap(o) as Float32Array) as Float32Array[];
  const [xz, hz, cPrev] = views(backend, inputs, ['xz', 'hz', 'cPrev']);
  // Plain index arithmetic: a closure or a destructured array per element costs more than the arithmetic.
  const sigmoid = kind === 'sigmoid';
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < units; j++) {
      const zi = b * width + j;
      const zf = zi + units;
      const zg = zf + units;
      const zo = zg + units;
      const k = b * units + j;
      const i = squash(xz![zi]! + (hz ? hz[zi]! : 0), sigmoid);
      const f = squash(xz![zf]! + (hz ? hz[zf]! : 0), sigmoid);
      const g = rationalTanh(xz![zg]! + (hz ? hz[zg]! : 0));
      const o = squash(xz![zo]! + (hz ? hz[zo]! : 0), sigmoid);
      const cell = f * (cPrev ? cPrev[k]! : 0) + i * g;
      const squashed = rationalTanh(cell);
      gates![zi] = i;
      gates![zf] = f;
      gates![zg] = g;
      gates![zo] = o;
      c![k] = cell;
      tanhC![k] = squashed;
      h![k] = o * squashed;
    }
  }
  return outputs;
}

function lstmStepBackward(inputs: tf.NamedTensorInfoMap, kind: Activation, backend: WasmHeapBackend) {
  const [batch, width] = inputs['gates']!.shape as [number, number];
  const units = width / 4;
  const outputs = [backend.makeOutput([batch, width], 'float32'), backend.makeOutput([batch, units], 'float32')];
  const names = ['dhOut', 'dhNext', 'dcNext', 'gates', 'tanhC', 'cPrev'];
  const simd = heapSimd();
  if (simd && units % 4 === 0) {
    const { at, present } = addresses(inputs, names, simd.address);
    // present: dhOut 1, dhNext 2, dcNext 4, cPrev (bit 5 here) 8
    const flags = (present & 7) | (present & 32 ? 8 : 0);
    const [dhOut, dhNext, dcNext, gates, tanhC, cPrev] = at as [number, number, number, number, number, number];
    const [dz, dcPrev] = outputs.map(simd.address) as [number, number];
    const hard = kind === 'sigmoid' ? 0 : 1;
    simd.lstmStepGrad(dhOut, dhNext, dcNext, gates, tanhC, cPrev, dz, dcPrev, batch, units, hard, flags);
    return outputs;
  }
  const [dz, dcPrev] = outputs.map((o) => backend.typedArrayFromHeap(o) as Float32Array) as Float32Array[];
  const [dhOut, dhNext, dcNext, gates, tanhC, cPrev] = views(backend, inputs, [
    'dhOut',
    'dhNext',
    'dcNext',
    'gates',
    'tanhC',
    'cPrev',
  ]);
  const sigmoid = kind === 'sigmoid';
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < units; j++) {
      const zi = b * width + j;
      const zf = zi + units;
      const zg = zf + units;
      const zo = zg + units;
      const k = b * units + j;
      const i = gates![zi]!;
      const f = gates![zf]!;
      const g = gates![zg]!;
      const o = gates![zo]!;
      const dh = (dhOut ? dhOut[k]! : 0) + (dhNext ? dhNext[k]! : 0);
      const t = tanhC![k]!;
      const dc = dh * o * (1 - t * t) + (dcNext ? dcNext[k]! : 0);
      dz![zi] = dc * g * slope(i, sigmoid);
      dz![zf] = dc * (cPrev ? cPrev[k]! : 0) * slope(f, sigmoid);
      dz![zg] = dc * i * (1 - g * g);
      dz![zo] = dh * t * slope(o, sigmoid);
      dcPrev![k] = dc * f;
    }
  }
  return outputs;
}

/** Registers the two step kernels for the wasm backend; the layer composes tfjs ops wherever they are absent. */
export function installLstmStepOnHeap(backendName: string): void {
  for (const [kernelName, run] of [
    [LSTM_STEP, lstmStepForward],
    [LSTM_STEP_GRAD, lstmStepBackward],
  ] as const) {
    registerOnHeap(kernelName, backendName, (inputs, attrs, backend) =>
      run(inputs, (attrs as { activation: Activation }).activation, backend),
    );
  }
}
