/**
 * The loops of the SIMD module's WAT, written once. Every kernel walks rows, lanes and taps with the same two shapes
 * of loop; these spell them so that a kernel's WAT says what it iterates over, not how a wasm loop is built. Labels
 * are the same in every loop: an inner loop's shadow the outer's, and no body branches to a loop's label (the
 * build's byte-for-byte test would catch a loop that changed).
 */

/** Runs `body` until `exit` holds, tested before each pass: while (!exit) body. */
export const loopUntil = (exit: string, body: string): string =>
  `(block $done (loop $next (br_if $done ${exit}) ${body} (br $next)))`;

/** for (; index < limit; index += step) body, unsigned, `index` a local that the caller sets first. */
export const countUp = (index: string, limit: string, step: number | string, body: string): string =>
  loopUntil(
    `(i32.ge_u (local.get ${index}) ${limit})`,
    `${body} (local.set ${index} (i32.add (local.get ${index}) ${typeof step === 'number' ? `(i32.const ${step})` : step}))`,
  );

/** do body while (condition): at least one pass. */
export const repeatWhile = (condition: string, body: string): string =>
  `(loop $again ${body} (br_if $again ${condition}))`;
