import { countUp, loopUntil, repeatWhile } from '../heap/watLoops';

import { BLOCK_SHAPES, blockParts, rowsOf } from '../matmul/gemmWat';

/**
 * A convolution (NHWC, filter [kh, kw, C, O], any stride, no dilation) and its weight gradient as products that
 * read the input where it lies: no patches are written out. XNNPACK's convolution and the unfolded product before
 * these ran the 3 x 3 layers of a CNN at ~35 GFLOP/s here, the product alone at ~48; writing and rereading
 * patches 9 times the input's size is the difference.
 *
 *   convGemm(x, w, y, scratch, batch, height, width, channels, outH, outW, outC, kh, kw, sh, sw, top, left)
 *     y[p, o] = sum_{t, c} x[tap_t(p), c] * w[t, c, o] over output positions p = (b, r, q) and taps t = (i, j):
 *     the product of the implicit patches [P, kh*kw*C] and w [kh*kw*C, O]. For 4 positions at a time a table in
 *     `scratch` holds where each tap's C channels start (or a row of zeros in `scratch` where the tap falls in the
 *     padding); blocks of 4 positions x 8 (4, 1) output channels then run k over the taps and their channels,
 *     with w's rows in the order they lie. scratch: C floats, then 4 * kh * kw addresses.
 *
 *   convFilterGemm(x, dy, dw, batch, height, width, channels, outH, outW, outC, kh, kw, sh, sw, top, left, images)
 *     dw[t, c, o] = sum_p x[tap_t(p), c] * dy[p, o]: blocks of 4 channels of one tap x 8 (4, 1) output channels
 *     run k over the positions where the tap falls inside the image (a rectangle of rows x columns per image), so
 *     the padding costs nothing. `images` at a time, so that their x and dy stay in the L2 cache while every block
 *     passes over them; C a multiple of 4.
 *
 * The input gradient of a stride-1 convolution is convGemm on dy with the filter turned and transposed
 * (implicitGemmConv.ts).
 */

/** One block of the convolution: 4 positions x `vectors` f32x4 output channels, k over $taps table entries. */
function tapBlock(name: string, vectors: number): string {
  const { locals, init, loop, stores } = blockParts(vectors);
  return `
  (func ${name}
    (param $table i32) (param $taps i32) (param $channels i32) (param $b i32) (param $rowB i32)
    (param $c0 i32) (param $c1 i32) (param $c2 i32) (param $c3 i32)
    ${locals} (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $count i32)
    (local $kStep i32) (local $first i32)
      (local.set $kStep (i32.const 4))
      (local.set $first (i32.const 1))
      ${init}
      ${loopUntil('(i32.eqz (local.get $taps))')`
        ${rowsOf.map((r) => `(local.set $a${r} (i32.load offset=${r * 4} (local.get $table)))`).join(' ')}
        (local.set $count (local.get $channels))
        ${loop}
        (local.set $table (i32.add (local.get $table) (i32.const 16)))
        (local.set $taps (i32.sub (local.get $taps) (i32.const 1)))`}
      ${stores})`;
}

/**
 * One block of the weight gradient: 4 consecutive channels of one tap x `vectors` f32x4 output channels, k over
 * $images x $rows x $columns positions; A steps $kStep a column, $aRow a row, $aImage an image, B likewise.
 */
function positionBlock(name: string, vectors: number): string {
  const { locals, init, loop, stores } = blockParts(vectors);
  return `
  (func ${name}
    (param $a i32) (param $bStart i32) (param $images i32) (param $rows i32) (param $columns i32)
    (param $kStep i32) (param $rowB i32) (param $aRow i32) (param $bRow i32) (param $aImage i32) (param $bImage i32)
    (param $c0 i32) (param $c1 i32) (param $c2 i32) (param $c3 i32) (param $first i32)
    ${locals} (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $b i32) (local $count i32)
    (local $aLine i32) (local $bLine i32) (local $row i32)
      ${init}
      ${loopUntil('(i32.eqz (local.get $images))')`
        (local.set $aLine (local.get $a))
        (local.set $bLine (local.get $bStart))
        (local.set $row (local.get $rows))
        ${loopUntil('(i32.eqz (local.get $row))')`
          ${rowsOf.map((r) => `(local.set $a${r} (i32.add (local.get $aLine) (i32.const ${r * 4})))`).join(' ')}
          (local.set $b (local.get $bLine))
          (local.set $count (local.get $columns))
          ${loop}
          (local.set $aLine (i32.add (local.get $aLine) (local.get $aRow)))
          (local.set $bLine (i32.add (local.get $bLine) (local.get $bRow)))
          (local.set $row (i32.sub (local.get $row) (i32.const 1)))`}
        (local.set $a (i32.add (local.get $a) (local.get $aImage)))
        (local.set $bStart (i32.add (local.get $bStart) (local.get $bImage)))
        (local.set $images (i32.sub (local.get $images) (i32.const 1)))`}
      ${stores})`;
}

