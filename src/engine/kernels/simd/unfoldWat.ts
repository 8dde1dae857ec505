/**
 * The patches of a convolution's input written transposed, [kh * kw * C, B * Ho * Wo] (convFilterGradByProduct.ts
 * has the TypeScript version and the formula): a gather of one float per position, scalar WebAssembly (a
 * JavaScript loop pays a bounds check and a conversion per element). The target is written in order.
 *   unfold(x, target, batch, height, width, channels, outHeight, outWidth, filterHeight, filterWidth,
 *          strideHeight, strideWidth, top, left)
 */
export const UNFOLD_WAT = `
  (func (export "unfold")
    (param $x i32) (param $to i32) (param $batch i32) (param $height i32) (param $width i32) (param $channels i32)
    (param $outH i32) (param $outW i32) (param $fH i32) (param $fW i32) (param $sH i32) (param $sW i32)
    (param $top i32) (param $left i32)
    (local $i i32) (local $j i32) (local $c i32) (local $b i32) (local $y i32) (local $column i32)
    (local $row i32) (local $xx i32) (local $base i32) (local $pixel i32)
    (local.set $pixel (i32.shl (local.get $channels) (i32.const 2)))
    (block $iDone (loop $iNext
      (br_if $iDone (i32.ge_u (local.get $i) (local.get $fH)))
      (local.set $j (i32.const 0))
      (block $jDone (loop $jNext
        (br_if $jDone (i32.ge_u (local.get $j) (local.get $fW)))
        (local.set $c (i32.const 0))
        (block $cDone (loop $cNext
          (br_if $cDone (i32.ge_u (local.get $c) (local.get $channels)))
          (local.set $b (i32.const 0))
          (block $bDone (loop $bNext
            (br_if $bDone (i32.ge_u (local.get $b) (local.get $batch)))
            (local.set $y (i32.const 0))
            (block $yDone (loop $yNext
              (br_if $yDone (i32.ge_u (local.get $y) (local.get $outH)))
              (local.set $row (i32.sub (i32.add (i32.mul (local.get $y) (local.get $sH)) (local.get $i)) (local.get $top)))
              (local.set $base (i32.add (local.get $x) (i32.shl (i32.add (i32.mul (i32.mul
                (i32.add (i32.mul (local.get $b) (local.get $height)) (local.get $row)) (local.get $width))
                (local.get $channels)) (local.get $c)) (i32.const 2))))
              (local.set $column (i32.const 0))
              (block $colDone (loop $colNext
                (br_if $colDone (i32.ge_u (local.get $column) (local.get $outW)))
                (local.set $xx (i32.sub (i32.add (i32.mul (local.get $column) (local.get $sW)) (local.get $j)) (local.get $left)))
                (f32.store (local.get $to)
                  (if (result f32)
                    (i32.and
                      (i32.and (i32.ge_s (local.get $row) (i32.const 0)) (i32.lt_s (local.get $row) (local.get $height)))
                      (i32.and (i32.ge_s (local.get $xx) (i32.const 0)) (i32.lt_s (local.get $xx) (local.get $width))))
                    (then (f32.load (i32.add (local.get $base) (i32.mul (local.get $xx) (local.get $pixel)))))
                    (else (f32.const 0))))
                (local.set $to (i32.add (local.get $to) (i32.const 4)))
                (local.set $column (i32.add (local.get $column) (i32.const 1)))
                (br $colNext)))
              (local.set $y (i32.add (local.get $y) (i32.const 1)))
              (br $yNext)))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $bNext)))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $cNext)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $jNext)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $iNext))))
`;
