/**
 * Text from outside (class names, file names, a run's name) may hold control characters. A terminal obeys escape
 * sequences (colours, cursor moves, a rewritten title); XML forbids most C0 characters outright, so an SVG holding
 * one is ill-formed; a CSV cell with one confuses spreadsheets. These helpers make such text safe for each place.
 */

/** C0 and C1 controls and DEL, and the bidirectional overrides and isolates that reorder what a terminal shows. */
// eslint-disable-next-line no-control-regex -- matching control characters is this module's purpose
const TERMINAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** For a terminal: each unsafe character written as a visible escape (ESC becomes \x1b), so nothing is hidden. */
export function terminalSafe(text: string): string {
  return text.replace(TERMINAL_UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * What XML 1.0 cannot hold (C0 controls but tab, line feed and carriage return; U+FFFE, U+FFFF; unpaired
 * surrogates) and C1 controls, which it discourages: removed, for SVG, HTML and CSV exports.
 */
const DOCUMENT_UNSAFE =
  // eslint-disable-next-line no-control-regex -- matching control characters is this module's purpose
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function documentSafe(text: string): string {
  return text.replace(DOCUMENT_UNSAFE, '');
}

/** For a terminal, text of several lines: line breaks and tabs kept, every other unsafe character made visible. */
export function terminalLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.split('\t').map(terminalSafe).join('\t'))
    .join('\n');
}
