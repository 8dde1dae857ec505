import { countUp } from '../heap/watLoops';

/**
 * Reductions and the max gradient over x seen as [outer, reduced, inner] float32 (middleAxisReduce.ts and
 * maxGradOnHeap.ts have the TypeScript versions and the reasons); byte offsets into tfjs' heap.
 *   fold(x, out, outer, reduced, inner, kind): out[o, i] = sum (kind 0), mean (1) or max (2) over r of x[o, r, i];
 *     inner a multiple of 4, reduced >= 1. Rows are folded into the output row in memory order (it stays in cache).
 *     A NaN anywhere makes its lane NaN, as tfjs' max keeps a NaN. Its sums are float32 running sums: the kernels
 *     take foldSum for those.
 *   foldSum(x, out, acc, outer, reduced, inner, mean): out[o, i] = the sum (mean: 0) or mean (1) over r of
 *     x[o, r, i], summed in float64 in `acc` (2 x inner floats of scratch) and rounded once: the error of a float32
 *     running sum grows with `reduced` (a bias gradient sums 32,768 rows of a [32, 32, 32, C] map).
 *   maxGrad(x, y, dy, dx, outer, reduced, inner): dx[o, r, i] = x[o, r, i] == y[o, i] ? dy[o, i] : 0; inner a
 *     multiple of 4.
 *   maxGradLast(x, y, dy, dx, outer, reduced): the same with inner 1 (a max over the innermost axes); reduced a
 *     multiple of 4.
 *   foldLast(x, out, outer, reduced, kind): out[o] = sum (0), mean (1) or max (2) over r of x[o, r]; reduced a
 *     multiple of 4 (wasm's Max over the innermost axis took 1.5 ms on [32, 32, 32, 32], CBAM's channel max); sums
 *     in float64.
 */
