import { countUp, loopUntil, repeatWhile } from '../heap/watLoops';

/**
 * A float32 product for the heap SIMD module, C[t] = A[t] B[t] for t < items, any m, k, n:
 *   gemm(a, b, c, items, m, k, n, strideA, strideB, rowStepA, kStepA)
 * and gemmInto, the same with C[t] += A[t] B[t] (a sum over k taken in several calls).
 * A's element (i, p) lies at a + i * rowStepA + p * kStepA (bytes), so a transposed A ([k, m] in memory, a weight
 * gradient's X^T, a convolution's unfolded patches) is read where it lies, with no transpose written first. B [k, n]
 * and C [m, n] are row-major. Item strides in bytes, 0 where every item shares the operand.
 *
 * Blocks of 4 rows x 8 columns (eight f32x4 accumulators, two loads of B and four splats of A for 32 multiply-adds),
 * then a 4 x 4 block and single columns for what is left of n; a last block of fewer than 4 rows points its spare
 * rows at its last real row, so it computes and stores that row's values again instead of branching. k runs in
 * chunks of KC so that the 4 rows of A and the chunk of B a block reads stay in cache while the next blocks reuse
 * them; after the first chunk a block adds to what C holds. XNNPACK instead packs B at every call, and in training
 * B is new at every call (a weight after its update, a gradient).
 *
 * The text is generated: the three block shapes differ only in how many columns they carry.
 */
const KC = 256;
/** Columns of B a panel holds, so that a chunk of it (KC x NC floats, 128 kB) stays in the L2 cache. */
const NC = 128;

export const rowsOf = [0, 1, 2, 3];

/**
 * The pieces of a block of 4 rows x `vectors` f32x4 columns (or one scalar column where vectors is 0), shared with
 * the convolutions' blocks (convGemmWat.ts): the locals, the accumulators' start (zero where $first, else what C
 * holds), the loop over $count values of k (A's rows at $a0..$a3, advanced by $kStep; B's row at $b, advanced by
 * $rowB) and the stores to $c0..$c3.
 */
export function blockParts(vectors: number) {
  const scalar = vectors === 0;
  const lanes = scalar ? [0] : Array.from({ length: vectors }, (_, v) => v);
  const type = scalar ? 'f32' : 'v128';
  const acc = (r: number, v: number) => `$acc${r}${v}`;
  const load = (address: string, offset: number) =>
    scalar ? `(f32.load ${address})` : `(v128.load offset=${offset * 16} ${address})`;
  const store = (address: string, offset: number, value: string) =>
    scalar ? `(f32.store ${address} ${value})` : `(v128.store offset=${offset * 16} ${address} ${value})`;
  const splat = (address: string) => (scalar ? `(f32.load ${address})` : `(v128.load32_splat ${address})`);
  const [mul, add] = scalar ? ['f32.mul', 'f32.add'] : ['f32x4.mul', 'f32x4.add'];
  const zero = scalar ? '(f32.const 0)' : '(v128.const i32x4 0 0 0 0)';
  const locals = [
    ...rowsOf.flatMap((r) => lanes.map((v) => `(local ${acc(r, v)} ${type})`)),
    ...lanes.map((v) => `(local $b${v} ${type})`),
    `(local $s ${type})`,
  ].join(' ');
  const init = rowsOf
    .flatMap((r) =>
      lanes.map(
        (v) =>
          `(local.set ${acc(r, v)} (if (result ${type}) (local.get $first) (then ${zero}) (else ${load(`(local.get $c${r})`, v)})))`,
      ),
    )
    .join('\n      ');
  const step = [
    ...lanes.map((v) => `(local.set $b${v} ${load('(local.get $b)', v)})`),
    ...rowsOf.flatMap((r) => [
      `(local.set $s ${splat(`(local.get $a${r})`)})`,
      ...lanes.map(
        (v) => `(local.set ${acc(r, v)} (${add} (local.get ${acc(r, v)}) (${mul} (local.get $s) (local.get $b${v}))))`,
      ),
      `(local.set $a${r} (i32.add (local.get $a${r}) (local.get $kStep)))`,
    ]),
  ].join('\n        ');
  const stores = rowsOf
    .flatMap((r) => lanes.map((v) => store(`(local.get $c${r})`, v, `(local.get ${acc(r, v)})`)))
    .join('\n      ');
  const loop = `${loopUntil('(i32.eqz (local.get $count))')`
        ${step}
        (local.set $b (i32.add (local.get $b) (local.get $rowB)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))`}`;
  return { locals, init, loop, stores };
}

