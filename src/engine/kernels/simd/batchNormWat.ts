/**
 * Batch normalisation over x seen as [rows, channels] float32, channels a multiple of 4 (batchNormOnHeap.ts has
 * the formulas and the reasons); byte offsets into tfjs' heap.
 *   scaleShift(x, out, params, rows, channels): out[r, c] = x[r, c] * params[c] + params[channels + c]
 *   channelSums(x, dy, mean, sums, rows, channels): sums[c] += dy[r, c] and sums[channels + c] +=
 *     dy[r, c] * (x[r, c] - mean[c]) over every row, into sums the caller zeroed
 *   channelMoments(x, out, rows, channels): out[c] = the mean of x[:, c], out[channels + c] = the mean of
 *     (x[:, c] - out[c])^2, in two passes (no cancellation where the mean is large against the spread)
 *   scaleShiftPair(dy, x, out, params, rows, channels): out[r, c] = dy[r, c] * params[c] +
 *     x[r, c] * params[channels + c] + params[2 * channels + c]
 */
export const BATCH_NORM_WAT = `
  (func (export "scaleShift")
    (param $x i32) (param $out i32) (param $params i32) (param $rows i32) (param $channels i32)
    (local $r i32) (local $c i32) (local $width i32)
    (local.set $width (i32.shl (local.get $channels) (i32.const 2)))
    (block $rowsDone (loop $rowNext
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $c (i32.const 0))
      (block $channelsDone (loop $channelNext
        (br_if $channelsDone (i32.ge_u (local.get $c) (local.get $width)))
        (v128.store (i32.add (local.get $out) (local.get $c))
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $x) (local.get $c))) (v128.load (i32.add (local.get $params) (local.get $c))))
            (v128.load (i32.add (i32.add (local.get $params) (local.get $width)) (local.get $c)))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $channelNext)))
      (local.set $x (i32.add (local.get $x) (local.get $width)))
      (local.set $out (i32.add (local.get $out) (local.get $width)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowNext))))
  (func (export "channelSums")
    (param $x i32) (param $dy i32) (param $mean i32) (param $sums i32) (param $rows i32) (param $channels i32)
    (local $r i32) (local $c i32) (local $width i32) (local $d v128) (local $at i32)
    (local.set $width (i32.shl (local.get $channels) (i32.const 2)))
    (block $rowsDone (loop $rowNext
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $c (i32.const 0))
      (block $channelsDone (loop $channelNext
        (br_if $channelsDone (i32.ge_u (local.get $c) (local.get $width)))
        (local.set $d (v128.load (i32.add (local.get $dy) (local.get $c))))
        (local.set $at (i32.add (local.get $sums) (local.get $c)))
        (v128.store (local.get $at) (f32x4.add (v128.load (local.get $at)) (local.get $d)))
        (local.set $at (i32.add (local.get $at) (local.get $width)))
        (v128.store (local.get $at) (f32x4.add (v128.load (local.get $at))
          (f32x4.mul (local.get $d)
            (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $c))) (v128.load (i32.add (local.get $mean) (local.get $c)))))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $channelNext)))
      (local.set $x (i32.add (local.get $x) (local.get $width)))
      (local.set $dy (i32.add (local.get $dy) (local.get $width)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowNext))))
  (func (export "channelMoments")
    (param $x i32) (param $out i32) (param $rows i32) (param $channels i32)
    (local $r i32) (local $c i32) (local $width i32) (local $row i32) (local $at i32) (local $d v128) (local $n v128)
    (local.set $width (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $n (f32x4.splat (f32.convert_i32_u (local.get $rows))))
    (memory.fill (local.get $out) (i32.const 0) (i32.shl (local.get $width) (i32.const 1)))
    ;; Pass 1: the sums, then the means in place.
    (local.set $row (local.get $x))
    (block $rowsDone (loop $rowNext
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $c (i32.const 0))
      (block $channelsDone (loop $channelNext
        (br_if $channelsDone (i32.ge_u (local.get $c) (local.get $width)))
        (local.set $at (i32.add (local.get $out) (local.get $c)))
        (v128.store (local.get $at) (f32x4.add (v128.load (local.get $at)) (v128.load (i32.add (local.get $row) (local.get $c)))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $channelNext)))
      (local.set $row (i32.add (local.get $row) (local.get $width)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowNext)))
    (local.set $c (i32.const 0))
    (block $meansDone (loop $meanNext
      (br_if $meansDone (i32.ge_u (local.get $c) (local.get $width)))
      (local.set $at (i32.add (local.get $out) (local.get $c)))
      (v128.store (local.get $at) (f32x4.div (v128.load (local.get $at)) (local.get $n)))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (br $meanNext)))
    ;; Pass 2: the squared deviations from the means.
    (local.set $row (local.get $x))
    (local.set $r (i32.const 0))
    (block $rowsDone2 (loop $rowNext2
      (br_if $rowsDone2 (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $c (i32.const 0))
      (block $channelsDone2 (loop $channelNext2
        (br_if $channelsDone2 (i32.ge_u (local.get $c) (local.get $width)))
        (local.set $d (f32x4.sub (v128.load (i32.add (local.get $row) (local.get $c)))
          (v128.load (i32.add (local.get $out) (local.get $c)))))
        (local.set $at (i32.add (i32.add (local.get $out) (local.get $width)) (local.get $c)))
        (v128.store (local.get $at) (f32x4.add (v128.load (local.get $at)) (f32x4.mul (local.get $d) (local.get $d))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $channelNext2)))
      (local.set $row (i32.add (local.get $row) (local.get $width)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowNext2)))
    (local.set $c (i32.const 0))
    (block $variancesDone (loop $varianceNext
      (br_if $variancesDone (i32.ge_u (local.get $c) (local.get $width)))
      (local.set $at (i32.add (i32.add (local.get $out) (local.get $width)) (local.get $c)))
      (v128.store (local.get $at) (f32x4.div (v128.load (local.get $at)) (local.get $n)))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (br $varianceNext))))
  (func (export "scaleShiftPair")
    (param $dy i32) (param $x i32) (param $out i32) (param $params i32) (param $rows i32) (param $channels i32)
    (local $r i32) (local $c i32) (local $width i32) (local $p i32)
    (local.set $width (i32.shl (local.get $channels) (i32.const 2)))
    (block $rowsDone (loop $rowNext
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $c (i32.const 0))
      (block $channelsDone (loop $channelNext
        (br_if $channelsDone (i32.ge_u (local.get $c) (local.get $width)))
        (local.set $p (i32.add (local.get $params) (local.get $c)))
        (v128.store (i32.add (local.get $out) (local.get $c))
          (f32x4.add
            (f32x4.add
              (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $c))) (v128.load (local.get $p)))
              (f32x4.mul (v128.load (i32.add (local.get $x) (local.get $c)))
                (v128.load (i32.add (local.get $p) (local.get $width)))))
            (v128.load (i32.add (local.get $p) (i32.shl (local.get $width) (i32.const 1))))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $channelNext)))
      (local.set $dy (i32.add (local.get $dy) (local.get $width)))
      (local.set $x (i32.add (local.get $x) (local.get $width)))
      (local.set $out (i32.add (local.get $out) (local.get $width)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowNext))))
`;
