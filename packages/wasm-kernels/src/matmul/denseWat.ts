import { countUp } from '../heap/watLoops';

/**
 * What a dense layer adds to its product, each way (denseOnHeap.ts has the reasons), on [rows, cols] float32, any
 * cols: whole vectors of four columns, then single columns for the rest of each row.
 *   denseBiasAct(x, bias, rows, cols, hasBias, relu): x = act(x + bias) in place, bias [cols] added to every row
 *     where hasBias, act ReLU where relu (x < 0 ? 0 : x, so NaN stays, as tfjs' relu) else the identity
 *   denseGrad(dy, y, dz, db, acc, rows, cols, relu): where relu, dz = y > 0 ? dy : 0 (ReLU's gradient read from its
 *     output, as tfjs' is); db = the column sums of dz (of dy where not relu), summed in float64 in `acc`
 *     (cols doubles of scratch) and rounded once: a Transformer's feed-forward sums 2,048 rows
 */
const overColumns = (vector: string, scalar: string) => `
      (local.set $i (i32.const 0))
      (local.set $j (i32.const 0))
      ${countUp('$i', '(local.get $vectors)', 16)`
        ${vector}
        (local.set $j (i32.add (local.get $j) (i32.const 32)))`}
      ${countUp('$i', '(local.get $width)', 4)`
        ${scalar}
        (local.set $j (i32.add (local.get $j) (i32.const 8)))`}`;

const at = (base: string, offset = '$i') => `(i32.add (local.get ${base}) (local.get ${offset}))`;
const ZERO = '(v128.const i32x4 0 0 0 0)';
const HIGH_HALF = (v: string) => `(i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 ${v} ${v})`;
const addToAcc = (offset: number, value: string) =>
  `(v128.store offset=${offset} ${at('$acc', '$j')} (f64x2.add (v128.load offset=${offset} ${at('$acc', '$j')}) (f64x2.promote_low_f32x4 ${value})))`;

const LOCALS =
  '(local $r i32) (local $i i32) (local $j i32) (local $width i32) (local $vectors i32) (local $v v128) (local $s f32)';
const WIDTHS = `
    (local.set $width (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $vectors (i32.and (local.get $width) (i32.const -16)))`;

export const DENSE_WAT = `
  (func (export "denseBiasAct")
    (param $x i32) (param $bias i32) (param $rows i32) (param $cols i32) (param $hasBias i32) (param $relu i32)
    ${LOCALS}
    ${WIDTHS}
    ${countUp('$r', '(local.get $rows)', 1)`
      ${overColumns(
        `(local.set $v (v128.load ${at('$x')}))
        (if (local.get $hasBias) (then (local.set $v (f32x4.add (local.get $v) (v128.load ${at('$bias')})))))
        (if (local.get $relu) (then (local.set $v (f32x4.pmax (local.get $v) ${ZERO}))))
        (v128.store ${at('$x')} (local.get $v))`,
        `(local.set $s (f32.load ${at('$x')}))
        (if (local.get $hasBias) (then (local.set $s (f32.add (local.get $s) (f32.load ${at('$bias')})))))
        (if (local.get $relu) (then
          (local.set $s (select (f32.const 0) (local.get $s) (f32.lt (local.get $s) (f32.const 0))))))
        (f32.store ${at('$x')} (local.get $s))`,
      )}
      (local.set $x (i32.add (local.get $x) (local.get $width)))`})

  (func (export "denseGrad")
    (param $dy i32) (param $y i32) (param $dz i32) (param $db i32) (param $acc i32) (param $rows i32) (param $cols i32)
    (param $relu i32)
    ${LOCALS}
    ${WIDTHS}
    (local.set $i (i32.const 0))
    ${countUp('$i', '(i32.shl (local.get $width) (i32.const 1))', 8)`
      (f64.store ${at('$acc')} (f64.const 0))`}
    ${countUp('$r', '(local.get $rows)', 1)`
      ${overColumns(
        `(local.set $v (v128.load ${at('$dy')}))
        (if (local.get $relu) (then
          (local.set $v (v128.and (local.get $v) (f32x4.gt (v128.load ${at('$y')}) ${ZERO})))
          (v128.store ${at('$dz')} (local.get $v))))
        ${addToAcc(0, '(local.get $v)')}
        ${addToAcc(16, HIGH_HALF('(local.get $v)'))}`,
        `(local.set $s (f32.load ${at('$dy')}))
        (if (local.get $relu) (then
          (local.set $s (select (local.get $s) (f32.const 0) (f32.gt (f32.load ${at('$y')}) (f32.const 0))))
          (f32.store ${at('$dz')} (local.get $s))))
        (f64.store ${at('$acc', '$j')} (f64.add (f64.load ${at('$acc', '$j')}) (f64.promote_f32 (local.get $s))))`,
      )}
      (local.set $dy (i32.add (local.get $dy) (local.get $width)))
      (local.set $y (i32.add (local.get $y) (local.get $width)))
      (local.set $dz (i32.add (local.get $dz) (local.get $width)))`}
    (local.set $i (i32.const 0))
    (local.set $j (i32.const 0))
    ${countUp('$i', '(local.get $width)', 4)`
      (f32.store ${at('$db')} (f32.demote_f64 (f64.load ${at('$acc', '$j')})))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))`})
`;
