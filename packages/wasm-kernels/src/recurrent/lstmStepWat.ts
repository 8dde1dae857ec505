import { countUp, loopUntil } from '../heap/watLoops';

/**
 * An LSTM time step's gate arithmetic four units at a time (lstmStepOnHeap.ts has the TypeScript loop this mirrors
 * and kernelNames.ts's LSTM_STEP the formulas); float32 on tfjs' heap, units a multiple of 4. tanh is the same
 * 13/6 rational polynomial as rationalTanh.ts (Eigen's, which TensorFlow's CPU kernels use), here in float32 as
 * Eigen evaluates it; the sigmoid is (1 + tanh(x / 2)) / 2, the hard sigmoid min(1, max(0, 0.2 x + 0.5)).
 *   lstmStep(xz, hz, cPrev, h, c, gates, tanhC, batch, units, hard, present)
 *   lstmStepGrad(dhOut, dhNext, dcNext, gates, tanhC, cPrev, dz, dcPrev, batch, units, hard, present)
 * `present` has a bit per optional input, in the order listed (forward: hz 1, cPrev 2; backward: dhOut 1, dhNext 2,
 * dcNext 4, cPrev 8); an absent one is read as 0.
 *   tanh(x, y, n): the same tanh over n floats, n a multiple of 4 (the Tanh kernel, tanhOnHeap.ts)
 */
const f32x4 = (value: number) => `(v128.const f32x4 ${value} ${value} ${value} ${value})`;

const P = [
  -2.76076847742355e-16, 2.00018790482477e-13, -8.60467152213735e-11, 5.12229709037114e-8, 1.48572235717979e-5,
  6.37261928875436e-4, 4.89352455891786e-3,
];
const Q = [1.19825839466702e-6, 1.18534705686654e-4, 2.268434632439e-3, 4.89352518554385e-3];

/** Horner's rule over x2 for the coefficients, highest first. */
const horner = (coefficients: number[]) =>
  coefficients
    .slice(1)
    .reduce((acc, k) => `(f32x4.add (f32x4.mul ${acc} (local.get $x2)) ${f32x4(k)})`, f32x4(coefficients[0]!));

/** Loads the optional input at `base` + $at, or zeros where its bit of $present is clear. */
const optional = (base: string, bit: number) =>
  `(if (result v128) (i32.and (local.get $present) (i32.const ${bit}))
     (then (v128.load (i32.add (local.get ${base}) (local.get $at)))) (else (v128.const i32x4 0 0 0 0)))`;

