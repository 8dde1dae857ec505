import { countUp } from '../heap/watLoops';

/**
 * Layer normalisation over the rows of x [rows, d] float32, d a multiple of 4 (layerNormOnHeap.ts has the
 * formulas); byte offsets into tfjs' heap.
 *   layerNorm(x, gamma, beta, y, mean, rstd, rows, d, eps): y and each row's mean and 1 / sqrt(var + eps), the
 *     row's sums (of x, then of (x - mean)^2) in float64: a float32 running sum's error grows with d
 *   layerNormGrad(x, gamma, dy, mean, rstd, dx, dgamma, dbeta, acc, rows, d): dx, and dgamma and dbeta summed over
 *     the rows in float64 (in `acc`, 4 x d floats of scratch) and rounded once: a float32 running sum's error grows
 *     with the rows (batch x tokens); each row's two sums over d (of dy gamma and of dy gamma xhat) in float64 too
 */
/** A loop over the row's columns, $c in bytes. */
const overColumns = (body: string) => `
      (local.set $c (i32.const 0))
      ${countUp('$c', '(local.get $width)', 16)`
        ${body}`}`;

/** The four lanes of two f64x2 accumulators, added in float64. */
const sumF64 = (a: string, b: string) =>
  `(f64.add (f64.add (f64x2.extract_lane 0 ${a}) (f64x2.extract_lane 1 ${a}))
            (f64.add (f64x2.extract_lane 0 ${b}) (f64x2.extract_lane 1 ${b})))`;

const at = (base: string) => `(i32.add (local.get ${base}) (local.get $c))`;

/** The first two lanes of a f32x4 as f64x2, and the last two. */
const low = (v: string) => `(f64x2.promote_low_f32x4 ${v})`;
const high = (v: string) => `(f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 ${v} ${v}))`;
/** Two f64x2 rounded to one f32x4: [low0, low1, high0, high1]. */
const narrow = (lowHalf: string, highHalf: string) =>
  `(i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (f32x4.demote_f64x2_zero ${lowHalf}) (f32x4.demote_f64x2_zero ${highHalf}))`;
/** The f64x2 at the address in `pointer` + `offset` += value. */
const addF64 = (pointer: string, offset: number, value: string) =>
  `(v128.store offset=${offset} (local.get ${pointer}) (f64x2.add (v128.load offset=${offset} (local.get ${pointer})) ${value}))`;