export const REDUCE_WAT = `
  (func (export "foldLast")
    (param $x i32) (param $out i32) (param $outer i32) (param $reduced i32) (param $kind i32)
    (local $o i32) (local $i i32) (local $width i32) (local $acc v128) (local $v v128) (local $nan v128)
    (local $result f32) (local $lo v128) (local $hi v128) (local $total f64)
    (local.set $width (i32.shl (local.get $reduced) (i32.const 2)))
    ${countUp('$o', '(local.get $outer)', 1)`
      (local.set $acc (v128.load (local.get $x)))
      (local.set $i (i32.const 16))
      (if (i32.eq (local.get $kind) (i32.const 2))
        (then
          ;; pmax is one instruction where max keeps NaN at a cost (~10x here); NaN is tracked on the side.
          (local.set $nan (f32x4.ne (local.get $acc) (local.get $acc)))
          ${countUp('$i', '(local.get $width)', 16)`
            (local.set $v (v128.load (i32.add (local.get $x) (local.get $i))))
            (local.set $acc (f32x4.pmax (local.get $acc) (local.get $v)))
            (local.set $nan (v128.or (local.get $nan) (f32x4.ne (local.get $v) (local.get $v))))`}
          (local.set $acc (f32x4.pmax (local.get $acc)
            (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $acc) (local.get $acc))))
          (local.set $acc (f32x4.pmax (local.get $acc)
            (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $acc) (local.get $acc))))
          (local.set $result (if (result f32) (v128.any_true (local.get $nan))
            (then (f32.const nan)) (else (f32x4.extract_lane 0 (local.get $acc))))))
        (else
          ;; Sums in float64, two lanes each (a float32 running sum's error grows with the length), rounded once.
          (local.set $lo (f64x2.promote_low_f32x4 (local.get $acc)))
          (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $acc) (local.get $acc))))
          ${countUp('$i', '(local.get $width)', 16)`
            (local.set $v (v128.load (i32.add (local.get $x) (local.get $i))))
            (local.set $lo (f64x2.add (local.get $lo) (f64x2.promote_low_f32x4 (local.get $v))))
            (local.set $hi (f64x2.add (local.get $hi) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))`}
          (local.set $total (f64.add (f64.add (f64x2.extract_lane 0 (local.get $lo)) (f64x2.extract_lane 1 (local.get $lo)))
            (f64.add (f64x2.extract_lane 0 (local.get $hi)) (f64x2.extract_lane 1 (local.get $hi)))))
          (if (i32.eq (local.get $kind) (i32.const 1))
            (then (local.set $total (f64.div (local.get $total) (f64.convert_i32_u (local.get $reduced))))))
          (local.set $result (f32.demote_f64 (local.get $total)))))
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $o) (i32.const 2))) (local.get $result))
      (local.set $x (i32.add (local.get $x) (local.get $width)))`})
  (func (export "fold")
    (param $x i32) (param $out i32) (param $outer i32) (param $reduced i32) (param $inner i32) (param $kind i32)
    (local $o i32) (local $r i32) (local $i i32) (local $row i32) (local $dst i32) (local $width i32) (local $scale v128) (local $v v128)
    (local.set $width (i32.shl (local.get $inner) (i32.const 2)))
    (local.set $scale (f32x4.splat (f32.div (f32.const 1) (f32.convert_i32_u (local.get $reduced)))))
    ${countUp('$o', '(local.get $outer)', 1)`
      (local.set $dst (i32.add (local.get $out) (i32.mul (local.get $o) (local.get $width))))
      (local.set $row (i32.add (local.get $x) (i32.mul (i32.mul (local.get $o) (local.get $reduced)) (local.get $width))))
      ;; the first row as it is
      (local.set $i (i32.const 0))
      ${countUp('$i', '(local.get $width)', 16)`
        (v128.store (i32.add (local.get $dst) (local.get $i)) (v128.load (i32.add (local.get $row) (local.get $i))))`}
      (local.set $r (i32.const 1))
      ${countUp('$r', '(local.get $reduced)', 1)`
        (local.set $row (i32.add (local.get $row) (local.get $width)))
        (local.set $i (i32.const 0))
        ${countUp('$i', '(local.get $width)', 16)`
          (v128.store (i32.add (local.get $dst) (local.get $i))
            (if (result v128) (i32.eq (local.get $kind) (i32.const 2))
              (then
                ;; max keeping NaN, as pmax (one instruction; V8 builds max from several) and a NaN row value kept
                (local.set $v (v128.load (i32.add (local.get $row) (local.get $i))))
                (v128.bitselect (local.get $v)
                  (f32x4.pmax (v128.load (i32.add (local.get $dst) (local.get $i))) (local.get $v))
                  (f32x4.ne (local.get $v) (local.get $v))))
              (else (f32x4.add (v128.load (i32.add (local.get $dst) (local.get $i))) (v128.load (i32.add (local.get $row) (local.get $i)))))))`}`}
      (if (i32.eq (local.get $kind) (i32.const 1))
        (then
          (local.set $i (i32.const 0))
          ${countUp('$i', '(local.get $width)', 16)`
            (v128.store (i32.add (local.get $dst) (local.get $i))
              (f32x4.mul (v128.load (i32.add (local.get $dst) (local.get $i))) (local.get $scale)))`}))`})

  (func (export "foldSum")
    (param $x i32) (param $out i32) (param $acc i32) (param $outer i32) (param $reduced i32) (param $inner i32)
    (param $mean i32)
    (local $o i32) (local $r i32) (local $i i32) (local $row i32) (local $dst i32) (local $width i32) (local $v v128)
    (local $a i32) (local $n v128)
    (local.set $width (i32.shl (local.get $inner) (i32.const 2)))
    (local.set $n (f64x2.splat (if (result f64) (local.get $mean)
      (then (f64.convert_i32_u (local.get $reduced))) (else (f64.const 1)))))
    (local.set $row (local.get $x))
    ${countUp('$o', '(local.get $outer)', 1)`
      (local.set $dst (i32.add (local.get $out) (i32.mul (local.get $o) (local.get $width))))
      (memory.fill (local.get $acc) (i32.const 0) (i32.shl (local.get $width) (i32.const 1)))
      (local.set $r (i32.const 0))
      ${countUp('$r', '(local.get $reduced)', 1)`
        (local.set $i (i32.const 0))
        ${countUp('$i', '(local.get $width)', 16)`
          (local.set $v (v128.load (i32.add (local.get $row) (local.get $i))))
          (local.set $a (i32.add (local.get $acc) (i32.shl (local.get $i) (i32.const 1))))
          (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (f64x2.promote_low_f32x4 (local.get $v))))
          (v128.store offset=16 (local.get $a) (f64x2.add (v128.load offset=16 (local.get $a))
            (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))`}
        (local.set $row (i32.add (local.get $row) (local.get $width)))`}
      (local.set $i (i32.const 0))
      ${countUp('$i', '(local.get $width)', 16)`
        (local.set $a (i32.add (local.get $acc) (i32.shl (local.get $i) (i32.const 1))))
        (v128.store (i32.add (local.get $dst) (local.get $i))
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (f64x2.div (v128.load (local.get $a)) (local.get $n)))
            (f32x4.demote_f64x2_zero (f64x2.div (v128.load offset=16 (local.get $a)) (local.get $n)))))`}`})

  (func (export "maxGrad")
    (param $x i32) (param $y i32) (param $dy i32) (param $dx i32) (param $outer i32) (param $reduced i32) (param $inner i32)
    (local $o i32) (local $r i32) (local $i i32) (local $at i32) (local $kept i32) (local $width i32)
    (local.set $width (i32.shl (local.get $inner) (i32.const 2)))
    ${countUp('$o', '(local.get $outer)', 1)`
      (local.set $kept (i32.mul (local.get $o) (local.get $width)))
      (local.set $r (i32.const 0))
      ${countUp('$r', '(local.get $reduced)', 1)`
        (local.set $i (i32.const 0))
        ${countUp('$i', '(local.get $width)', 16)`
          (v128.store (i32.add (local.get $dx) (i32.add (local.get $at) (local.get $i)))
            (v128.and
              (f32x4.eq
                (v128.load (i32.add (local.get $x) (i32.add (local.get $at) (local.get $i))))
                (v128.load (i32.add (local.get $y) (i32.add (local.get $kept) (local.get $i)))))
              (v128.load (i32.add (local.get $dy) (i32.add (local.get $kept) (local.get $i))))))`}
        (local.set $at (i32.add (local.get $at) (local.get $width)))`}`})

  (func (export "maxGradLast")
    (param $x i32) (param $y i32) (param $dy i32) (param $dx i32) (param $outer i32) (param $reduced i32)
    (local $o i32) (local $at i32) (local $end i32) (local $most v128) (local $gradient v128)
    ${countUp('$o', '(local.get $outer)', 1)`
      (local.set $most (v128.load32_splat (i32.add (local.get $y) (i32.shl (local.get $o) (i32.const 2)))))
      (local.set $gradient (v128.load32_splat (i32.add (local.get $dy) (i32.shl (local.get $o) (i32.const 2)))))
      (local.set $end (i32.add (local.get $at) (i32.shl (local.get $reduced) (i32.const 2))))
      ${countUp('$at', '(local.get $end)', 16)`
        (v128.store (i32.add (local.get $dx) (local.get $at))
          (v128.and (f32x4.eq (v128.load (i32.add (local.get $x) (local.get $at))) (local.get $most)) (local.get $gradient)))`}`})
`;