export const LSTM_STEP_WAT = `
  (func $tanh4 (param $x v128) (result v128) (local $c v128) (local $x2 v128)
    (local.set $c (f32x4.pmax (f32x4.pmin (local.get $x) ${f32x4(7.90531110763549805)}) ${f32x4(-7.90531110763549805)}))
    (local.set $x2 (f32x4.mul (local.get $c) (local.get $c)))
    (f32x4.div (f32x4.mul ${horner(P)} (local.get $c)) ${horner(Q)}))
  (func $gate4 (param $x v128) (param $hard i32) (result v128)
    (if (result v128) (local.get $hard)
      (then (f32x4.pmax (f32x4.pmin (f32x4.add (f32x4.mul (local.get $x) ${f32x4(0.2)}) ${f32x4(0.5)}) ${f32x4(1)})
        (v128.const i32x4 0 0 0 0)))
      (else (f32x4.add ${f32x4(0.5)} (f32x4.mul ${f32x4(0.5)} (call $tanh4 (f32x4.mul (local.get $x) ${f32x4(0.5)})))))))
  (func $slope4 (param $s v128) (param $hard i32) (result v128)
    (if (result v128) (local.get $hard)
      (then (v128.and (v128.and (f32x4.gt (local.get $s) (v128.const i32x4 0 0 0 0)) (f32x4.lt (local.get $s) ${f32x4(1)}))
        ${f32x4(0.2)}))
      (else (f32x4.mul (local.get $s) (f32x4.sub ${f32x4(1)} (local.get $s))))))
  (func (export "tanh") (param $x i32) (param $y i32) (param $n i32) (local $end i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    ${loopUntil('(i32.ge_u (local.get $x) (local.get $end))')`
      (v128.store (local.get $y) (call $tanh4 (v128.load (local.get $x))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $y (i32.add (local.get $y) (i32.const 16)))`})
  (func (export "lstmStep")
    (param $xz i32) (param $hz i32) (param $cPrev i32) (param $h i32) (param $c i32) (param $gates i32)
    (param $tanhC i32) (param $batch i32) (param $units i32) (param $hard i32) (param $present i32)
    (local $b i32) (local $j i32) (local $row i32) (local $gate i32) (local $at i32) (local $k i32)
    (local $i v128) (local $f v128) (local $g v128) (local $o v128) (local $cell v128) (local $t v128)
    (local.set $gate (i32.shl (local.get $units) (i32.const 2)))
    ${countUp('$b', '(local.get $batch)', 1)`
      (local.set $j (i32.const 0))
      ${countUp('$j', '(local.get $gate)', 16)`
        ;; $at: the i gate's byte offset in [B, 4H]; $k: the unit's in [B, H]
        (local.set $at (i32.add (i32.mul (local.get $b) (i32.shl (local.get $gate) (i32.const 2))) (local.get $j)))
        (local.set $k (i32.add (i32.mul (local.get $b) (local.get $gate)) (local.get $j)))
        (local.set $i (call $gate4 (f32x4.add (v128.load (i32.add (local.get $xz) (local.get $at))) ${optional('$hz', 1)}) (local.get $hard)))
        (local.set $at (i32.add (local.get $at) (local.get $gate)))
        (local.set $f (call $gate4 (f32x4.add (v128.load (i32.add (local.get $xz) (local.get $at))) ${optional('$hz', 1)}) (local.get $hard)))
        (local.set $at (i32.add (local.get $at) (local.get $gate)))
        (local.set $g (call $tanh4 (f32x4.add (v128.load (i32.add (local.get $xz) (local.get $at))) ${optional('$hz', 1)})))
        (local.set $at (i32.add (local.get $at) (local.get $gate)))
        (local.set $o (call $gate4 (f32x4.add (v128.load (i32.add (local.get $xz) (local.get $at))) ${optional('$hz', 1)}) (local.get $hard)))
        (local.set $at (local.get $k))
        (local.set $cell (f32x4.add (f32x4.mul (local.get $f) ${optional('$cPrev', 2)}) (f32x4.mul (local.get $i) (local.get $g))))
        (local.set $t (call $tanh4 (local.get $cell)))
        (local.set $at (i32.add (i32.mul (local.get $b) (i32.shl (local.get $gate) (i32.const 2))) (local.get $j)))
        (v128.store (i32.add (local.get $gates) (local.get $at)) (local.get $i))
        (local.set $at (i32.add (local.get $at) (local.get $gate)))
        (v128.store (i32.add (local.get $gates) (local.get $at)) (local.get $f))
        (local.set $at (i32.add (local.get $at) (local.get $gate)))
        (v128.store (i32.add (local.get $gates) (local.get $at)) (local.get $g))
        (local.set $at (i32.add (local.get $at) (local.get $gate)))
        (v128.store (i32.add (local.get $gates) (local.get $at)) (local.get $o))
        (v128.store (i32.add (local.get $c) (local.get $k)) (local.get $cell))
        (v128.store (i32.add (local.get $tanhC) (local.get $k)) (local.get $t))
        (v128.store (i32.add (local.get $h) (local.get $k)) (f32x4.mul (local.get $o) (local.get $t)))`}`})
  (func (export "lstmStepGrad")
    (param $dhOut i32) (param $dhNext i32) (param $dcNext i32) (param $gates i32) (param $tanhC i32) (param $cPrev i32)
    (param $dz i32) (param $dcPrev i32) (param $batch i32) (param $units i32) (param $hard i32) (param $present i32)
    (local $b i32) (local $j i32) (local $gate i32) (local $at i32) (local $k i32) (local $z i32)
    (local $i v128) (local $f v128) (local $g v128) (local $o v128) (local $dh v128) (local $dc v128) (local $t v128)
    (local.set $gate (i32.shl (local.get $units) (i32.const 2)))
    ${countUp('$b', '(local.get $batch)', 1)`
      (local.set $j (i32.const 0))
      ${countUp('$j', '(local.get $gate)', 16)`
        (local.set $z (i32.add (i32.mul (local.get $b) (i32.shl (local.get $gate) (i32.const 2))) (local.get $j)))
        (local.set $k (i32.add (i32.mul (local.get $b) (local.get $gate)) (local.get $j)))
        (local.set $i (v128.load (i32.add (local.get $gates) (local.get $z))))
        (local.set $f (v128.load (i32.add (local.get $gates) (i32.add (local.get $z) (local.get $gate)))))
        (local.set $g (v128.load (i32.add (local.get $gates) (i32.add (local.get $z) (i32.shl (local.get $gate) (i32.const 1))))))
        (local.set $o (v128.load (i32.add (local.get $gates) (i32.add (local.get $z) (i32.mul (local.get $gate) (i32.const 3))))))
        (local.set $at (local.get $k))
        (local.set $dh (f32x4.add ${optional('$dhOut', 1)} ${optional('$dhNext', 2)}))
        (local.set $t (v128.load (i32.add (local.get $tanhC) (local.get $k))))
        (local.set $dc (f32x4.add
          (f32x4.mul (f32x4.mul (local.get $dh) (local.get $o)) (f32x4.sub ${f32x4(1)} (f32x4.mul (local.get $t) (local.get $t))))
          ${optional('$dcNext', 4)}))
        (v128.store (i32.add (local.get $dz) (local.get $z))
          (f32x4.mul (f32x4.mul (local.get $dc) (local.get $g)) (call $slope4 (local.get $i) (local.get $hard))))
        (v128.store (i32.add (local.get $dz) (i32.add (local.get $z) (local.get $gate)))
          (f32x4.mul (f32x4.mul (local.get $dc) ${optional('$cPrev', 8)}) (call $slope4 (local.get $f) (local.get $hard))))
        (v128.store (i32.add (local.get $dz) (i32.add (local.get $z) (i32.shl (local.get $gate) (i32.const 1))))
          (f32x4.mul (f32x4.mul (local.get $dc) (local.get $i)) (f32x4.sub ${f32x4(1)} (f32x4.mul (local.get $g) (local.get $g)))))
        (v128.store (i32.add (local.get $dz) (i32.add (local.get $z) (i32.mul (local.get $gate) (i32.const 3))))
          (f32x4.mul (f32x4.mul (local.get $dh) (local.get $t)) (call $slope4 (local.get $o) (local.get $hard))))
        (v128.store (i32.add (local.get $dcPrev) (local.get $k)) (f32x4.mul (local.get $dc) (local.get $f)))`}`})
`;
