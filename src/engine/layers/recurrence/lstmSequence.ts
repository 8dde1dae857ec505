import * as tf from '@tensorflow/tfjs-core';
import type { GateActivation } from './gateActivation';
import { LSTM_RECURRENCE, LSTM_RECURRENCE_GRAD, type LstmRecurrenceAttrs } from '@attention-workbench/wasm-kernels';
import { lstmStep, lstmStepGrad } from './lstmStep';
import { previousHiddenStates, timeOrder, type Direction } from './timeOrder';

export interface RecurrenceOptions {
  reverse: boolean;
  returnSequences: boolean;
  activation: GateActivation;
}

/**
 * One direction of an LSTM over x [B, T, D] with kernel W [D, 4H], recurrent kernel U [H, 4H] and bias b [4H],
 * with its backward pass through time written out (a tf.customGrad): the input projection x W + b and the weight
 * gradients are one product each over all T steps, and a step costs one small product and one gate step each way.
 * tfjs-layers' LSTM lets autodiff record every op of every step: tens of thousands of kernel calls per batch for
 * a bidirectional layer over 64 steps, against a few hundred here.
 *
 * Returns h over time [B, T, H] (in input order also when reading backwards, as Keras' Bidirectional does) or the
 * last state read [B, H].
 */
export function lstmSequence(
  x: tf.Tensor3D,
  kernel: tf.Tensor2D,
  recurrent: tf.Tensor2D,
  bias: tf.Tensor1D,
  options: RecurrenceOptions,
): tf.Tensor {
  const run = tf.customGrad((...args: unknown[]) => {
    const [input, w, u, b, save] = args as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    const [batch, length, dim] = input.shape;
    const units = u.shape[0];
    const direction: Direction = { length, reverse: options.reverse };
    // Time-major rows: step t is rows [t B, (t + 1) B) of every [T B, .] matrix below.
    const rows = tf.reshape(tf.transpose(input, [1, 0, 2]), [length * batch, dim]);
    const projected = tf.reshape(tf.add(tf.matMul(rows, w), b), [length, batch, 4 * units]) as tf.Tensor3D;
    const attrs: LstmRecurrenceAttrs = { ...options };
    const whole = units % 4 === 0 && tf.getKernel(LSTM_RECURRENCE, tf.getBackend()) !== undefined;
    // [hidden, cells, gates, tanhC], each [T, B, .]: one kernel for every step where the backend has it.
    const [hidden, cells, gates, tanhC] = (
      whole
        ? tf.engine().runKernel(LSTM_RECURRENCE, { projected, recurrent: u }, attrs as unknown as tf.NamedAttrMap)
        : stepByStep(projected, u, direction, options)
    ) as tf.Tensor3D[];
    save([rows, hidden!, cells!, gates!, tanhC!]);
    const last = timeOrder(direction).at(-1)!;
    const value = options.returnSequences
      ? tf.transpose(hidden!, [1, 0, 2])
      : tf.reshape(tf.slice(hidden!, [last, 0, 0], [1, batch, units]), [batch, units]);

    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [savedRows, savedHidden, cells, gates, tanhC] = saved as [
        tf.Tensor2D,
        tf.Tensor3D,
        tf.Tensor3D,
        tf.Tensor3D,
        tf.Tensor3D,
      ];
      const outputGrad = dy as tf.Tensor;
      // Time-major, as the kernels read it; the last step's [B, H] as it is.
      const dyIn = options.returnSequences ? tf.transpose(outputGrad, [1, 0, 2]) : outputGrad;
      const dz = whole
        ? (tf
            .engine()
            .runKernel(
              LSTM_RECURRENCE_GRAD,
              { gates, tanhC, cells, recurrent: u, dy: dyIn },
              attrs as unknown as tf.NamedAttrMap,
            ) as tf.Tensor3D)
        : backStepByStep({ cells, gates, tanhC }, u, dyIn, direction, options);
      const dzRows = tf.reshape(dz, [length * batch, 4 * units]);
      const hiddenBefore = tf.reshape(previousHiddenStates(savedHidden, direction), [length * batch, units]);
      return [
        tf.transpose(tf.reshape(tf.matMul(dzRows, w, false, true), [length, batch, dim]), [1, 0, 2]),
        tf.matMul(savedRows, dzRows, true, false),
        tf.matMul(hiddenBefore, dzRows, true, false),
        tf.sum(dzRows, 0),
      ];
    };
    return { value, gradFunc };
  });
  return run(x, kernel, recurrent, bias);
}

/** The recurrence one tfjs step kernel at a time: [hidden, cells, gates, tanhC], each stacked [T, B, .]. */
function stepByStep(projected: tf.Tensor3D, u: tf.Tensor2D, direction: Direction, options: RecurrenceOptions) {
  const inputs = tf.unstack(projected) as tf.Tensor2D[];
  const steps: ReturnType<typeof lstmStep>[] = new Array(direction.length);
  let previous: ReturnType<typeof lstmStep> | null = null;
  for (const t of timeOrder(direction)) {
    const hz = previous ? (tf.matMul(previous.h, u) as tf.Tensor2D) : null;
    previous = lstmStep(inputs[t]!, hz, previous?.c ?? null, options.activation);
    steps[t] = previous;
  }
  return (['h', 'c', 'gates', 'tanhC'] as const).map((part) => tf.stack(steps.map((s) => s[part])));
}

/** The backward pass through time one tfjs step kernel at a time: dz [T, B, 4H]. */
function backStepByStep(
  saved: { cells: tf.Tensor3D; gates: tf.Tensor3D; tanhC: tf.Tensor3D },
  u: tf.Tensor2D,
  dy: tf.Tensor,
  direction: Direction,
  options: RecurrenceOptions,
): tf.Tensor3D {
  const [cellAt, gatesAt, tanhCAt] = [saved.cells, saved.gates, saved.tanhC].map(
    (s) => tf.unstack(s) as tf.Tensor2D[],
  ) as [tf.Tensor2D[], tf.Tensor2D[], tf.Tensor2D[]];
  const dyAt = options.returnSequences ? (tf.unstack(dy) as tf.Tensor2D[]) : null;
  const order = timeOrder(direction);
  const dz: tf.Tensor2D[] = new Array(direction.length);
  let [dhNext, dcNext]: (tf.Tensor2D | null)[] = [null, null];
  for (let k = order.length - 1; k >= 0; k--) {
    const [t, before] = [order[k]!, k > 0 ? order[k - 1]! : null];
    const step = lstmStepGrad(
      {
        dhOut: dyAt ? dyAt[t]! : k === order.length - 1 ? (dy as tf.Tensor2D) : null,
        dhNext,
        dcNext,
        gates: gatesAt[t]!,
        tanhC: tanhCAt[t]!,
        cPrev: before === null ? null : cellAt[before]!,
      },
      options.activation,
    );
    dz[t] = step.dz;
    [dhNext, dcNext] = [tf.matMul(step.dz, u, false, true) as tf.Tensor2D, step.dcPrev];
  }
  return tf.stack(dz) as tf.Tensor3D;
}
