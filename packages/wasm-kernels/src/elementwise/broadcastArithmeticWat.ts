import { countUp } from '../heap/watLoops';

/**
 * Add, Sub and Multiply of float32 where one operand is broadcast (broadcastArithmetic.ts has the reasons), four
 * lanes at a time; `a` is the full operand, `b` the broadcast one, byte offsets into tfjs' heap.
 *   rows{Op}(a, b, out, outer, middle, inner): out[o, m, i] = a[o, m, i] op b[o, i]; inner a multiple of 4
 *   splat{Op}(a, b, out, rows, length): out[r, i] = a[r, i] op b[r]; length a multiple of 4
 * with op add, sub (a - b), subFrom (b - a) or mul. One function per operator, so that the loop has no branch.
 *   reluInPlace(x, n): x = max(x, 0) over n floats, n a multiple of 4; NaN stays NaN (fusedMatMulOnHeap.ts)
 */
const ARITHMETIC_OPS = { Add: 'f32x4.add', Sub: 'f32x4.sub', SubFrom: 'f32x4.sub', Mul: 'f32x4.mul' } as const;
export type ArithmeticOp = keyof typeof ARITHMETIC_OPS;

/** The module's broadcast functions, two an operator: rowsAdd, splatAdd, rowsSub, ... */
export const BROADCAST_KERNELS = (Object.keys(ARITHMETIC_OPS) as ArithmeticOp[]).flatMap(
  (op) => [`rows${op}`, `splat${op}`] as const,
);

const apply = (op: ArithmeticOp, a: string, b: string) =>
  op === 'SubFrom' ? `(${ARITHMETIC_OPS[op]} ${b} ${a})` : `(${ARITHMETIC_OPS[op]} ${a} ${b})`;

const rows = (op: ArithmeticOp) => `
  (func (export "rows${op}")
    (param $a i32) (param $b i32) (param $out i32) (param $outer i32) (param $middle i32) (param $inner i32)
    (local $o i32) (local $m i32) (local $i i32) (local $width i32) (local $bRow i32)
    (local.set $width (i32.shl (local.get $inner) (i32.const 2)))
    ${countUp('$o', '(local.get $outer)', 1)`
      (local.set $bRow (i32.add (local.get $b) (i32.mul (local.get $o) (local.get $width))))
      (local.set $m (i32.const 0))
      ${countUp('$m', '(local.get $middle)', 1)`
        (local.set $i (i32.const 0))
        ${countUp('$i', '(local.get $width)', 16)`
          (v128.store (i32.add (local.get $out) (local.get $i))
            ${apply(op, '(v128.load (i32.add (local.get $a) (local.get $i)))', '(v128.load (i32.add (local.get $bRow) (local.get $i)))')})`}
        (local.set $a (i32.add (local.get $a) (local.get $width)))
        (local.set $out (i32.add (local.get $out) (local.get $width)))`}`})`;

const splat = (op: ArithmeticOp) => `
  (func (export "splat${op}")
    (param $a i32) (param $b i32) (param $out i32) (param $rows i32) (param $length i32)
    (local $r i32) (local $i i32) (local $width i32) (local $value v128)
    (local.set $width (i32.shl (local.get $length) (i32.const 2)))
    ${countUp('$r', '(local.get $rows)', 1)`
      (local.set $value (v128.load32_splat (i32.add (local.get $b) (i32.shl (local.get $r) (i32.const 2)))))
      (local.set $i (i32.const 0))
      ${countUp('$i', '(local.get $width)', 16)`
        (v128.store (i32.add (local.get $out) (local.get $i))
          ${apply(op, '(v128.load (i32.add (local.get $a) (local.get $i)))', '(local.get $value)')})`}
      (local.set $a (i32.add (local.get $a) (local.get $width)))
      (local.set $out (i32.add (local.get $out) (local.get $width)))`})`;

const reluInPlace = `
  (func (export "reluInPlace") (param $x i32) (param $n i32) (local $end i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    ${countUp('$x', '(local.get $end)', 16)`
      ;; pmax(x, 0) = x < 0 ? 0 : x, as tfjs' relu: NaN is not below 0, so it stays
      (v128.store (local.get $x) (f32x4.pmax (v128.load (local.get $x)) (v128.const i32x4 0 0 0 0)))`})`;

export const BROADCAST_ARITHMETIC_WAT =
  (Object.keys(ARITHMETIC_OPS) as ArithmeticOp[]).map((op) => rows(op) + splat(op)).join('\n') + reluInPlace;