/** Calls the blocks of every shape across the output channels from $j = 0, `args(shape)` giving their arguments. */
function acrossColumns(prefix: string, args: string): string {
  return BLOCK_SHAPES.map(({ suffix, width }) => {
    const call = `(call ${prefix}${suffix} ${args})
            (local.set $j (i32.add (local.get $j) (i32.const ${width})))`;
    // The 4-wide block runs at most once: after the 8-wide ones fewer than 8 columns are left.
    return width === 4
      ? `(if (i32.le_u (i32.add (local.get $j) (i32.const 4)) (local.get $outC)) (then ${call}))`
      : `${loopUntil(`(i32.gt_u (i32.add (local.get $j) (i32.const ${width})) (local.get $outC))`)`
            ${call}`}`;
  }).join('\n          ');
}

/** Column j's address in row r of C (dw or y), whose row r starts at $c{r}. */
const columnOf = (r: number) => `(i32.add (local.get $c${r}) (i32.shl (local.get $j) (i32.const 2)))`;

/** The range [lo, hi) of output indices whose tap (offset `tap` into the filter) falls inside [0, size). */
const insideRange = (lo: string, hi: string, tap: string, size: string, stride: string, pad: string, out: string) => `
        ;; o * stride + tap - pad in [0, size): o >= ceil((pad - tap) / stride), o <= floor((size - 1 + pad - tap) / stride)
        (local.set ${lo} (i32.sub (local.get ${pad}) (local.get ${tap})))
        (local.set ${lo} (select (i32.div_s (i32.add (local.get ${lo}) (i32.sub (local.get ${stride}) (i32.const 1)))
          (local.get ${stride})) (i32.const 0) (i32.gt_s (local.get ${lo}) (i32.const 0))))
        (local.set ${hi} (i32.sub (i32.add (local.get ${size}) (local.get ${pad})) (i32.add (local.get ${tap}) (i32.const 1))))
        (local.set ${hi} (select (i32.add (i32.div_s (local.get ${hi}) (local.get ${stride})) (i32.const 1)) (i32.const 0)
          (i32.ge_s (local.get ${hi}) (i32.const 0))))
        (local.set ${hi} (select (local.get ${out}) (local.get ${hi}) (i32.gt_s (local.get ${hi}) (local.get ${out}))))
        (local.set ${hi} (select (local.get ${lo}) (local.get ${hi}) (i32.lt_s (local.get ${hi}) (local.get ${lo}))))`;

