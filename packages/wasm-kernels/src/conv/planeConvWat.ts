import { countUp } from '../heap/watLoops';

/**
 * Convolutions with one output channel (or one input channel, for an input gradient) over zero-padded planes
 * [batch, C, Hp, Wp] float32, stride 1, four output columns at a time (singleChannelConv.ts has the reasons).
 *   planeConv(planes, weights, out, batch, C, Hp, Wp, outH, outW, kh, kw, outPixel):
 *     out[b, y, x] = sum_{c, i, j} planes[b, c, y + i, x + j] * weights[c, i, j], written at
 *     out + ((b * outH + y) * outW + x) * outPixel bytes; outW a multiple of 4
 *   planeConvFilterGrad(planes, dy, dw, batch, C, Hp, Wp, outH, outW, kh, kw):
 *     dw[c, i, j] = sum_{b, y, x} planes[b, c, y + i, x + j] * dy[b, y, x]; outW a multiple of 4
 */
export const PLANE_CONV_WAT = `
  (func (export "planeConv")
    (param $planes i32) (param $weights i32) (param $out i32) (param $batch i32) (param $channels i32) (param $hp i32)
    (param $wp i32) (param $outH i32) (param $outW i32) (param $kh i32) (param $kw i32) (param $outPixel i32)
    (local $b i32) (local $y i32) (local $x i32) (local $c i32) (local $i i32) (local $j i32) (local $acc v128)
    (local $wAt i32) (local $at i32) (local $row i32) (local $rowBytes i32) (local $planeBytes i32) (local $dst i32)
    (local.set $rowBytes (i32.shl (local.get $wp) (i32.const 2)))
    (local.set $planeBytes (i32.mul (local.get $hp) (local.get $rowBytes)))
    ${countUp('$b', '(local.get $batch)', 1)`
      (local.set $y (i32.const 0))
      ${countUp('$y', '(local.get $outH)', 1)`
        (local.set $x (i32.const 0))
        ${countUp('$x', '(local.get $outW)', 4)`
          (local.set $acc (v128.const i32x4 0 0 0 0))
          (local.set $wAt (local.get $weights))
          (local.set $c (i32.const 0))
          ${countUp('$c', '(local.get $channels)', 1)`
            (local.set $row (i32.add (local.get $planes) (i32.add
              (i32.mul (i32.add (i32.mul (local.get $b) (local.get $channels)) (local.get $c)) (local.get $planeBytes))
              (i32.add (i32.mul (local.get $y) (local.get $rowBytes)) (i32.shl (local.get $x) (i32.const 2))))))
            (local.set $i (i32.const 0))
            ${countUp('$i', '(local.get $kh)', 1)`
              (local.set $at (local.get $row))
              (local.set $j (i32.const 0))
              ${countUp('$j', '(local.get $kw)', 1)`
                (local.set $acc (f32x4.add (local.get $acc)
                  (f32x4.mul (v128.load32_splat (local.get $wAt)) (v128.load (local.get $at)))))
                (local.set $wAt (i32.add (local.get $wAt) (i32.const 4)))
                (local.set $at (i32.add (local.get $at) (i32.const 4)))`}
              (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))`}`}
          (local.set $dst (i32.add (local.get $out) (i32.mul (local.get $outPixel)
            (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $outH)) (local.get $y)) (local.get $outW))
              (local.get $x)))))
          (if (i32.eq (local.get $outPixel) (i32.const 4))
            (then (v128.store (local.get $dst) (local.get $acc)))
            (else
              (f32.store (local.get $dst) (f32x4.extract_lane 0 (local.get $acc)))
              (f32.store (i32.add (local.get $dst) (local.get $outPixel)) (f32x4.extract_lane 1 (local.get $acc)))
              (f32.store (i32.add (local.get $dst) (i32.shl (local.get $outPixel) (i32.const 1)))
                (f32x4.extract_lane 2 (local.get $acc)))
              (f32.store (i32.add (local.get $dst) (i32.mul (local.get $outPixel) (i32.const 3)))
                (f32x4.extract_lane 3 (local.get $acc)))))`}`}`})
  (func (export "planeConvFilterGrad")
    (param $planes i32) (param $dy i32) (param $dw i32) (param $batch i32) (param $channels i32) (param $hp i32)
    (param $wp i32) (param $outH i32) (param $outW i32) (param $kh i32) (param $kw i32)
    (local $b i32) (local $y i32) (local $x i32) (local $c i32) (local $i i32) (local $j i32) (local $acc v128)
    (local $at i32) (local $g i32) (local $rowBytes i32) (local $planeBytes i32) (local $outRow i32)
    (local.set $rowBytes (i32.shl (local.get $wp) (i32.const 2)))
    (local.set $planeBytes (i32.mul (local.get $hp) (local.get $rowBytes)))
    (local.set $outRow (i32.shl (local.get $outW) (i32.const 2)))
    ${countUp('$c', '(local.get $channels)', 1)`
      (local.set $i (i32.const 0))
      ${countUp('$i', '(local.get $kh)', 1)`
        (local.set $j (i32.const 0))
        ${countUp('$j', '(local.get $kw)', 1)`
          (local.set $acc (v128.const i32x4 0 0 0 0))
          (local.set $g (local.get $dy))
          (local.set $b (i32.const 0))
          ${countUp('$b', '(local.get $batch)', 1)`
            (local.set $y (i32.const 0))
            ${countUp('$y', '(local.get $outH)', 1)`
              (local.set $at (i32.add (local.get $planes) (i32.add
                (i32.mul (i32.add (i32.mul (local.get $b) (local.get $channels)) (local.get $c)) (local.get $planeBytes))
                (i32.add (i32.mul (i32.add (local.get $y) (local.get $i)) (local.get $rowBytes))
                  (i32.shl (local.get $j) (i32.const 2))))))
              (local.set $x (i32.const 0))
              ${countUp('$x', '(local.get $outRow)', 16)`
                (local.set $acc (f32x4.add (local.get $acc)
                  (f32x4.mul (v128.load (i32.add (local.get $at) (local.get $x))) (v128.load (local.get $g)))))
                (local.set $g (i32.add (local.get $g) (i32.const 16)))`}`}`}
          (f32.store (local.get $dw) (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
            (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
          (local.set $dw (i32.add (local.get $dw) (i32.const 4)))`}`}`})
`;
