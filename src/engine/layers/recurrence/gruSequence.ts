import * as tf from '@tensorflow/tfjs-core';
import { gate, gateSlope, tanhSlope } from './gateActivation';
import type { RecurrenceOptions } from './lstmSequence';
import { previousHiddenStates, timeOrder, type Direction } from './timeOrder';

/**
 * One direction of a GRU over x [B, T, D], kernel W [D, 3H], recurrent kernel U [H, 3H] (gate order z, r, h) and
 * bias b [3H], with its backward pass through time written out, as lstmSequence. The formulation is tfjs-layers'
 * and Keras' default (Cho et al. 2014, the reset gate applied before the product):
 *
 *   z, r = gate(x W_zr + b_zr + h_prev U_zr)
 *   n    = tanh(x W_h + b_h + (r h_prev) U_h)
 *   h    = z h_prev + (1 - z) n
 */
export function gruSequence(
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
    // Split again in the backward pass: what the forward pass makes is disposed when it returns.
    const splitRecurrent = () => tf.split(u, [2 * units, units], 1) as [tf.Tensor2D, tf.Tensor2D];
    const [uGates, uCandidate] = splitRecurrent();
    const direction: Direction = { length, reverse: options.reverse };
    const rows = tf.reshape(tf.transpose(input, [1, 0, 2]), [length * batch, dim]);
    const projected = tf.unstack(tf.reshape(tf.add(tf.matMul(rows, w), b), [length, batch, 3 * units]));
    const steps: { h: tf.Tensor2D; gates: tf.Tensor2D; candidate: tf.Tensor2D; resetHidden: tf.Tensor2D }[] = new Array(
      length,
    );
    let hPrev: tf.Tensor2D | null = null;
    for (const t of timeOrder(direction)) {
      const [xGates, xCandidate] = tf.split(projected[t]!, [2 * units, units], 1);
      const gates = gate(hPrev ? tf.add(xGates!, tf.matMul(hPrev, uGates)) : xGates!, options.activation);
      const [z, r] = tf.split(gates, 2, 1);
      const resetHidden = hPrev ? tf.mul(r!, hPrev) : tf.zerosLike(r!);
      const candidate = tf.tanh(hPrev ? tf.add(xCandidate!, tf.matMul(resetHidden, uCandidate)) : xCandidate!);
      const fromCandidate = tf.mul(tf.sub(1, z!), candidate);
      const h = (hPrev ? tf.add(tf.mul(z!, hPrev), fromCandidate) : fromCandidate) as tf.Tensor2D;
      steps[t] = {
        h,
        gates: gates as tf.Tensor2D,
        candidate: candidate as tf.Tensor2D,
        resetHidden: resetHidden as tf.Tensor2D,
      };
      hPrev = h;
    }
    const hidden = tf.stack(steps.map((s) => s.h)) as tf.Tensor3D;
    const stacked = (key: 'gates' | 'candidate' | 'resetHidden') => tf.stack(steps.map((s) => s[key]));
    save([rows, hidden, stacked('gates'), stacked('candidate'), stacked('resetHidden')]);
    const value = options.returnSequences ? tf.transpose(hidden, [1, 0, 2]) : hPrev!;

    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [savedRows, savedHidden, ...perStep] = saved as tf.Tensor3D[];
      const [uGates, uCandidate] = splitRecurrent();
      const [gatesAt, candidateAt] = perStep.map((s) => tf.unstack(s) as tf.Tensor2D[]);
      const hiddenAt = tf.unstack(savedHidden) as tf.Tensor2D[];
      const outputGrad = dy as tf.Tensor;
      const dyAt = options.returnSequences ? (tf.unstack(tf.transpose(outputGrad, [1, 0, 2])) as tf.Tensor2D[]) : null;
      const order = timeOrder(direction);
      const dGates: tf.Tensor2D[] = new Array(length);
      const dCandidate: tf.Tensor2D[] = new Array(length);
      let dhNext: tf.Tensor | null = null;
      for (let k = order.length - 1; k >= 0; k--) {
        const [t, before] = [order[k]!, k > 0 ? order[k - 1]! : null];
        const dhOut = dyAt ? dyAt[t]! : k === order.length - 1 ? outputGrad : null;
        const dh: tf.Tensor = dhOut && dhNext ? tf.add(dhOut, dhNext) : (dhOut ?? dhNext)!;
        const [z, r] = tf.split(gatesAt![t]!, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
        const candidate = candidateAt![t]!;
        const hBefore = before === null ? null : hiddenAt[before]!;
        const dCandidatePre = tf.mul(tf.mul(dh, tf.sub(1, z)), tanhSlope(candidate));
        const dz = tf.mul(
          tf.mul(dh, hBefore ? tf.sub(hBefore, candidate) : tf.neg(candidate)),
          gateSlope(z, options.activation),
        );
        if (!hBefore) {
          dGates[t] = tf.concat([dz, tf.zerosLike(r)], 1) as tf.Tensor2D;
          dCandidate[t] = dCandidatePre as tf.Tensor2D;
          continue;
        }
        const dResetHidden = tf.matMul(dCandidatePre, uCandidate, false, true);
        const dr = tf.mul(tf.mul(dResetHidden, hBefore), gateSlope(r, options.activation));
        dGates[t] = tf.concat([dz, dr], 1) as tf.Tensor2D;
        dCandidate[t] = dCandidatePre as tf.Tensor2D;
        dhNext = tf.addN([tf.mul(dh, z), tf.mul(dResetHidden, r), tf.matMul(dGates[t]!, uGates, false, true)]);
      }
      const byRows = (steps: tf.Tensor2D[], width: number) => tf.reshape(tf.stack(steps), [length * batch, width]);
      const [gateRows, candidateRows] = [byRows(dGates, 2 * units), byRows(dCandidate, units)];
      const dProjected = tf.concat([gateRows, candidateRows], 1);
      const hiddenBefore = tf.reshape(previousHiddenStates(savedHidden!, direction), [length * batch, units]);
      const resetRows = tf.reshape(perStep[2]!, [length * batch, units]);
      return [
        tf.transpose(tf.reshape(tf.matMul(dProjected, w, false, true), [length, batch, dim]), [1, 0, 2]),
        tf.matMul(savedRows!, dProjected, true, false),
        tf.concat(
          [tf.matMul(hiddenBefore, gateRows, true, false), tf.matMul(resetRows, candidateRows, true, false)],
          1,
        ),
        tf.sum(dProjected, 0),
      ];
    };
    return { value, gradFunc };
  });
  return run(x, kernel, recurrent, bias);
}
