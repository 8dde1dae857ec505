import { countUp } from '../heap/watLoops';

/**
 * The pools of CBAM and spatial attention over float32 in NHWC, four channels at a time, and their gradients
 * (attentionPoolsOnHeap.ts has the reasons); C a multiple of 4.
 *   channelPools(x, out, rows, C): out[r] = [mean_c x[r, c], max_c x[r, c]], x seen as [rows, C]
 *   channelPoolsGrad(x, pools, dPools, dx, rows, C):
 *     dx[r, c] = dPools[r, 0] / C + (x[r, c] == pools[r, 1] ? dPools[r, 1] : 0)
 *   spatialPoolsGrad(x, pooled, dPooled, dx, batch, positions, C), x as [B, P, C], pooled [2B, C] (means, then maxima):
 *     dx[b, p, c] = dPooled[b, c] / P + (x[b, p, c] == pooled[B + b, c] ? dPooled[B + b, c] : 0)
 * Every element equal to its maximum takes the maximum's gradient, as tfjs' gradient of max gives it; a NaN takes
 * none. Maxima are pmax (one instruction; max keeps NaN at a cost in V8), with a NaN tracked on the side.
 */

export const ATTENTION_POOLS_WAT = `
  (func (export "channelPools") (param $x i32) (param $out i32) (param $rows i32) (param $channels i32)
    (local $r i32) (local $i i32) (local $width i32) (local $v v128) (local $sum v128) (local $most v128) (local $nan v128)
    (local $top f32)
    (local.set $width (i32.shl (local.get $channels) (i32.const 2)))
    ${countUp('$r', '(local.get $rows)', 1)`
      (local.set $sum (v128.load (local.get $x)))
      (local.set $most (local.get $sum))
      (local.set $nan (f32x4.ne (local.get $sum) (local.get $sum)))
      (local.set $i (i32.const 16))
      ${countUp('$i', '(local.get $width)', 16)`
        (local.set $v (v128.load (i32.add (local.get $x) (local.get $i))))
        (local.set $sum (f32x4.add (local.get $sum) (local.get $v)))
        (local.set $most (f32x4.pmax (local.get $most) (local.get $v)))
        (local.set $nan (v128.or (local.get $nan) (f32x4.ne (local.get $v) (local.get $v))))`}
      (local.set $most (f32x4.pmax (local.get $most)
        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $most) (local.get $most))))
      (local.set $most (f32x4.pmax (local.get $most)
        (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $most) (local.get $most))))
      (local.set $top (if (result f32) (v128.any_true (local.get $nan))
        (then (f32.const nan)) (else (f32x4.extract_lane 0 (local.get $most)))))
      (f32.store (local.get $out) (f32.div
        (f32.add (f32.add (f32x4.extract_lane 0 (local.get $sum)) (f32x4.extract_lane 1 (local.get $sum)))
          (f32.add (f32x4.extract_lane 2 (local.get $sum)) (f32x4.extract_lane 3 (local.get $sum))))
        (f32.convert_i32_u (local.get $channels))))
      (f32.store offset=4 (local.get $out) (local.get $top))
      (local.set $x (i32.add (local.get $x) (local.get $width)))
      (local.set $out (i32.add (local.get $out) (i32.const 8)))`})
  (func (export "channelPoolsGrad")
    (param $x i32) (param $pools i32) (param $dPools i32) (param $dx i32) (param $rows i32) (param $channels i32)
    (local $r i32) (local $i i32) (local $width i32) (local $spread v128) (local $most v128) (local $routed v128)
    (local.set $width (i32.shl (local.get $channels) (i32.const 2)))
    ${countUp('$r', '(local.get $rows)', 1)`
      (local.set $spread (f32x4.splat (f32.div (f32.load (local.get $dPools)) (f32.convert_i32_u (local.get $channels)))))
      (local.set $most (v128.load32_splat offset=4 (local.get $pools)))
      (local.set $routed (v128.load32_splat offset=4 (local.get $dPools)))
      (local.set $i (i32.const 0))
      ${countUp('$i', '(local.get $width)', 16)`
        (v128.store (i32.add (local.get $dx) (local.get $i)) (f32x4.add (local.get $spread)
          (v128.and (f32x4.eq (v128.load (i32.add (local.get $x) (local.get $i))) (local.get $most)) (local.get $routed))))`}
      (local.set $x (i32.add (local.get $x) (local.get $width)))
      (local.set $dx (i32.add (local.get $dx) (local.get $width)))
      (local.set $pools (i32.add (local.get $pools) (i32.const 8)))
      (local.set $dPools (i32.add (local.get $dPools) (i32.const 8)))`})
  (func (export "spatialPoolsGrad")
    (param $x i32) (param $pooled i32) (param $dPooled i32) (param $dx i32) (param $batch i32) (param $positions i32)
    (param $channels i32)
    (local $b i32) (local $p i32) (local $i i32) (local $width i32) (local $half i32) (local $scale v128)
    (local $meanRow i32) (local $maxRow i32) (local $dMaxRow i32)
    (local.set $width (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $half (i32.mul (local.get $batch) (local.get $width)))
    (local.set $scale (f32x4.splat (f32.div (f32.const 1) (f32.convert_i32_u (local.get $positions)))))
    ${countUp('$b', '(local.get $batch)', 1)`
      (local.set $meanRow (i32.add (local.get $dPooled) (i32.mul (local.get $b) (local.get $width))))
      (local.set $maxRow (i32.add (i32.add (local.get $pooled) (local.get $half)) (i32.mul (local.get $b) (local.get $width))))
      (local.set $dMaxRow (i32.add (i32.add (local.get $dPooled) (local.get $half)) (i32.mul (local.get $b) (local.get $width))))
      (local.set $p (i32.const 0))
      ${countUp('$p', '(local.get $positions)', 1)`
        (local.set $i (i32.const 0))
        ${countUp('$i', '(local.get $width)', 16)`
          (v128.store (i32.add (local.get $dx) (local.get $i)) (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $meanRow) (local.get $i))) (local.get $scale))
            (v128.and
              (f32x4.eq (v128.load (i32.add (local.get $x) (local.get $i))) (v128.load (i32.add (local.get $maxRow) (local.get $i))))
              (v128.load (i32.add (local.get $dMaxRow) (local.get $i))))))`}
        (local.set $x (i32.add (local.get $x) (local.get $width)))
        (local.set $dx (i32.add (local.get $dx) (local.get $width)))`}`})
`;
