import { countUp } from '../heap/watLoops';

/**
 * One Adam step over float32 arrays on the wasm heap, four lanes at a time (adamUpdateOnHeap.ts has the formulas).
 * Addresses are byte offsets into tfjs' heap; n is a multiple of 4 (the caller finishes the rest).
 *   adam(w0, m0, v0, g, w, m, v, n, beta1, beta2, lr / (1 - beta1^t), 1 / (1 - beta2^t), epsilon)
 */
export const ADAM_WAT = `
  (func (export "adam")
    (param $w0 i32) (param $m0 i32) (param $v0 i32) (param $g i32) (param $w i32) (param $m i32) (param $v i32)
    (param $n i32) (param $beta1 f32) (param $beta2 f32) (param $step f32) (param $inv2 f32) (param $eps f32)
    (local $at i32) (local $end i32) (local $gi v128) (local $mi v128) (local $vi v128)
    (local $b1 v128) (local $b2 v128) (local $k1 v128) (local $k2 v128) (local $s v128) (local $i2 v128) (local $e v128)
    (local.set $b1 (f32x4.splat (local.get $beta1)))
    (local.set $b2 (f32x4.splat (local.get $beta2)))
    (local.set $k1 (f32x4.splat (f32.sub (f32.const 1) (local.get $beta1))))
    (local.set $k2 (f32x4.splat (f32.sub (f32.const 1) (local.get $beta2))))
    (local.set $s (f32x4.splat (local.get $step)))
    (local.set $i2 (f32x4.splat (local.get $inv2)))
    (local.set $e (f32x4.splat (local.get $eps)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    ${countUp('$at', '(local.get $end)', 16)`
        (local.set $gi (v128.load (i32.add (local.get $g) (local.get $at))))
        (local.set $mi
          (f32x4.add
            (f32x4.mul (local.get $b1) (v128.load (i32.add (local.get $m0) (local.get $at))))
            (f32x4.mul (local.get $k1) (local.get $gi))))
        (local.set $vi
          (f32x4.add
            (f32x4.mul (local.get $b2) (v128.load (i32.add (local.get $v0) (local.get $at))))
            (f32x4.mul (local.get $k2) (f32x4.mul (local.get $gi) (local.get $gi)))))
        (v128.store (i32.add (local.get $m) (local.get $at)) (local.get $mi))
        (v128.store (i32.add (local.get $v) (local.get $at)) (local.get $vi))
        (v128.store (i32.add (local.get $w) (local.get $at))
          (f32x4.sub
            (v128.load (i32.add (local.get $w0) (local.get $at)))
            (f32x4.div
              (f32x4.mul (local.get $s) (local.get $mi))
              (f32x4.add (f32x4.sqrt (f32x4.mul (local.get $vi) (local.get $i2))) (local.get $e)))))`})
`;