export const CONV_GEMM_WAT = `
  ${BLOCK_SHAPES.map(({ suffix, vectors }) => tapBlock(`$tapBlock${suffix}`, vectors)).join('\n')}
  ${BLOCK_SHAPES.map(({ suffix, vectors }) => positionBlock(`$positionBlock${suffix}`, vectors)).join('\n')}
  (func (export "convGemm")
    (param $x i32) (param $w i32) (param $y i32) (param $scratch i32) (param $batch i32) (param $height i32)
    (param $width i32) (param $channels i32) (param $outH i32) (param $outW i32) (param $outC i32) (param $fH i32)
    (param $fW i32) (param $sH i32) (param $sW i32) (param $top i32) (param $left i32)
    (local $pixel i32) (local $rowB i32) (local $table i32) (local $taps i32) (local $positions i32) (local $i i32)
    (local $r i32) (local $p i32) (local $q i32) (local $row i32) (local $image i32) (local $ki i32) (local $kj i32)
    (local $iy i32) (local $ix i32) (local $entry i32) (local $j i32)
    (local $c0 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
    (local.set $pixel (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $rowB (i32.shl (local.get $outC) (i32.const 2)))
    (local.set $table (i32.add (local.get $scratch) (local.get $pixel)))
    (local.set $taps (i32.mul (local.get $fH) (local.get $fW)))
    (local.set $positions (i32.mul (local.get $batch) (i32.mul (local.get $outH) (local.get $outW))))
    (memory.fill (local.get $scratch) (i32.const 0) (local.get $pixel))
    ${countUp('$i', '(local.get $positions)', 4)`
      ;; The table: row r of the block is position i + r (the last position again past the end), its entry for
      ;; tap t at table + 16 t + 4 r.
      (local.set $r (i32.const 0))
      ${repeatWhile('(i32.lt_u (local.get $r) (i32.const 4))')`
        (local.set $p (i32.add (local.get $i) (local.get $r)))
        (local.set $p (select (i32.sub (local.get $positions) (i32.const 1)) (local.get $p)
          (i32.ge_u (local.get $p) (local.get $positions))))
        (local.set $q (i32.rem_u (local.get $p) (local.get $outW)))
        (local.set $row (i32.rem_u (i32.div_u (local.get $p) (local.get $outW)) (local.get $outH)))
        (local.set $image (i32.div_u (local.get $p) (i32.mul (local.get $outW) (local.get $outH))))
        (local.set $entry (i32.add (local.get $table) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $ki (i32.const 0))
        ${repeatWhile('(i32.lt_u (local.get $ki) (local.get $fH))')`
          (local.set $iy (i32.sub (i32.add (i32.mul (local.get $row) (local.get $sH)) (local.get $ki)) (local.get $top)))
          (local.set $kj (i32.const 0))
          ${repeatWhile('(i32.lt_u (local.get $kj) (local.get $fW))')`
            (local.set $ix (i32.sub (i32.add (i32.mul (local.get $q) (local.get $sW)) (local.get $kj)) (local.get $left)))
            (i32.store (local.get $entry)
              (select
                (i32.add (local.get $x) (i32.mul (local.get $pixel) (i32.add (local.get $ix)
                  (i32.mul (local.get $width) (i32.add (local.get $iy) (i32.mul (local.get $image) (local.get $height)))))))
                (local.get $scratch)
                (i32.and (i32.lt_u (local.get $iy) (local.get $height)) (i32.lt_u (local.get $ix) (local.get $width)))))
            (local.set $entry (i32.add (local.get $entry) (i32.const 16)))
            (local.set $kj (i32.add (local.get $kj) (i32.const 1)))`}
          (local.set $ki (i32.add (local.get $ki) (i32.const 1)))`}
        (local.set $r (i32.add (local.get $r) (i32.const 1)))`}
      ${rowsOf
        .map(
          (r) => `(local.set $c${r} (i32.add (local.get $y) (i32.mul (local.get $rowB)
        (select (i32.sub (local.get $positions) (i32.const 1)) (i32.add (local.get $i) (i32.const ${r}))
          (i32.ge_u (i32.add (local.get $i) (i32.const ${r})) (local.get $positions))))))`,
        )
        .join('\n      ')}
      (local.set $j (i32.const 0))
      ${acrossColumns(
        '$tapBlock',
        `(local.get $table) (local.get $taps) (local.get $channels)
              (i32.add (local.get $w) (i32.shl (local.get $j) (i32.const 2))) (local.get $rowB)
              ${rowsOf.map(columnOf).join(' ')}`,
      )}`})

  (func (export "convFilterGemm")
    (param $x i32) (param $dy i32) (param $dw i32) (param $batch i32) (param $height i32) (param $width i32)
    (param $channels i32) (param $outH i32) (param $outW i32) (param $outC i32) (param $fH i32) (param $fW i32)
    (param $sH i32) (param $sW i32) (param $top i32) (param $left i32) (param $chunk i32)
    (local $pixel i32) (local $rowB i32) (local $aCol i32) (local $aRow i32) (local $bRow i32) (local $aImage i32)
    (local $bImage i32) (local $b0 i32) (local $images i32) (local $first i32) (local $ki i32) (local $kj i32)
    (local $rowLo i32) (local $rowHi i32) (local $colLo i32) (local $colHi i32) (local $aTap i32) (local $bTap i32)
    (local $c i32) (local $j i32) (local $c0 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
    (local.set $pixel (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $rowB (i32.shl (local.get $outC) (i32.const 2)))
    (local.set $aCol (i32.mul (local.get $sW) (local.get $pixel)))
    (local.set $aRow (i32.mul (local.get $sH) (i32.mul (local.get $width) (local.get $pixel))))
    (local.set $bRow (i32.mul (local.get $outW) (local.get $rowB)))
    (local.set $aImage (i32.mul (local.get $height) (i32.mul (local.get $width) (local.get $pixel))))
    (local.set $bImage (i32.mul (local.get $outH) (local.get $bRow)))
    (local.set $first (i32.const 1))
    ${countUp('$b0', '(local.get $batch)', '(local.get $chunk)')`
      (local.set $images (select (local.get $chunk) (i32.sub (local.get $batch) (local.get $b0))
        (i32.lt_u (local.get $chunk) (i32.sub (local.get $batch) (local.get $b0)))))
      (local.set $ki (i32.const 0))
      ${repeatWhile('(i32.lt_u (local.get $ki) (local.get $fH))')`
        ${insideRange('$rowLo', '$rowHi', '$ki', '$height', '$sH', '$top', '$outH')}
        (local.set $kj (i32.const 0))
        ${repeatWhile('(i32.lt_u (local.get $kj) (local.get $fW))')`
          ${insideRange('$colLo', '$colHi', '$kj', '$width', '$sW', '$left', '$outW')}
          ;; Where the tap's rectangle starts in x and in dy, in the chunk's first image.
          (local.set $aTap (i32.add (local.get $x) (i32.add (i32.mul (local.get $b0) (local.get $aImage))
            (i32.mul (local.get $pixel) (i32.add
              (i32.sub (i32.add (i32.mul (local.get $colLo) (local.get $sW)) (local.get $kj)) (local.get $left))
              (i32.mul (local.get $width)
                (i32.sub (i32.add (i32.mul (local.get $rowLo) (local.get $sH)) (local.get $ki)) (local.get $top))))))))
          (local.set $bTap (i32.add (local.get $dy) (i32.add (i32.mul (local.get $b0) (local.get $bImage))
            (i32.mul (local.get $rowB) (i32.add (local.get $colLo) (i32.mul (local.get $outW) (local.get $rowLo)))))))
          (local.set $c (i32.const 0))
          ${repeatWhile('(i32.lt_u (local.get $c) (local.get $channels))')`
            (local.set $c0 (i32.add (local.get $dw) (i32.mul (local.get $rowB)
              (i32.add (local.get $c) (i32.mul (local.get $channels)
                (i32.add (local.get $kj) (i32.mul (local.get $ki) (local.get $fW))))))))
            ${rowsOf
              .slice(1)
              .map((r) => `(local.set $c${r} (i32.add (local.get $c${r - 1}) (local.get $rowB)))`)
              .join(' ')}
            (local.set $j (i32.const 0))
            ${acrossColumns(
              '$positionBlock',
              `(i32.add (local.get $aTap) (i32.shl (local.get $c) (i32.const 2)))
              (i32.add (local.get $bTap) (i32.shl (local.get $j) (i32.const 2)))
              (local.get $images) (i32.sub (local.get $rowHi) (local.get $rowLo))
              (i32.sub (local.get $colHi) (local.get $colLo)) (local.get $aCol) (local.get $rowB) (local.get $aRow)
              (local.get $bRow) (local.get $aImage) (local.get $bImage) ${rowsOf.map(columnOf).join(' ')}
              (local.get $first)`,
            )}
            (local.set $c (i32.add (local.get $c) (i32.const 4)))`}
          (local.set $kj (i32.add (local.get $kj) (i32.const 1)))`}
        (local.set $ki (i32.add (local.get $ki) (i32.const 1)))`}
      (local.set $first (i32.const 0))`})
`;
