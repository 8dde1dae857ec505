/**
 * The patches of a convolution's input, one row per output position, [B * Ho * Wo, kh * kw * C]
 * (convFilterGradByProduct.ts has the TypeScript version and the formula). In NHWC a patch is kh runs of kw * C
 * contiguous floats, so each run is one bulk `memory.copy` (and `memory.fill` with zeros where it overhangs the
 * padding); the transposed layout this replaced gathered one float at a time (conv 32 -> 64 channels on 16 x 16:
 * ~4.7 ms of a 10.9 ms weight gradient).
 *   unfold(x, target, batch, height, width, channels, outHeight, outWidth, filterHeight, filterWidth,
 *          strideHeight, strideWidth, top, left)
 */
export const UNFOLD_WAT = `
  (func (export "unfold")
    (param $x i32) (param $to i32) (param $batch i32) (param $height i32) (param $width i32) (param $channels i32)
    (param $outH i32) (param $outW i32) (param $fH i32) (param $fW i32) (param $sH i32) (param $sW i32)
    (param $top i32) (param $left i32)
    (local $b i32) (local $y i32) (local $column i32) (local $i i32) (local $row i32) (local $x0 i32)
    (local $jStart i32) (local $jEnd i32) (local $pixel i32) (local $run i32)
    (local.set $pixel (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $run (i32.mul (local.get $fW) (local.get $pixel)))
    (block $bDone (loop $bNext
      (br_if $bDone (i32.ge_u (local.get $b) (local.get $batch)))
      (local.set $y (i32.const 0))
      (block $yDone (loop $yNext
        (br_if $yDone (i32.ge_u (local.get $y) (local.get $outH)))
        (local.set $column (i32.const 0))
        (block $colDone (loop $colNext
          (br_if $colDone (i32.ge_u (local.get $column) (local.get $outW)))
          ;; The filter columns [jStart, jEnd) that fall inside the image at this output column.
          (local.set $x0 (i32.sub (i32.mul (local.get $column) (local.get $sW)) (local.get $left)))
          (local.set $jStart (select (i32.sub (i32.const 0) (local.get $x0)) (i32.const 0)
            (i32.lt_s (local.get $x0) (i32.const 0))))
          (local.set $jStart (select (local.get $fW) (local.get $jStart)
            (i32.gt_s (local.get $jStart) (local.get $fW))))
          (local.set $jEnd (select (i32.sub (local.get $width) (local.get $x0)) (local.get $fW)
            (i32.lt_s (i32.sub (local.get $width) (local.get $x0)) (local.get $fW))))
          (local.set $jEnd (select (local.get $jStart) (local.get $jEnd)
            (i32.lt_s (local.get $jEnd) (local.get $jStart))))
          (local.set $i (i32.const 0))
          (block $iDone (loop $iNext
            (br_if $iDone (i32.ge_u (local.get $i) (local.get $fH)))
            (local.set $row (i32.sub (i32.add (i32.mul (local.get $y) (local.get $sH)) (local.get $i)) (local.get $top)))
            (if (i32.or (i32.lt_s (local.get $row) (i32.const 0)) (i32.ge_s (local.get $row) (local.get $height)))
              (then (memory.fill (local.get $to) (i32.const 0) (local.get $run)))
              (else
                (memory.fill (local.get $to) (i32.const 0) (i32.mul (local.get $jStart) (local.get $pixel)))
                (memory.copy
                  (i32.add (local.get $to) (i32.mul (local.get $jStart) (local.get $pixel)))
                  (i32.add (local.get $x) (i32.mul (local.get $pixel) (i32.add (i32.add (local.get $x0) (local.get $jStart))
                    (i32.mul (i32.add (i32.mul (local.get $b) (local.get $height)) (local.get $row)) (local.get $width)))))
                  (i32.mul (i32.sub (local.get $jEnd) (local.get $jStart)) (local.get $pixel)))
                (memory.fill (i32.add (local.get $to) (i32.mul (local.get $jEnd) (local.get $pixel))) (i32.const 0)
                  (i32.mul (i32.sub (local.get $fW) (local.get $jEnd)) (local.get $pixel)))))
            (local.set $to (i32.add (local.get $to) (local.get $run)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $iNext)))
          (local.set $column (i32.add (local.get $column) (i32.const 1)))
          (br $colNext)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $yNext)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bNext))))
`;
