import { countUp } from '../heap/watLoops';

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
    ${countUp('$b', '(local.get $batch)', 1)`
      (local.set $y (i32.const 0))
      ${countUp('$y', '(local.get $outH)', 1)`
        (local.set $column (i32.const 0))
        ${countUp('$column', '(local.get $outW)', 1)`
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
          ${countUp('$i', '(local.get $fH)', 1)`
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
            (local.set $to (i32.add (local.get $to) (local.get $run)))`}`}`}`})
`;
