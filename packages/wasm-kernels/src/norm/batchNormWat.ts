import { countUp } from '../heap/watLoops';

/**
 * Batch normalisation over x seen as [rows, channels] float32, channels a multiple of 4 (batchNormOnHeap.ts has
 * the formulas and the reasons); byte offsets into tfjs' heap.
 *   scaleShift(x, out, params, rows, channels): out[r, c] = x[r, c] * params[c] + params[channels + c]
 *   channelSums(x, dy, mean, sums, rows, channels): sums[c] += dy[r, c] and sums[channels + c] +=
 *     dy[r, c] * (x[r, c] - mean[c]) over every row, into sums the caller zeroed
 *   channelMoments(x, out, rows, channels): out[c] = the mean of x[:, c], out[channels + c] = the mean of
 *     (x[:, c] - out[c])^2, in two passes (no cancellation where the mean is large against the spread)
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
/** out[c] += value, out at `pointer`. */
const addTo = (pointer: string, value: string) => `(v128.store ${at(pointer)} (f32x4.add ${load(pointer)} ${value}))`;

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
    (param $x i32) (param $dy i32) (param $mean i32) (param $sums i32) (param $rows i32) (param $channels i32)
    (local $r i32) (local $c i32) (local $width i32) (local $d v128) (local $second i32)
    (local.set $width (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $second (i32.add (local.get $sums) (local.get $width)))
    ${eachRow(
      ['$x', '$dy'],
      eachChannel(`(local.set $d ${load('$dy')})
        ${addTo('$sums', '(local.get $d)')}
        ${addTo('$second', `(f32x4.mul (local.get $d) (f32x4.sub ${load('$x')} ${load('$mean')}))`)}`),
    )})
  (func (export "channelMoments")
    (param $x i32) (param $out i32) (param $rows i32) (param $channels i32)
    (local $r i32) (local $c i32) (local $width i32) (local $row i32) (local $d v128) (local $n v128)
    (local $second i32)
    (local.set $width (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $second (i32.add (local.get $out) (local.get $width)))
    (local.set $n (f32x4.splat (f32.convert_i32_u (local.get $rows))))
    (memory.fill (local.get $out) (i32.const 0) (i32.shl (local.get $width) (i32.const 1)))
    ;; Pass 1: the sums, then the means in place.
    (local.set $row (local.get $x))
    ${eachRow(['$row'], eachChannel(addTo('$out', load('$row'))))}
    ${eachChannel(`(v128.store ${at('$out')} (f32x4.div ${load('$out')} (local.get $n)))`)}
    ;; Pass 2: the squared deviations from the means, then the variances in place.
    (local.set $row (local.get $x))
    ${eachRow(
      ['$row'],
      eachChannel(`(local.set $d (f32x4.sub ${load('$row')} ${load('$out')}))
        ${addTo('$second', '(f32x4.mul (local.get $d) (local.get $d))')}`),
    )}
    ${eachChannel(`(v128.store ${at('$second')} (f32x4.div ${load('$second')} (local.get $n)))`)})
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
