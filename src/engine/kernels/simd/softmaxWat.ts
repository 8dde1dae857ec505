/**
 * Softmax over the rows of x [rows, length] float32 and its gradient, four lanes at a time (softmaxOnHeap.ts has
 * the reasons); length a multiple of 4.
 *   softmax(x, y, rows, length): y = exp(x - max) / sum exp(x - max), per row
 *   softmaxGrad(y, dy, dx, rows, length): dx = y * (dy - sum(dy * y)), per row
 * exp is Cephes' expf (a degree-6 polynomial after reducing by ln 2 in two parts, within 2 ulp of the true value
 * over the range softmax uses); below -87.34, where float32 has no normal result, it is 0 (tfjs' exp gives 0 or a
 * subnormal there), and NaN stays NaN.
 */
const f32x4 = (value: number) => `(v128.const f32x4 ${value} ${value} ${value} ${value})`;
const EXP_P = [1.98756915e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1];
const LOWEST = -87.3365447504019;
/** 1.5 * 2^23: adding it rounds a float32 of magnitude below 2^22 to an integer. */
const ROUNDER = 12582912;

const horner = EXP_P.slice(1).reduce(
  (acc, k) => `(f32x4.add (f32x4.mul ${acc} (local.get $t)) ${f32x4(k)})`,
  f32x4(EXP_P[0]!),
);

const sumLanes = (v: string) =>
  `(f32.add (f32.add (f32x4.extract_lane 0 ${v}) (f32x4.extract_lane 1 ${v}))
            (f32.add (f32x4.extract_lane 2 ${v}) (f32x4.extract_lane 3 ${v})))`;

/** A loop over the row, $i in bytes. */
const overRow = (body: string) => `
      (local.set $i (i32.const 0))
      (block $rowDone (loop $rowNext
        (br_if $rowDone (i32.ge_u (local.get $i) (local.get $width)))
        ${body}
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $rowNext)))`;

/**
 * e^x of the v128 expression `x` into $e, inline (a call per vector cost as much as the arithmetic); needs the locals
 * $x4 $c $shifted $n $t $p.
 */
const exp4 = (x: string) => `
        (local.set $x4 ${x})
        ;; pmin/pmax are single instructions (min/max keep NaN at a cost); NaN x stays NaN through them either way.
        (local.set $c (f32x4.pmax (f32x4.pmin (local.get $x4) ${f32x4(88)}) ${f32x4(LOWEST)}))
        ;; n = round(c / ln 2): adding 1.5 * 2^23 rounds to an integer, held in the low bits of the sum's mantissa.
        (local.set $shifted (f32x4.add (f32x4.mul (local.get $c) ${f32x4(1.4426950408889634)}) ${f32x4(ROUNDER)}))
        (local.set $n (f32x4.sub (local.get $shifted) ${f32x4(ROUNDER)}))
        (local.set $t (f32x4.sub (local.get $c) (f32x4.mul (local.get $n) ${f32x4(0.693359375)})))
        (local.set $t (f32x4.sub (local.get $t) (f32x4.mul (local.get $n) ${f32x4(-2.1219444e-4)})))
        (local.set $p (f32x4.add (f32x4.add (f32x4.mul ${horner} (f32x4.mul (local.get $t) (local.get $t)))
          (local.get $t)) ${f32x4(1)}))
        ;; times 2^n, made from n's bits as (n + 127) << 23; 0 below float32's normal range
        (local.set $e (v128.andnot
          (f32x4.mul (local.get $p)
            (i32x4.shl (i32x4.add (i32x4.sub (local.get $shifted) ${f32x4(ROUNDER)}) (i32x4.splat (i32.const 127)))
              (i32.const 23)))
          (f32x4.lt (local.get $x4) ${f32x4(LOWEST)})))`;

export const SOFTMAX_WAT = `
  (func (export "softmax") (param $x i32) (param $y i32) (param $rows i32) (param $length i32)
    (local $r i32) (local $i i32) (local $width i32) (local $acc v128) (local $e v128) (local $most f32) (local $scale v128)
    (local $x4 v128) (local $c v128) (local $shifted v128) (local $n v128) (local $t v128) (local $p v128)
    (local.set $width (i32.shl (local.get $length) (i32.const 2)))
    (block $rowsDone (loop $rowsNext
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $acc (v128.load (local.get $x)))
      ${overRow(`(local.set $acc (f32x4.pmax (local.get $acc) (v128.load (i32.add (local.get $x) (local.get $i)))))`)}
      ;; (A NaN may be lost from the maximum; it still makes its row's sum, and so the whole row, NaN.)
      (local.set $most (f32.max (f32.max (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
        (f32.max (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
      (local.set $scale (f32x4.splat (local.get $most)))
      (local.set $acc (v128.const i32x4 0 0 0 0))
      ${overRow(`${exp4('(f32x4.sub (v128.load (i32.add (local.get $x) (local.get $i))) (local.get $scale))')}
        (v128.store (i32.add (local.get $y) (local.get $i)) (local.get $e))
        (local.set $acc (f32x4.add (local.get $acc) (local.get $e)))`)}
      (local.set $scale (f32x4.splat (f32.div (f32.const 1) ${sumLanes('(local.get $acc)')})))
      ${overRow(`(v128.store (i32.add (local.get $y) (local.get $i))
          (f32x4.mul (v128.load (i32.add (local.get $y) (local.get $i))) (local.get $scale)))`)}
      (local.set $x (i32.add (local.get $x) (local.get $width)))
      (local.set $y (i32.add (local.get $y) (local.get $width)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowsNext))))
  (func (export "softmaxGrad") (param $y i32) (param $dy i32) (param $dx i32) (param $rows i32) (param $length i32)
    (local $r i32) (local $i i32) (local $width i32) (local $acc v128) (local $total v128)
    (local.set $width (i32.shl (local.get $length) (i32.const 2)))
    (block $rowsDone (loop $rowsNext
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $acc (v128.const i32x4 0 0 0 0))
      ${overRow(`(local.set $acc (f32x4.add (local.get $acc)
          (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $i))) (v128.load (i32.add (local.get $y) (local.get $i))))))`)}
      (local.set $total (f32x4.splat ${sumLanes('(local.get $acc)')}))
      ${overRow(`(v128.store (i32.add (local.get $dx) (local.get $i)) (f32x4.mul (v128.load (i32.add (local.get $y) (local.get $i)))
          (f32x4.sub (v128.load (i32.add (local.get $dy) (local.get $i))) (local.get $total))))`)}
      (local.set $y (i32.add (local.get $y) (local.get $width)))
      (local.set $dy (i32.add (local.get $dy) (local.get $width)))
      (local.set $dx (i32.add (local.get $dx) (local.get $width)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowsNext))))
`;