/** The block shapes every product runs: 4 x 8, 4 x 4 and single columns, by the f32x4 vectors they carry. */
export const BLOCK_SHAPES = [
  { suffix: '8', vectors: 2, width: 8 },
  { suffix: '4', vectors: 1, width: 4 },
  { suffix: '1', vectors: 0, width: 1 },
] as const;

/**
 * One block of 4 rows x `vectors` f32x4 columns over a chunk of $count values of k; the 8-wide one runs $blocks
 * blocks side by side, so that a short k (a product over 32 channels) does not pay a call for every 32 of them.
 */
function blockFunction(name: string, vectors: number): string {
  const { locals, init, loop, stores } = blockParts(vectors);
  const repeated = vectors === 2;
  const width = vectors * 16;
  const kLoop = `
      ${init}
      ${loop}
      ${stores}`;
  return `
  (func ${name}
    (param $a0 i32) (param $a1 i32) (param $a2 i32) (param $a3 i32) (param $kStep i32) (param $b i32)
    (param $rowB i32) (param $count i32) (param $c0 i32) (param $c1 i32) (param $c2 i32) (param $c3 i32)
    (param $first i32)${repeated ? ' (param $blocks i32)' : ''}
    ${locals}${repeated ? ' (local $k i32) (local $bStart i32) (local $aStart0 i32) (local $aStart1 i32) (local $aStart2 i32) (local $aStart3 i32)' : ''}
    ${
      repeated
        ? `(local.set $k (local.get $count)) (local.set $bStart (local.get $b))
      ${rowsOf.map((r) => `(local.set $aStart${r} (local.get $a${r}))`).join(' ')}
      ${loopUntil('(i32.eqz (local.get $blocks))')`
        ${kLoop}
        (local.set $count (local.get $k))
        (local.set $bStart (i32.add (local.get $bStart) (i32.const ${width})))
        (local.set $b (local.get $bStart))
        ${rowsOf.map((r) => `(local.set $a${r} (local.get $aStart${r}))`).join(' ')}
        ${rowsOf.map((r) => `(local.set $c${r} (i32.add (local.get $c${r}) (i32.const ${width})))`).join(' ')}
        (local.set $blocks (i32.sub (local.get $blocks) (i32.const 1)))`}`
        : kLoop
    })`;
}

/** Calls one block function for the columns from $j, with the row pointers of the current 4-row panel. */
const callBlock = (name: string, blocks = '') => `
            (call ${name}
              (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3) (local.get $kStepA)
              (i32.add (local.get $bChunk) (i32.shl (local.get $j) (i32.const 2))) (local.get $rowB) (local.get $count)
              (i32.add (local.get $c0) (i32.shl (local.get $j) (i32.const 2)))
              (i32.add (local.get $c1) (i32.shl (local.get $j) (i32.const 2)))
              (i32.add (local.get $c2) (i32.shl (local.get $j) (i32.const 2)))
              (i32.add (local.get $c3) (i32.shl (local.get $j) (i32.const 2)))
              (local.get $first) ${blocks})`;

/** Row r of the panel, or the panel's last real row where the panel has fewer than r + 1. */
const rowPointer = (base: string, step: string, r: number) =>
  r === 0
    ? ''
    : `(local.set $${base}${r} (i32.add (local.get $${base}0)
          (i32.mul (local.get ${step}) (select (i32.const ${r}) (i32.sub (local.get $rows) (i32.const 1))
            (i32.lt_u (i32.const ${r}) (local.get $rows))))))`;

