/**
 * tanh in float32 precision from a 13/6 rational polynomial on [-7.905, 7.905] and ±1 outside: Eigen's
 * generic_fast_tanh_float, the approximation XLA and TensorFlow's CPU kernels use. Within 3e-7 of Math.tanh
 * everywhere, and about 5x faster in V8 (Math.exp and Math.tanh are calls into the runtime, ~16-21 ns each here).
 */
const CLAMP = 7.90531110763549805;

export function rationalTanh(x: number): number {
  const c = x > CLAMP ? CLAMP : x < -CLAMP ? -CLAMP : x;
  const x2 = c * c;
  let p = -2.76076847742355e-16;
  p = p * x2 + 2.00018790482477e-13;
  p = p * x2 - 8.60467152213735e-11;
  p = p * x2 + 5.12229709037114e-8;
  p = p * x2 + 1.48572235717979e-5;
  p = p * x2 + 6.37261928875436e-4;
  p = p * x2 + 4.89352455891786e-3;
  let q = 1.19825839466702e-6;
  q = q * x2 + 1.18534705686654e-4;
  q = q * x2 + 2.268434632439e-3;
  q = q * x2 + 4.89352518554385e-3;
  return (p * c) / q;
}

/** The logistic sigmoid through tanh: 1 / (1 + e^-x) = (1 + tanh(x / 2)) / 2. */
export const rationalSigmoid = (x: number): number => 0.5 + 0.5 * rationalTanh(0.5 * x);
