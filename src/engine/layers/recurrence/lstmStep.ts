import * as tf from '@tensorflow/tfjs-core';
import { LSTM_STEP, LSTM_STEP_GRAD } from '@attention-workbench/wasm-kernels';
import { gate, gateSlope, tanhSlope, type GateActivation } from './gateActivation';

/**
 * One time step of an LSTM (gate order i, f, g, o as in Keras and PyTorch), forward and backward, on [B, ...]
 * tensors. A backend may register the kernels LSTM_STEP / LSTM_STEP_GRAD (the wasm backend does, as one loop over
 * the heap each); elsewhere the step is composed of tfjs ops, which native backends run fast.
 *
 *   z = xz + hz                         (xz = x W + b, hz = h_prev U; hz is absent at the first step)
 *   i, f, o = gate(z_i, z_f, z_o)       g = tanh(z_g)
 *   c = f c_prev + i g                  h = o tanh(c)
 */

export interface LstmStepOutput {
  h: tf.Tensor2D;
  c: tf.Tensor2D;
  /** The activated gates [i, f, g, o], [B, 4H]: what the backward pass differentiates. */
  gates: tf.Tensor2D;
  tanhC: tf.Tensor2D;
}

const hasKernel = (name: string) => tf.getKernel(name, tf.getBackend()) !== undefined;
const present = (inputs: Record<string, tf.Tensor | null>) =>
  Object.fromEntries(Object.entries(inputs).filter(([, t]) => t !== null)) as tf.NamedTensorMap;

export function lstmStep(
  xz: tf.Tensor2D,
  hz: tf.Tensor2D | null,
  cPrev: tf.Tensor2D | null,
  activation: GateActivation,
): LstmStepOutput {
  if (hasKernel(LSTM_STEP)) {
    const [h, c, gates, tanhC] = tf.engine().runKernel(LSTM_STEP, present({ xz, hz, cPrev }), {
      activation,
    } as unknown as tf.NamedAttrMap) as tf.Tensor2D[];
    return { h: h!, c: c!, gates: gates!, tanhC: tanhC! };
  }
  const z = hz ? tf.add(xz, hz) : xz;
  const [zi, zf, zg, zo] = tf.split(z, 4, 1);
  const [i, f, g, o] = [gate(zi!, activation), gate(zf!, activation), tf.tanh(zg!), gate(zo!, activation)];
  const c = (cPrev ? tf.add(tf.mul(f, cPrev), tf.mul(i, g)) : tf.mul(i, g)) as tf.Tensor2D;
  const tanhC = tf.tanh(c);
  return { h: tf.mul(o, tanhC) as tf.Tensor2D, c, gates: tf.concat([i, f, g, o], 1) as tf.Tensor2D, tanhC };
}

export interface LstmStepGradInput {
  /** The loss' gradient reaching h from the layer's output at this step, if any. */
  dhOut: tf.Tensor2D | null;
  /** The gradient reaching h through the next step's h U, if any. */
  dhNext: tf.Tensor2D | null;
  /** The gradient reaching c from the next step, if any. */
  dcNext: tf.Tensor2D | null;
  gates: tf.Tensor2D;
  tanhC: tf.Tensor2D;
  cPrev: tf.Tensor2D | null;
}

/** The gradient of the step's pre-activations z ([B, 4H]) and of c_prev. */
export function lstmStepGrad(
  { dhOut, dhNext, dcNext, gates, tanhC, cPrev }: LstmStepGradInput,
  activation: GateActivation,
): { dz: tf.Tensor2D; dcPrev: tf.Tensor2D } {
  if (hasKernel(LSTM_STEP_GRAD)) {
    const [dz, dcPrev] = tf
      .engine()
      .runKernel(LSTM_STEP_GRAD, present({ dhOut, dhNext, dcNext, gates, tanhC, cPrev }), {
        activation,
      } as unknown as tf.NamedAttrMap) as tf.Tensor2D[];
    return { dz: dz!, dcPrev: dcPrev! };
  }
  const parts = [dhOut, dhNext].filter((t): t is tf.Tensor2D => t !== null);
  const dh = parts.length === 2 ? tf.add(parts[0]!, parts[1]!) : (parts[0] ?? tf.zerosLike(tanhC));
  const [i, f, g, o] = tf.split(gates, 4, 1) as tf.Tensor2D[];
  const fromH = tf.mul(tf.mul(dh, o!), tanhSlope(tanhC));
  const dc = dcNext ? tf.add(fromH, dcNext) : fromH;
  const dz = tf.concat(
    [
      tf.mul(tf.mul(dc, g!), gateSlope(i!, activation)),
      cPrev ? tf.mul(tf.mul(dc, cPrev), gateSlope(f!, activation)) : tf.zerosLike(f!),
      tf.mul(tf.mul(dc, i!), tanhSlope(g!)),
      tf.mul(tf.mul(dh, tanhC), gateSlope(o!, activation)),
    ],
    1,
  ) as tf.Tensor2D;
  return { dz, dcPrev: tf.mul(dc, f!) as tf.Tensor2D };
}