/** The driver over items, chunks of k, panels and blocks; `into` adds to what C holds instead of writing it. */
const gemmFunction = (name: string, into: boolean) => `
  (func (export "${name}")
    (param $a i32) (param $b i32) (param $c i32) (param $items i32) (param $m i32) (param $k i32) (param $n i32)
    (param $strideA i32) (param $strideB i32) (param $rowStepA i32) (param $kStepA i32)
    (local $item i32) (local $kc i32) (local $i i32) (local $j i32) (local $rows i32) (local $count i32)
    (local $first i32) (local $rowB i32) (local $aItem i32) (local $bItem i32) (local $cItem i32)
    (local $bChunk i32) (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local $c0 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32) (local $jc i32) (local $jEnd i32) (local $eights i32)
    (local.set $rowB (i32.shl (local.get $n) (i32.const 2)))
    ${countUp('$item', '(local.get $items)', 1)`
      (local.set $aItem (i32.add (local.get $a) (i32.mul (local.get $item) (local.get $strideA))))
      (local.set $bItem (i32.add (local.get $b) (i32.mul (local.get $item) (local.get $strideB))))
      (local.set $cItem (i32.add (local.get $c) (i32.mul (local.get $item) (i32.mul (local.get $m) (local.get $rowB)))))
      (local.set $kc (i32.const 0))
      (local.set $first (i32.const ${into ? 0 : 1}))
      ${repeatWhile('(i32.lt_u (local.get $kc) (local.get $k))')`
        (local.set $count (select (i32.const ${KC}) (i32.sub (local.get $k) (local.get $kc))
          (i32.gt_u (i32.sub (local.get $k) (local.get $kc)) (i32.const ${KC}))))
        (local.set $bChunk (i32.add (local.get $bItem) (i32.mul (local.get $kc) (local.get $rowB))))
        (local.set $jc (i32.const 0))
        ${repeatWhile('(i32.lt_u (local.get $jc) (local.get $n))')`
        (local.set $jEnd (select (i32.add (local.get $jc) (i32.const ${NC})) (local.get $n)
          (i32.lt_u (i32.add (local.get $jc) (i32.const ${NC})) (local.get $n))))
        (local.set $i (i32.const 0))
        ${countUp('$i', '(local.get $m)', 4)`
          (local.set $rows (select (i32.const 4) (i32.sub (local.get $m) (local.get $i))
            (i32.gt_u (i32.sub (local.get $m) (local.get $i)) (i32.const 4))))
          (local.set $a0 (i32.add (local.get $aItem) (i32.add
            (i32.mul (local.get $i) (local.get $rowStepA)) (i32.mul (local.get $kc) (local.get $kStepA)))))
          ${rowsOf.map((r) => rowPointer('a', '$rowStepA', r)).join('\n          ')}
          (local.set $c0 (i32.add (local.get $cItem) (i32.mul (local.get $i) (local.get $rowB))))
          ${rowsOf.map((r) => rowPointer('c', '$rowB', r)).join('\n          ')}
          (local.set $j (local.get $jc))
          (local.set $eights (i32.shr_u (i32.sub (local.get $jEnd) (local.get $j)) (i32.const 3)))
          ${callBlock('$gemmBlock8', '(local.get $eights)')}
          (local.set $j (i32.add (local.get $j) (i32.shl (local.get $eights) (i32.const 3))))
          (if (i32.le_u (i32.add (local.get $j) (i32.const 4)) (local.get $jEnd)) (then
            ${callBlock('$gemmBlock4')}
            (local.set $j (i32.add (local.get $j) (i32.const 4)))))
          ${countUp('$j', '(local.get $jEnd)', 1)`
            ${callBlock('$gemmBlock1')}`}`}
        (local.set $jc (local.get $jEnd))`}
        (local.set $first (i32.const 0))
        (local.set $kc (i32.add (local.get $kc) (i32.const ${KC})))`}`})`;

export const GEMM_WAT = `
  ${blockFunction('$gemmBlock8', 2)}
  ${blockFunction('$gemmBlock4', 1)}
  ${blockFunction('$gemmBlock1', 0)}
  ${gemmFunction('gemm', false)}
  ${gemmFunction('gemmInto', true)}
`;
