import { countUp } from '../heap/watLoops';

/**
 * Batch normalisation over x seen as [rows, channels] float32, channels a multiple of 4 (batchNormOnHeap.ts has
 * the formulas and the reasons); byte offsets into tfjs' heap.
 *   scaleShift(x, out, params, rows, channels): out[r, c] = x[r, c] * params[c] + params[channels + c]
 *   channelSums(x, dy, mean, sums, acc, rows, channels): sums[c] = the sum of dy[r, c] and sums[channels + c] =
 *     the sum of dy[r, c] * (x[r, c] - mean[c]) over every row
 *   channelMoments(x, out, acc, rows, channels): out[c] = the mean of x[:, c], out[channels + c] = the mean of
 *     (x[:, c] - out[c])^2, in two passes (no cancellation where the mean is large against the spread)
 * Both sum over the rows in float64 (in `acc`, 4 x channels floats of scratch the caller gives), rounding to float32
 * once: a float32 running sum's error grows with the rows (at 4,096 rows a ReLU channel's variance was 2.6e-5 off
 * relative, a mean-300 channel's mean 1.8e-4), a float64 one's stays at float32's last bit. Loads and stores stay
 * float32; the cost is the two-lane adds.
 *   scaleShiftPair(dy, x, out, params, rows, channels): out[r, c] = dy[r, c] * params[c] +
 *     x[r, c] * params[channels + c] + params[2 * channels + c]
 */
/** `body` for each block of 4 channels, $c its byte offset in a row of $width bytes. */
const eachChannel = (body: string) => `
      (local.set $c (i32.const 0))
      ${countUp('$c', '(local.get $width)', 16)`
        ${body}`}`;

/** `body` for each of $rows rows, the pointers `rowPointers` moved on a row ($width bytes) after each. */
const eachRow = (rowPointers: string[], body: string) => `
    (local.set $r (i32.const 0))
    ${countUp('$r', '(local.get $rows)', 1)`
      ${body}
      ${rowPointers.map((p) => `(local.set ${p} (i32.add (local.get ${p}) (local.get $width)))`).join(' ')}`}`;

const at = (pointer: string) => `(i32.add (local.get ${pointer}) (local.get $c))`;
const load = (pointer: string) => `(v128.load ${at(pointer)})`;
/** The first two lanes of a f32x4 as f64x2, and the last two. */
const low = (v: string) => `(f64x2.promote_low_f32x4 ${v})`;
const high = (v: string) => `(f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 ${v} ${v}))`;
/** Two f64x2 rounded to one f32x4: [low0, low1, high0, high1]. */
const narrow = (lowHalf: string, highHalf: string) =>
  `(i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (f32x4.demote_f64x2_zero ${lowHalf}) (f32x4.demote_f64x2_zero ${highHalf}))`;
/** The f64x2 at `address` + `offset` += value. */
const addF64 = (address: string, offset: number, value: string) =>
  `(v128.store offset=${offset} ${address} (f64x2.add (v128.load offset=${offset} ${address}) ${value}))`;

