/**
 * The loops of the SIMD module's WAT, written once. Every kernel walks rows, lanes and taps with the same two shapes
 * of loop; these spell them so that a kernel's WAT says what it iterates over, not how a wasm loop is built. Each is
 * a template tag whose template is the loop's body:
 *
 *   ${countUp('$i', '(local.get $width)', 16)`
 *     (v128.store (i32.add (local.get $out) (local.get $i)) ...)`}
 *
 * Labels are the same in every loop: an inner loop's shadow the outer's, and no body branches to a loop's label (the
 * build's byte-for-byte test would catch a loop that changed).
 */
type WatTag = (body: TemplateStringsArray, ...values: unknown[]) => string;

/** The body's text with its interpolated values (WAT has no escapes, so the cooked strings are the text). */
const text = (body: TemplateStringsArray, values: unknown[]) =>
  body.reduce((joined, piece, i) => joined + String(values[i - 1]) + piece);

/** Runs the body until `exit` holds, tested before each pass: while (!exit) body. */
export const loopUntil =
  (exit: string): WatTag =>
  (body, ...values) =>
    `(block $done (loop $next (br_if $done ${exit}) ${text(body, values)} (br $next)))`;

/** for (; index < limit; index += step) body, unsigned; the caller sets `index` first. */
export const countUp =
  (index: string, limit: string, step: number | string): WatTag =>
  (body, ...values) => {
    const by = typeof step === 'number' ? `(i32.const ${step})` : step;
    return loopUntil(
      `(i32.ge_u (local.get ${index}) ${limit})`,
    )`${text(body, values)} (local.set ${index} (i32.add (local.get ${index}) ${by}))`;
  };

/** do body while (condition): at least one pass. */
export const repeatWhile =
  (condition: string): WatTag =>
  (body, ...values) =>
    `(loop $again ${text(body, values)} (br_if $again ${condition}))`;