export const LAYER_NORM_WAT = `
  (func (export "layerNorm")
    (param $x i32) (param $gamma i32) (param $beta i32) (param $y i32) (param $mean i32) (param $rstd i32)
    (param $rows i32) (param $d i32) (param $eps f32)
    (local $r i32) (local $c i32) (local $width i32) (local $s0 v128) (local $s1 v128) (local $t v128)
    (local $mu f32) (local $rs f32) (local $muv v128) (local $rsv v128) (local $inverse f64)
    (local.set $width (i32.shl (local.get $d) (i32.const 2)))
    (local.set $inverse (f64.div (f64.const 1) (f64.convert_i32_u (local.get $d))))
    ${countUp('$r', '(local.get $rows)', 1)`
      (local.set $s0 (v128.const i32x4 0 0 0 0))
      (local.set $s1 (v128.const i32x4 0 0 0 0))
      ${overColumns(`(local.set $t (v128.load ${at('$x')}))
        (local.set $s0 (f64x2.add (local.get $s0) ${low('(local.get $t)')}))
        (local.set $s1 (f64x2.add (local.get $s1) ${high('(local.get $t)')}))`)}
      (local.set $mu (f32.demote_f64 (f64.mul ${sumF64('(local.get $s0)', '(local.get $s1)')} (local.get $inverse))))
      (local.set $muv (f32x4.splat (local.get $mu)))
      (local.set $s0 (v128.const i32x4 0 0 0 0))
      (local.set $s1 (v128.const i32x4 0 0 0 0))
      ;; x - mean is exact in float32 where x is near the mean (Sterbenz); its square and sum are in float64.
      ${overColumns(`(local.set $t (f32x4.sub (v128.load ${at('$x')}) (local.get $muv)))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul ${low('(local.get $t)')} ${low('(local.get $t)')})))
        (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul ${high('(local.get $t)')} ${high('(local.get $t)')})))`)}
      (local.set $rs (f32.demote_f64 (f64.div (f64.const 1) (f64.sqrt (f64.add
        (f64.mul ${sumF64('(local.get $s0)', '(local.get $s1)')} (local.get $inverse))
        (f64.promote_f32 (local.get $eps)))))))
      (local.set $rsv (f32x4.splat (local.get $rs)))
      ${overColumns(`(v128.store ${at('$y')} (f32x4.add
          (f32x4.mul (f32x4.mul (f32x4.sub (v128.load ${at('$x')}) (local.get $muv)) (local.get $rsv))
            (v128.load ${at('$gamma')}))
          (v128.load ${at('$beta')})))`)}
      (f32.store (i32.add (local.get $mean) (i32.shl (local.get $r) (i32.const 2))) (local.get $mu))
      (f32.store (i32.add (local.get $rstd) (i32.shl (local.get $r) (i32.const 2))) (local.get $rs))
      (local.set $x (i32.add (local.get $x) (local.get $width)))
      (local.set $y (i32.add (local.get $y) (local.get $width)))`})
  (func (export "layerNormGrad")
    (param $x i32) (param $gamma i32) (param $dy i32) (param $mean i32) (param $rstd i32) (param $dx i32)
    (param $dgamma i32) (param $dbeta i32) (param $acc i32) (param $rows i32) (param $d i32)
    (local $r i32) (local $c i32) (local $width i32) (local $a v128) (local $b v128) (local $g v128) (local $xhat v128)
    (local $scaled v128) (local $muv v128) (local $rsv v128) (local $inverse f64) (local $p i32) (local $q i32)
    (local $t v128) (local $a1 v128) (local $b1 v128)
    (local.set $width (i32.shl (local.get $d) (i32.const 2)))
    ;; dgamma's and dbeta's sums over the rows in float64 (d doubles each), rounded into them at the end.
    (memory.fill (local.get $acc) (i32.const 0) (i32.shl (local.get $width) (i32.const 2)))
    (local.set $inverse (f64.div (f64.const 1) (f64.convert_i32_u (local.get $d))))
    ${countUp('$r', '(local.get $rows)', 1)`
      (local.set $muv (v128.load32_splat (i32.add (local.get $mean) (i32.shl (local.get $r) (i32.const 2)))))
      (local.set $rsv (v128.load32_splat (i32.add (local.get $rstd) (i32.shl (local.get $r) (i32.const 2)))))
      (local.set $a (v128.const i32x4 0 0 0 0))
      (local.set $a1 (v128.const i32x4 0 0 0 0))
      (local.set $b (v128.const i32x4 0 0 0 0))
      (local.set $b1 (v128.const i32x4 0 0 0 0))
      ${overColumns(`(local.set $xhat (f32x4.mul (f32x4.sub (v128.load ${at('$x')}) (local.get $muv)) (local.get $rsv)))
        (local.set $g (v128.load ${at('$dy')}))
        (local.set $scaled (f32x4.mul (local.get $g) (v128.load ${at('$gamma')})))
        (local.set $a (f64x2.add (local.get $a) ${low('(local.get $scaled)')}))
        (local.set $a1 (f64x2.add (local.get $a1) ${high('(local.get $scaled)')}))
        (local.set $t (f32x4.mul (local.get $scaled) (local.get $xhat)))
        (local.set $b (f64x2.add (local.get $b) ${low('(local.get $t)')}))
        (local.set $b1 (f64x2.add (local.get $b1) ${high('(local.get $t)')}))
        (local.set $p (i32.add (local.get $acc) (i32.shl (local.get $c) (i32.const 1))))
        (local.set $q (i32.add (local.get $p) (i32.shl (local.get $width) (i32.const 1))))
        (local.set $t (f32x4.mul (local.get $g) (local.get $xhat)))
        ${addF64('$p', 0, low('(local.get $t)'))}
        ${addF64('$p', 16, high('(local.get $t)'))}
        ${addF64('$q', 0, low('(local.get $g)'))}
        ${addF64('$q', 16, high('(local.get $g)'))}`)}
      (local.set $a (f32x4.splat (f32.demote_f64 (f64.mul ${sumF64('(local.get $a)', '(local.get $a1)')} (local.get $inverse)))))
      (local.set $b (f32x4.splat (f32.demote_f64 (f64.mul ${sumF64('(local.get $b)', '(local.get $b1)')} (local.get $inverse)))))
      ${overColumns(`(local.set $xhat (f32x4.mul (f32x4.sub (v128.load ${at('$x')}) (local.get $muv)) (local.get $rsv)))
        (v128.store ${at('$dx')} (f32x4.mul (local.get $rsv) (f32x4.sub
          (f32x4.sub (f32x4.mul (v128.load ${at('$dy')}) (v128.load ${at('$gamma')})) (local.get $a))
          (f32x4.mul (local.get $xhat) (local.get $b)))))`)}
      (local.set $x (i32.add (local.get $x) (local.get $width)))
      (local.set $dy (i32.add (local.get $dy) (local.get $width)))
      (local.set $dx (i32.add (local.get $dx) (local.get $width)))`}
    ${overColumns(`(local.set $p (i32.add (local.get $acc) (i32.shl (local.get $c) (i32.const 1))))
      (local.set $q (i32.add (local.get $p) (i32.shl (local.get $width) (i32.const 1))))
      (v128.store ${at('$dgamma')} ${narrow('(v128.load (local.get $p))', '(v128.load offset=16 (local.get $p))')})
      (v128.store ${at('$dbeta')} ${narrow('(v128.load (local.get $q))', '(v128.load offset=16 (local.get $q))')})`)})
`;
