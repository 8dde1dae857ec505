import { countUp } from '../heap/watLoops';

/**
 * A dropout mask over float32, four lanes at a time: each lane runs its own xorshift32 generator (Marsaglia 2003:
 * x ^= x << 13; x ^= x >> 17; x ^= x << 5), and an element is kept, as `scale`, where the lane's draw is below
 * `threshold` (keep probability * 2^32, unsigned), else 0 (dropoutMask.ts has the reasons).
 *   dropoutMask(out, n, threshold, scale, s0, s1, s2, s3): n a multiple of 4, the seeds not 0
 */
export const DROPOUT_MASK_WAT = `
  (func (export "dropoutMask")
    (param $out i32) (param $n i32) (param $threshold i32) (param $scale f32)
    (param $s0 i32) (param $s1 i32) (param $s2 i32) (param $s3 i32)
    (local $state v128) (local $limit v128) (local $value v128) (local $end i32)
    (local.set $state (i32x4.replace_lane 3 (i32x4.replace_lane 2 (i32x4.replace_lane 1
      (i32x4.splat (local.get $s0)) (local.get $s1)) (local.get $s2)) (local.get $s3)))
    (local.set $limit (i32x4.splat (local.get $threshold)))
    (local.set $value (f32x4.splat (local.get $scale)))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))))
    ${countUp('$out', '(local.get $end)', 16)`
      (local.set $state (v128.xor (local.get $state) (i32x4.shl (local.get $state) (i32.const 13))))
      (local.set $state (v128.xor (local.get $state) (i32x4.shr_u (local.get $state) (i32.const 17))))
      (local.set $state (v128.xor (local.get $state) (i32x4.shl (local.get $state) (i32.const 5))))
      (v128.store (local.get $out) (v128.and (i32x4.lt_u (local.get $state) (local.get $limit)) (local.get $value)))`})
`;
