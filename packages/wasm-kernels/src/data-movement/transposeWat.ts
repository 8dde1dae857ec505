import { countUp, loopUntil } from '../heap/watLoops';

/**
 * The swap of the last two axes of [outer, m, n] 4-byte elements, in 8 x 8 tiles (transposeOnHeap.ts has the
 * TypeScript version; every transposed matmul operand goes through it). Scalar WebAssembly, not SIMD: a JavaScript
 * loop pays bounds checks and a conversion per element, this is plain loads and stores.
 *   swapLastTwo(source, target, outer, m, n)
 */
export const TRANSPOSE_WAT = `
  (func (export "swapLastTwo")
    (param $src i32) (param $dst i32) (param $outer i32) (param $m i32) (param $n i32)
    (local $o i32) (local $i0 i32) (local $j0 i32) (local $i i32) (local $j i32) (local $iEnd i32) (local $jEnd i32)
    (local $base i32) (local $from i32) (local $to i32) (local $rowBytes i32) (local $columnBytes i32)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $columnBytes (i32.shl (local.get $m) (i32.const 2)))
    ${countUp('$o', '(local.get $outer)', 1)`
      (local.set $base (i32.mul (i32.mul (local.get $o) (local.get $m)) (local.get $rowBytes)))
      (local.set $i0 (i32.const 0))
      ${countUp('$i0', '(local.get $m)', 8)`
        (local.set $iEnd (select (local.get $m) (i32.add (local.get $i0) (i32.const 8))
          (i32.lt_u (local.get $m) (i32.add (local.get $i0) (i32.const 8)))))
        (local.set $j0 (i32.const 0))
        ${countUp('$j0', '(local.get $n)', 8)`
          (local.set $jEnd (select (local.get $n) (i32.add (local.get $j0) (i32.const 8))
            (i32.lt_u (local.get $n) (i32.add (local.get $j0) (i32.const 8)))))
          (local.set $i (local.get $i0))
          ${countUp('$i', '(local.get $iEnd)', 1)`
            (local.set $from (i32.add (i32.add (local.get $src) (local.get $base))
              (i32.add (i32.mul (local.get $i) (local.get $rowBytes)) (i32.shl (local.get $j0) (i32.const 2)))))
            (local.set $to (i32.add (i32.add (local.get $dst) (local.get $base))
              (i32.add (i32.mul (local.get $j0) (local.get $columnBytes)) (i32.shl (local.get $i) (i32.const 2)))))
            (local.set $j (local.get $j0))
            ${countUp('$j', '(local.get $jEnd)', 1)`
              (i32.store (local.get $to) (i32.load (local.get $from)))
              (local.set $from (i32.add (local.get $from) (i32.const 4)))
              (local.set $to (i32.add (local.get $to) (local.get $columnBytes)))`}`}`}`}`})
`;

/**
 * Rows of `row` 4-byte elements (a multiple of 4) gathered in output order over three output axes, each with its
 * input stride in bytes (a transpose that keeps the innermost axis, such as attention's [B, T, H, D] <-> [B, H, T, D];
 * unused axes have size 1). The target is written in order.
 *   copyRows(source, target, n0, n1, n2, stride0, stride1, stride2, row)
 */
export const COPY_ROWS_WAT = `
  (func (export "copyRows")
    (param $src i32) (param $dst i32) (param $n0 i32) (param $n1 i32) (param $n2 i32)
    (param $s0 i32) (param $s1 i32) (param $s2 i32) (param $row i32)
    (local $a i32) (local $b i32) (local $c i32) (local $from i32) (local $end i32) (local $to i32) (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $row) (i32.const 2)))
    (local.set $to (local.get $dst))
    ${countUp('$a', '(local.get $n0)', 1)`
      (local.set $b (i32.const 0))
      ${countUp('$b', '(local.get $n1)', 1)`
        (local.set $c (i32.const 0))
        ${countUp('$c', '(local.get $n2)', 1)`
          (local.set $from (i32.add (local.get $src)
            (i32.add (i32.add (i32.mul (local.get $a) (local.get $s0)) (i32.mul (local.get $b) (local.get $s1)))
              (i32.mul (local.get $c) (local.get $s2)))))
          (local.set $end (i32.add (local.get $from) (local.get $bytes)))
          ${loopUntil('(i32.ge_u (local.get $from) (local.get $end))')`
            (v128.store (local.get $to) (v128.load (local.get $from)))
            (local.set $from (i32.add (local.get $from) (i32.const 16)))
            (local.set $to (i32.add (local.get $to) (i32.const 16)))`}`}`}`})
`;
