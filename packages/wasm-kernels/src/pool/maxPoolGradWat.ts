import { countUp, repeatWhile } from '../heap/watLoops';

/**
 * MaxPoolGrad over NHWC float32 with channels a multiple of 4 (maxPoolGradOnHeap.ts has the TypeScript version):
 * per output window and four channels, the maximum by f32x4.pmax (NaN never wins, as `value > best` never takes
 * it), then each output's gradient added at the first position in scan order that holds it, and nowhere where the
 * maximum is -Infinity (as the TypeScript loop, which starts from -Infinity and takes only what is greater). dx is
 * zero on entry. Geometry in elements; window positions outside the input are skipped.
 *   maxPoolGrad(x, dy, dx, batch, inHeight, inWidth, channels, outHeight, outWidth,
 *               filterHeight, filterWidth, strideHeight, strideWidth, padTop, padLeft)
 *
 * Where the windows tile the input exactly (stride = window, no padding, the input a whole number of windows: a
 * 2 x 2 pool on even sizes), every input element lies in one window, so each is written once, with no zeroing, no
 * read of dx and no bounds to check; `windowRows` is batch * outHeight:
 *   maxPoolGradTiled(x, dy, dx, windowRows, outWidth, channels, filterHeight, filterWidth)
 */
export const MAX_POOL_GRAD_WAT = `
  (func (export "maxPoolGrad")
    (param $x i32) (param $dy i32) (param $dx i32) (param $batch i32) (param $inH i32) (param $inW i32)
    (param $channels i32) (param $outH i32) (param $outW i32) (param $fH i32) (param $fW i32)
    (param $sH i32) (param $sW i32) (param $padTop i32) (param $padLeft i32)
    (local $b i32) (local $oh i32) (local $ow i32) (local $c i32) (local $i i32) (local $j i32) (local $h i32) (local $w i32)
    (local $at i32) (local $gradAt i32) (local $best v128) (local $taken v128) (local $hit v128) (local $value v128)
    (local $gradient v128) (local $lowest v128) (local $live v128) (local $pass i32)
    (local.set $lowest (f32x4.splat (f32.const -inf)))
    ${countUp('$b', '(local.get $batch)', 1)`
      (local.set $oh (i32.const 0))
      ${countUp('$oh', '(local.get $outH)', 1)`
        (local.set $ow (i32.const 0))
        ${countUp('$ow', '(local.get $outW)', 1)`
          (local.set $c (i32.const 0))
          ${countUp('$c', '(local.get $channels)', 4)`
            (local.set $best (local.get $lowest))
            (local.set $taken (v128.const i32x4 0 0 0 0))
            (local.set $gradAt (i32.add (local.get $dy) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.add
              (i32.mul (local.get $b) (local.get $outH)) (local.get $oh)) (local.get $outW)) (local.get $ow))
              (local.get $channels)) (local.get $c)) (i32.const 2))))
            (local.set $gradient (v128.load (local.get $gradAt)))
            ;; pass 0 finds the maximum, pass 1 hands the gradient to its first position
            (local.set $pass (i32.const 0))
            ${countUp('$pass', '(i32.const 2)', 1)`
              (local.set $live (f32x4.gt (local.get $best) (local.get $lowest)))
              (local.set $i (i32.const 0))
              ${countUp('$i', '(local.get $fH)', 1)`
                (local.set $h (i32.sub (i32.add (i32.mul (local.get $oh) (local.get $sH)) (local.get $i)) (local.get $padTop)))
                (if (i32.and (i32.ge_s (local.get $h) (i32.const 0)) (i32.lt_s (local.get $h) (local.get $inH)))
                  (then
                    (local.set $j (i32.const 0))
                    ${countUp('$j', '(local.get $fW)', 1)`
                      (local.set $w (i32.sub (i32.add (i32.mul (local.get $ow) (local.get $sW)) (local.get $j)) (local.get $padLeft)))
                      (if (i32.and (i32.ge_s (local.get $w) (i32.const 0)) (i32.lt_s (local.get $w) (local.get $inW)))
                        (then
                          (local.set $at (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.add
                            (i32.mul (local.get $b) (local.get $inH)) (local.get $h)) (local.get $inW)) (local.get $w))
                            (local.get $channels)) (local.get $c)) (i32.const 2)))
                          (local.set $value (v128.load (i32.add (local.get $x) (local.get $at))))
                          (if (i32.eqz (local.get $pass))
                            (then (local.set $best (f32x4.pmax (local.get $best) (local.get $value))))
                            (else
                              (local.set $hit (v128.andnot
                                (v128.and (f32x4.eq (local.get $value) (local.get $best)) (local.get $live))
                                (local.get $taken)))
                              (local.set $taken (v128.or (local.get $taken) (local.get $hit)))
                              (v128.store (i32.add (local.get $dx) (local.get $at))
                                (f32x4.add (v128.load (i32.add (local.get $dx) (local.get $at)))
                                  (v128.and (local.get $hit) (local.get $gradient))))))))`}))`}`}`}`}`}`})
  (func (export "maxPoolGradTiled")
    (param $x i32) (param $dy i32) (param $dx i32) (param $windowRows i32) (param $outW i32) (param $channels i32)
    (param $fH i32) (param $fW i32)
    (local $pixel i32) (local $inRow i32) (local $window i32) (local $windows i32) (local $base i32) (local $c i32)
    (local $at i32) (local $i i32) (local $j i32) (local $best v128) (local $taken v128) (local $hit v128)
    (local $value v128) (local $gradient v128) (local $live v128) (local $lowest v128) (local $offset i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $pair i32) (local $q i32) (local $g i32)
    (local.set $lowest (f32x4.splat (f32.const -inf)))
    (local.set $pixel (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $inRow (i32.mul (local.get $pixel) (i32.mul (local.get $outW) (local.get $fW))))
    (local.set $windows (i32.mul (local.get $windowRows) (local.get $outW)))
    (local.set $pair (i32.and (i32.eq (local.get $fH) (i32.const 2)) (i32.eq (local.get $fW) (i32.const 2))))
    (local.set $g (local.get $dy))
    ${countUp('$window', '(local.get $windows)', 1)`
      ;; Window (row R, column q) starts at input row R * fH, column q * fW.
      (local.set $q (i32.rem_u (local.get $window) (local.get $outW)))
      (local.set $base (i32.add
        (i32.mul (i32.mul (i32.div_u (local.get $window) (local.get $outW)) (local.get $fH)) (local.get $inRow))
        (i32.mul (local.get $q) (i32.mul (local.get $fW) (local.get $pixel)))))
      (local.set $c (i32.const 0))
      ${countUp('$c', '(local.get $pixel)', 16)`
        (local.set $offset (i32.add (local.get $base) (local.get $c)))
        (local.set $gradient (v128.load (i32.add (local.get $g) (local.get $c))))
        (if (local.get $pair)
          (then
            ;; 2 x 2, unrolled: the four values, their maximum, then each takes the gradient if it is the first
            ;; to equal it.
            (local.set $at (i32.add (local.get $x) (local.get $offset)))
            (local.set $v0 (v128.load (local.get $at)))
            (local.set $v1 (v128.load (i32.add (local.get $at) (local.get $pixel))))
            (local.set $at (i32.add (local.get $at) (local.get $inRow)))
            (local.set $v2 (v128.load (local.get $at)))
            (local.set $v3 (v128.load (i32.add (local.get $at) (local.get $pixel))))
            (local.set $best (f32x4.pmax (f32x4.pmax (f32x4.pmax (f32x4.pmax (local.get $lowest) (local.get $v0))
              (local.get $v1)) (local.get $v2)) (local.get $v3)))
            (local.set $live (f32x4.gt (local.get $best) (local.get $lowest)))
            (local.set $at (i32.add (local.get $dx) (local.get $offset)))
            (local.set $taken (v128.and (f32x4.eq (local.get $v0) (local.get $best)) (local.get $live)))
            (v128.store (local.get $at) (v128.and (local.get $taken) (local.get $gradient)))
            (local.set $hit (v128.andnot (v128.and (f32x4.eq (local.get $v1) (local.get $best)) (local.get $live))
              (local.get $taken)))
            (local.set $taken (v128.or (local.get $taken) (local.get $hit)))
            (v128.store (i32.add (local.get $at) (local.get $pixel)) (v128.and (local.get $hit) (local.get $gradient)))
            (local.set $at (i32.add (local.get $at) (local.get $inRow)))
            (local.set $hit (v128.andnot (v128.and (f32x4.eq (local.get $v2) (local.get $best)) (local.get $live))
              (local.get $taken)))
            (local.set $taken (v128.or (local.get $taken) (local.get $hit)))
            (v128.store (local.get $at) (v128.and (local.get $hit) (local.get $gradient)))
            (local.set $hit (v128.andnot (v128.and (f32x4.eq (local.get $v3) (local.get $best)) (local.get $live))
              (local.get $taken)))
            (v128.store (i32.add (local.get $at) (local.get $pixel)) (v128.and (local.get $hit) (local.get $gradient))))
          (else
            (local.set $best (local.get $lowest))
            (local.set $i (i32.const 0))
            ${repeatWhile('(i32.lt_u (local.get $i) (local.get $fH))')`
              (local.set $at (i32.add (local.get $offset) (i32.mul (local.get $i) (local.get $inRow))))
              (local.set $j (i32.const 0))
              ${repeatWhile('(i32.lt_u (local.get $j) (local.get $fW))')`
                (local.set $best (f32x4.pmax (local.get $best) (v128.load (i32.add (local.get $x) (local.get $at)))))
                (local.set $at (i32.add (local.get $at) (local.get $pixel)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))`}
              (local.set $i (i32.add (local.get $i) (i32.const 1)))`}
            (local.set $live (f32x4.gt (local.get $best) (local.get $lowest)))
            (local.set $taken (v128.const i32x4 0 0 0 0))
            (local.set $i (i32.const 0))
            ${repeatWhile('(i32.lt_u (local.get $i) (local.get $fH))')`
              (local.set $at (i32.add (local.get $offset) (i32.mul (local.get $i) (local.get $inRow))))
              (local.set $j (i32.const 0))
              ${repeatWhile('(i32.lt_u (local.get $j) (local.get $fW))')`
                (local.set $value (v128.load (i32.add (local.get $x) (local.get $at))))
                (local.set $hit (v128.andnot
                  (v128.and (f32x4.eq (local.get $value) (local.get $best)) (local.get $live)) (local.get $taken)))
                (local.set $taken (v128.or (local.get $taken) (local.get $hit)))
                (v128.store (i32.add (local.get $dx) (local.get $at)) (v128.and (local.get $hit) (local.get $gradient)))
                (local.set $at (i32.add (local.get $at) (local.get $pixel)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))`}
              (local.set $i (i32.add (local.get $i) (i32.const 1)))`}))`}
      (local.set $g (i32.add (local.get $g) (local.get $pixel)))`})
`;
