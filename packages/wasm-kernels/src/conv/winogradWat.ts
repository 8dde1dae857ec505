import { countUp } from '../heap/watLoops';

/**
 * The two transforms of a 3 x 3, stride-1 convolution by Winograd's minimal filtering F(2 x 2, 3 x 3) (Lavin & Gray
 * 2016), NHWC, four channels at a time; winogradConv.ts has the product between them and the reasons.
 *
 *   winogradInput(x, v, zeros, batch, height, width, channels, tilesH, tilesW, top, left, tile0, tiles)
 *     For tiles t = tile0 .. tile0 + tiles - 1 (t = (b, ty, tx), each 2 x 2 outputs, reading the 4 x 4 inputs from
 *     row 2 ty - top, column 2 tx - left; `zeros` where they fall outside): v[xi, t - tile0, c] = (B^T d B)[xi],
 *     B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1].
 *   winogradOutput(m, y, batch, outH, outW, outC, tilesH, tilesW, tile0, tiles)
 *     y[b, 2 ty + i, 2 tx + j, o] = (A^T m[., t - tile0, o] A)[i, j] where inside y, A^T = [1 1 1 0; 0 1 -1 -1].
 *   winogradFilter(g, u, pairs, tapStep)
 *     u[xi, p] = (G g_p G^T)[xi] for p < pairs (a multiple of 4; a filter [3, 3, C, O] has C * O), G =
 *     [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1], tap k of pair p at g + k * tapStep + 4 p: a negative tapStep from
 *     the last tap reads the filter turned 180 degrees.
 *
 * The weight gradient's two (winogradConv.ts: dW = G^T [ sum over tiles of (B^T d B) . (A dy A^T) ] G):
 *   winogradGradient(dy, z, zeros, batch, outH, outW, outC, tilesH, tilesW, tile0, tiles)
 *     z[xi, t - tile0, o] = (A y A^T)[xi] for the 2 x 2 block y of dy tile t covers (zeros past the edges),
 *     A = [1 0; 1 1; 1 -1; 0 -1].
 *   winogradFilterGradient(m, dw, pairs)
 *     dw[i, j, p] = (G^T m[., p] G)[i, j] for the 4 x 4 block m of each channel pair p (pairs a multiple of 4).
 */

/** The 16 transformed values of a 4 x 4 block d (row-major names), by rows then by columns. */
function transform4x4(d: (i: number, j: number) => string, out: (index: number) => string): string[] {
  // B^T d: row 0 = d0 - d2, row 1 = d1 + d2, row 2 = d2 - d1, row 3 = d1 - d3; then the same on the columns.
  const rows = (v: (k: number) => string) => [
    `(f32x4.sub ${v(0)} ${v(2)})`,
    `(f32x4.add ${v(1)} ${v(2)})`,
    `(f32x4.sub ${v(2)} ${v(1)})`,
    `(f32x4.sub ${v(1)} ${v(3)})`,
  ];
  const lines: string[] = [];
  for (let j = 0; j < 4; j++) {
    const column = rows((i) => d(i, j));
    column.forEach((value, i) => lines.push(`(local.set $t${i}${j} ${value})`));
  }
  for (let i = 0; i < 4; i++) {
    const row = rows((j) => `(local.get $t${i}${j})`);
    row.forEach((value, j) => lines.push(out(i * 4 + j).replace('VALUE', value)));
  }
  return lines;
}

/** Tile tile0 + $t as ($image, $ty, $tx). */
const TILE_OF_T = `(local.set $tile (i32.add (local.get $tile0) (local.get $t)))
      (local.set $tx (i32.rem_u (local.get $tile) (local.get $tilesW)))
      (local.set $ty (i32.rem_u (i32.div_u (local.get $tile) (local.get $tilesW)) (local.get $tilesH)))
      (local.set $image (i32.div_u (local.get $tile) (i32.mul (local.get $tilesW) (local.get $tilesH))))`;

/** G v for three values v(0..2): v0, (v0 + v1 + v2) / 2, (v0 - v1 + v2) / 2, v2. */
const filterRows = (v: (k: number) => string) => [
  v(0),
  `(f32x4.mul (local.get $half) (f32x4.add (f32x4.add ${v(0)} ${v(1)}) ${v(2)}))`,
  `(f32x4.mul (local.get $half) (f32x4.add (f32x4.sub ${v(0)} ${v(1)}) ${v(2)}))`,
  v(2),
];

