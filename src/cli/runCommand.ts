import { terminalLines } from '../shared/controlCharacters';

/**
 * Runs a command's main and exits with its code; an error is printed as its message alone (its control characters
 * made visible: messages name files and datasets) and exits 2, the code every command gives a bad invocation.
 */
export function runCommand(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(terminalLines(error instanceof Error ? error.message : String(error)));
      process.exit(2);
    },
  );
}