export const BATCH_NORM_WAT = `
  (func (export "scaleShift")
    (param $x i32) (param $out i32) (param $params i32) (param $rows i32) (param $channels i32)
    (local $r i32) (local $c i32) (local $width i32) (local $shift i32)
    (local.set $width (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $shift (i32.add (local.get $params) (local.get $width)))
    ${eachRow(
      ['$x', '$out'],
      eachChannel(
        `(v128.store ${at('$out')} (f32x4.add (f32x4.mul ${load('$x')} ${load('$params')}) ${load('$shift')}))`,
      ),
    )})
  (func (export "channelSums")
    (param $x i32) (param $dy i32) (param $mean i32) (param $sums i32) (param $acc i32) (param $rows i32)
    (param $channels i32)
    (local $r i32) (local $c i32) (local $width i32) (local $d v128) (local $e v128) (local $second i32)
    (local $a i32)
    (local.set $width (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $second (i32.add (local.get $sums) (local.get $width)))
    ;; Four f64x2 accumulators per block of 4 channels (64 bytes): dy's sum, then dy (x - mean)'s.
    (memory.fill (local.get $acc) (i32.const 0) (i32.shl (local.get $width) (i32.const 2)))
    ${eachRow(
      ['$x', '$dy'],
      eachChannel(`(local.set $a (i32.add (local.get $acc) (i32.shl (local.get $c) (i32.const 2))))
        (local.set $d ${load('$dy')})
        (local.set $e (f32x4.sub ${load('$x')} ${load('$mean')}))
        ${addF64('(local.get $a)', 0, low('(local.get $d)'))}
        ${addF64('(local.get $a)', 16, high('(local.get $d)'))}
        ${addF64('(local.get $a)', 32, `(f64x2.mul ${low('(local.get $d)')} ${low('(local.get $e)')})`)}
        ${addF64('(local.get $a)', 48, `(f64x2.mul ${high('(local.get $d)')} ${high('(local.get $e)')})`)}`),
    )}
    ${eachChannel(`(local.set $a (i32.add (local.get $acc) (i32.shl (local.get $c) (i32.const 2))))
      (v128.store ${at('$sums')} ${narrow('(v128.load (local.get $a))', '(v128.load offset=16 (local.get $a))')})
      (v128.store ${at('$second')} ${narrow('(v128.load offset=32 (local.get $a))', '(v128.load offset=48 (local.get $a))')})`)})
  (func (export "channelMoments")
    (param $x i32) (param $out i32) (param $acc i32) (param $rows i32) (param $channels i32)
    (local $r i32) (local $c i32) (local $width i32) (local $row i32) (local $d v128) (local $n v128)
    (local $second i32) (local $a i32)
    (local.set $width (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $second (i32.add (local.get $out) (local.get $width)))
    (local.set $n (f64x2.splat (f64.convert_i32_u (local.get $rows))))
    ;; Pass 1: the sums in float64 (two f64x2 per block of 4 channels), then the means, rounded once.
    (memory.fill (local.get $acc) (i32.const 0) (i32.shl (local.get $width) (i32.const 1)))
    (local.set $row (local.get $x))
    ${eachRow(
      ['$row'],
      eachChannel(`(local.set $a (i32.add (local.get $acc) (i32.shl (local.get $c) (i32.const 1))))
        (local.set $d ${load('$row')})
        ${addF64('(local.get $a)', 0, low('(local.get $d)'))}
        ${addF64('(local.get $a)', 16, high('(local.get $d)'))}`),
    )}
    ${eachChannel(`(local.set $a (i32.add (local.get $acc) (i32.shl (local.get $c) (i32.const 1))))
      (v128.store ${at('$out')} ${narrow('(f64x2.div (v128.load (local.get $a)) (local.get $n))', '(f64x2.div (v128.load offset=16 (local.get $a)) (local.get $n))')})`)}
    ;; Pass 2: the squared deviations from the (float32) means, squared and summed in float64, then the variances.
    (memory.fill (local.get $acc) (i32.const 0) (i32.shl (local.get $width) (i32.const 1)))
    (local.set $row (local.get $x))
    ${eachRow(
      ['$row'],
      eachChannel(`(local.set $a (i32.add (local.get $acc) (i32.shl (local.get $c) (i32.const 1))))
        (local.set $d (f32x4.sub ${load('$row')} ${load('$out')}))
        ${addF64('(local.get $a)', 0, `(f64x2.mul ${low('(local.get $d)')} ${low('(local.get $d)')})`)}
        ${addF64('(local.get $a)', 16, `(f64x2.mul ${high('(local.get $d)')} ${high('(local.get $d)')})`)}`),
    )}
    ${eachChannel(`(local.set $a (i32.add (local.get $acc) (i32.shl (local.get $c) (i32.const 1))))
      (v128.store ${at('$second')} ${narrow('(f64x2.div (v128.load (local.get $a)) (local.get $n))', '(f64x2.div (v128.load offset=16 (local.get $a)) (local.get $n))')})`)})
  (func (export "scaleShiftPair")
    (param $dy i32) (param $x i32) (param $out i32) (param $params i32) (param $rows i32) (param $channels i32)
    (local $r i32) (local $c i32) (local $width i32) (local $slope i32) (local $shift i32)
    (local.set $width (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $slope (i32.add (local.get $params) (local.get $width)))
    (local.set $shift (i32.add (local.get $slope) (local.get $width)))
    ${eachRow(
      ['$dy', '$x', '$out'],
      eachChannel(`(v128.store ${at('$out')} (f32x4.add
          (f32x4.add (f32x4.mul ${load('$dy')} ${load('$params')}) (f32x4.mul ${load('$x')} ${load('$slope')}))
          ${load('$shift')}))`),
    )})
`;
