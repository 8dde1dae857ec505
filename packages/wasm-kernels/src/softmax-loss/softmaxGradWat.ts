import { countUp } from '../heap/watLoops';

/**
 * The gradient of a softmax over the rows of y [rows, length] float32, four lanes at a time (softmaxGradOnHeap.ts has
 * the reasons); length a multiple of 4.
 *   softmaxGrad(y, dy, dx, rows, length): dx = y * (dy - sum(dy * y)), per row
 */
const sumLanes = (v: string) =>
  `(f32.add (f32.add (f32x4.extract_lane 0 ${v}) (f32x4.extract_lane 1 ${v}))
            (f32.add (f32x4.extract_lane 2 ${v}) (f32x4.extract_lane 3 ${v})))`;

/** A loop over the row, $i in bytes. */
const overRow = (body: string) => `
      (local.set $i (i32.const 0))
      ${countUp('$i', '(local.get $width)', 16)`
        ${body}`}`;

export const SOFTMAX_GRAD_WAT = `
  (func (export "softmaxGrad") (param $y i32) (param $dy i32) (param $dx i32) (param $rows i32) (param $length i32)
    (local $r i32) (local $i i32) (local $width i32) (local $acc v128) (local $total v128)
    (local.set $width (i32.shl (local.get $length) (i32.const 2)))
    ${countUp('$r', '(local.get $rows)', 1)`
      (local.set $acc (v128.const i32x4 0 0 0 0))
      ${overRow(`(local.set $acc (f32x4.add (local.get $acc)
          (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $i))) (v128.load (i32.add (local.get $y) (local.get $i))))))`)}
      (local.set $total (f32x4.splat ${sumLanes('(local.get $acc)')}))
      ${overRow(`(v128.store (i32.add (local.get $dx) (local.get $i)) (f32x4.mul (v128.load (i32.add (local.get $y) (local.get $i)))
          (f32x4.sub (v128.load (i32.add (local.get $dy) (local.get $i))) (local.get $total))))`)}
      (local.set $y (i32.add (local.get $y) (local.get $width)))
      (local.set $dy (i32.add (local.get $dy) (local.get $width)))
      (local.set $dx (i32.add (local.get $dx) (local.get $width)))`})
`;