/** A y for two values y0, y1: y0, y0 + y1, y0 - y1, -y1. */
const gradientRows = (y0: string, y1: string) => [
  y0,
  `(f32x4.add ${y0} ${y1})`,
  `(f32x4.sub ${y0} ${y1})`,
  `(f32x4.neg ${y1})`,
];

/** G^T m for four values m(0..3): m0 + (m1 + m2) / 2, (m1 - m2) / 2, (m1 + m2) / 2 + m3. */
const gradientFilterRows = (m: (k: number) => string) => [
  `(f32x4.add ${m(0)} (f32x4.mul (local.get $half) (f32x4.add ${m(1)} ${m(2)})))`,
  `(f32x4.mul (local.get $half) (f32x4.sub ${m(1)} ${m(2)}))`,
  `(f32x4.add (f32x4.mul (local.get $half) (f32x4.add ${m(1)} ${m(2)})) ${m(3)})`,
];

/**
 * A function that maps a square block per channel pair, four pairs at a time, by the same 1-D transform `rows` on its
 * columns and then on its rows: block element (i, j) of pair p loaded by `load(i, j)` ($p the pair's byte offset),
 * element k of the result (row-major) stored at `at(k)`; the pairs' planes are $pairs * 4 bytes apart ($plane).
 */
function pairTransform(
  name: string,
  params: string,
  size: number,
  load: (i: number, j: number) => string,
  rows: (v: (k: number) => string) => string[],
  at: (index: number) => string,
): string {
  const inside = Array.from({ length: size }, (_, k) => k);
  const outside = Array.from({ length: rows(() => '').length }, (_, k) => k);
  return `
  (func (export "${name}") ${params}
    (local $p i32) (local $plane i32) (local $half v128)
    ${inside.flatMap((i) => inside.map((j) => `(local $in${i}${j} v128)`)).join(' ')}
    ${outside.flatMap((a) => inside.map((j) => `(local $l${a}${j} v128)`)).join(' ')}
    (local.set $half (f32x4.splat (f32.const 0.5)))
    (local.set $plane (i32.shl (local.get $pairs) (i32.const 2)))
    ${countUp('$p', '(local.get $plane)', 16)`
      ${inside.flatMap((i) => inside.map((j) => `(local.set $in${i}${j} ${load(i, j)})`)).join('\n      ')}
      ;; The transform down each column, then along each row of that.
      ${inside
        .map((j) =>
          rows((i) => `(local.get $in${i}${j})`)
            .map((value, a) => `(local.set $l${a}${j} ${value})`)
            .join(' '),
        )
        .join('\n      ')}
      ${outside
        .flatMap((a) =>
          rows((j) => `(local.get $l${a}${j})`).map(
            (value, b) => `(v128.store ${at(a * outside.length + b)} ${value})`,
          ),
        )
        .join('\n      ')}`})`;
}

const pairs = [0, 1, 2, 3].flatMap((i) => [0, 1, 2, 3].map((j) => [i, j] as const));

