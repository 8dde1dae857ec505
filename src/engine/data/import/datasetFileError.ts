import { basename } from 'node:path';

/**
 * A file that cannot be imported, with where and what: "train.csv, row 12: 3 fields, expected 2". The file is
 * named by its base name, which is what a user recognises in a message.
 */
export class DatasetFileError extends Error {
  constructor(
    readonly file: string,
    readonly where: string | null,
    readonly problem: string,
  ) {
    super(`${basename(file)}${where ? `, ${where}` : ''}: ${problem}`);
    this.name = 'DatasetFileError';
  }
}

/** An import stopped by the user. */
export class ImportCancelledError extends Error {
  constructor() {
    super('the import was cancelled');
    this.name = 'ImportCancelledError';
  }
}