export const WINOGRAD_WAT = `
  (func (export "winogradInput")
    (param $x i32) (param $v i32) (param $zeros i32) (param $batch i32) (param $height i32) (param $width i32)
    (param $channels i32) (param $tilesH i32) (param $tilesW i32) (param $top i32) (param $left i32)
    (param $tile0 i32) (param $tiles i32)
    (local $pixel i32) (local $t i32) (local $tile i32) (local $ty i32) (local $tx i32) (local $image i32)
    (local $row i32) (local $column i32) (local $c i32) (local $plane i32) (local $to i32) (local $inside i32)
    ${pairs.map(([i, j]) => `(local $p${i}${j} i32)`).join(' ')}
    ${pairs.map(([i, j]) => `(local $t${i}${j} v128)`).join(' ')}
    (local.set $pixel (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $plane (i32.mul (local.get $tiles) (local.get $pixel)))
    ${countUp('$t', '(local.get $tiles)', 1)`
      ${TILE_OF_T}
      ;; Where each of the 16 inputs starts: in x, or the row of zeros.
      ${pairs
        .map(
          ([i, j]) => `
      (local.set $row (i32.sub (i32.add (i32.shl (local.get $ty) (i32.const 1)) (i32.const ${i})) (local.get $top)))
      (local.set $column (i32.sub (i32.add (i32.shl (local.get $tx) (i32.const 1)) (i32.const ${j})) (local.get $left)))
      (local.set $inside (i32.and (i32.lt_u (local.get $row) (local.get $height)) (i32.lt_u (local.get $column) (local.get $width))))
      (local.set $p${i}${j} (select
        (i32.add (local.get $x) (i32.mul (local.get $pixel) (i32.add (local.get $column)
          (i32.mul (local.get $width) (i32.add (local.get $row) (i32.mul (local.get $image) (local.get $height)))))))
        (local.get $zeros) (local.get $inside)))`,
        )
        .join('')}
      (local.set $to (i32.add (local.get $v) (i32.mul (local.get $t) (local.get $pixel))))
      (local.set $c (i32.const 0))
      ${countUp('$c', '(local.get $pixel)', 16)`
        ${transform4x4(
          (i, j) => `(v128.load (i32.add (local.get $p${i}${j}) (local.get $c)))`,
          (index) =>
            `(v128.store (i32.add (i32.add (local.get $to) (local.get $c)) (i32.mul (local.get $plane) (i32.const ${index}))) VALUE)`,
        ).join('\n        ')}`}`})

  (func (export "winogradOutput")
    (param $m i32) (param $y i32) (param $batch i32) (param $outH i32) (param $outW i32) (param $outC i32)
    (param $tilesH i32) (param $tilesW i32) (param $tile0 i32) (param $tiles i32)
    (local $pixel i32) (local $plane i32) (local $t i32) (local $tile i32) (local $ty i32) (local $tx i32)
    (local $image i32) (local $o i32) (local $from i32) (local $at i32) (local $down i32) (local $right i32)
    ${[0, 1, 2, 3].map((j) => `(local $s0${j} v128) (local $s1${j} v128)`).join(' ')}
    (local.set $pixel (i32.shl (local.get $outC) (i32.const 2)))
    (local.set $plane (i32.mul (local.get $tiles) (local.get $pixel)))
    ${countUp('$t', '(local.get $tiles)', 1)`
      ${TILE_OF_T}
      (local.set $at (i32.add (local.get $y) (i32.mul (local.get $pixel) (i32.add (i32.shl (local.get $tx) (i32.const 1))
        (i32.mul (local.get $outW) (i32.add (i32.shl (local.get $ty) (i32.const 1)) (i32.mul (local.get $image) (local.get $outH))))))))
      ;; The second output row and column exist unless the output's size is odd and this tile is the last.
      (local.set $down (i32.lt_u (i32.add (i32.shl (local.get $ty) (i32.const 1)) (i32.const 1)) (local.get $outH)))
      (local.set $right (i32.lt_u (i32.add (i32.shl (local.get $tx) (i32.const 1)) (i32.const 1)) (local.get $outW)))
      (local.set $from (i32.add (local.get $m) (i32.mul (local.get $t) (local.get $pixel))))
      (local.set $o (i32.const 0))
      ${countUp('$o', '(local.get $pixel)', 16)`
        ;; A^T m: row 0 = m0 + m1 + m2, row 1 = m1 - m2 - m3 (m_i the i-th row of the 4 x 4 block), per column.
        ${[0, 1, 2, 3]
          .map((j) => {
            const m = (i: number) =>
              `(v128.load (i32.add (i32.add (local.get $from) (local.get $o)) (i32.mul (local.get $plane) (i32.const ${i * 4 + j}))))`;
            return `(local.set $s0${j} (f32x4.add (f32x4.add ${m(0)} ${m(1)}) ${m(2)}))
        (local.set $s1${j} (f32x4.sub (f32x4.sub ${m(1)} ${m(2)}) ${m(3)}))`;
          })
          .join('\n        ')}
        ${[0, 1]
          .map((i) => {
            const first = `(f32x4.add (f32x4.add (local.get $s${i}0) (local.get $s${i}1)) (local.get $s${i}2))`;
            const second = `(f32x4.sub (f32x4.sub (local.get $s${i}1) (local.get $s${i}2)) (local.get $s${i}3))`;
            const rowAt =
              i === 0
                ? `(i32.add (local.get $at) (local.get $o))`
                : `(i32.add (i32.add (local.get $at) (local.get $o)) (i32.mul (local.get $outW) (local.get $pixel)))`;
            const stores = `(v128.store ${rowAt} ${first})
          (if (local.get $right) (then (v128.store (i32.add ${rowAt} (local.get $pixel)) ${second})))`;
            return i === 0 ? stores : `(if (local.get $down) (then ${stores}))`;
          })
          .join('\n        ')}`}`})

  ${pairTransform(
    'winogradFilter',
    '(param $g i32) (param $u i32) (param $pairs i32) (param $tapStep i32)',
    3,
    (i, j) =>
      `(v128.load (i32.add (i32.add (local.get $g) (local.get $p)) (i32.mul (local.get $tapStep) (i32.const ${i * 3 + j}))))`,
    filterRows,
    (index) => `(i32.add (i32.add (local.get $u) (local.get $p)) (i32.mul (local.get $plane) (i32.const ${index})))`,
  )}

  (func (export "winogradGradient")
    (param $dy i32) (param $z i32) (param $zeros i32) (param $batch i32) (param $outH i32) (param $outW i32)
    (param $outC i32) (param $tilesH i32) (param $tilesW i32) (param $tile0 i32) (param $tiles i32)
    (local $pixel i32) (local $plane i32) (local $t i32) (local $tile i32) (local $ty i32) (local $tx i32)
    (local $image i32) (local $o i32) (local $row i32) (local $column i32) (local $to i32)
    ${[0, 1].flatMap((i) => [0, 1].map((j) => `(local $p${i}${j} i32)`)).join(' ')}
    ${[0, 1, 2, 3].flatMap((a) => [0, 1].map((j) => `(local $t${a}${j} v128)`)).join(' ')}
    (local.set $pixel (i32.shl (local.get $outC) (i32.const 2)))
    (local.set $plane (i32.mul (local.get $tiles) (local.get $pixel)))
    ${countUp('$t', '(local.get $tiles)', 1)`
      ${TILE_OF_T}
      ${[0, 1]
        .flatMap((i) =>
          [0, 1].map(
            (j) => `
      (local.set $row (i32.add (i32.shl (local.get $ty) (i32.const 1)) (i32.const ${i})))
      (local.set $column (i32.add (i32.shl (local.get $tx) (i32.const 1)) (i32.const ${j})))
      (local.set $p${i}${j} (select
        (i32.add (local.get $dy) (i32.mul (local.get $pixel) (i32.add (local.get $column)
          (i32.mul (local.get $outW) (i32.add (local.get $row) (i32.mul (local.get $image) (local.get $outH)))))))
        (local.get $zeros)
        (i32.and (i32.lt_u (local.get $row) (local.get $outH)) (i32.lt_u (local.get $column) (local.get $outW)))))`,
          ),
        )
        .join('')}
      (local.set $to (i32.add (local.get $z) (i32.mul (local.get $t) (local.get $pixel))))
      (local.set $o (i32.const 0))
      ${countUp('$o', '(local.get $pixel)', 16)`
        ;; A y: per column j of y, the rows y0, y0 + y1, y0 - y1, -y1; then the same along each row.
        ${[0, 1]
          .map((j) =>
            gradientRows(
              `(v128.load (i32.add (local.get $p0${j}) (local.get $o)))`,
              `(v128.load (i32.add (local.get $p1${j}) (local.get $o)))`,
            )
              .map((value, a) => `(local.set $t${a}${j} ${value})`)
              .join(' '),
          )
          .join('\n        ')}
        ${[0, 1, 2, 3]
          .map((a) =>
            gradientRows(`(local.get $t${a}0)`, `(local.get $t${a}1)`)
              .map(
                (value, b) =>
                  `(v128.store (i32.add (i32.add (local.get $to) (local.get $o)) (i32.mul (local.get $plane) (i32.const ${a * 4 + b}))) ${value})`,
              )
              .join('\n        '),
          )
          .join('\n        ')}`}`})

  ${pairTransform(
    'winogradFilterGradient',
    '(param $m i32) (param $dw i32) (param $pairs i32)',
    4,
    (a, b) =>
      `(v128.load (i32.add (i32.add (local.get $m) (local.get $p)) (i32.mul (local.get $plane) (i32.const ${a * 4 + b}))))`,
    gradientFilterRows,
    (index) => `(i32.add (i32.add (local.get $dw) (local.get $p)) (i32.mul (local.get $plane) (i32.const ${index})))`,
  )}
`;
