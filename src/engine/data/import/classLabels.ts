import { DatasetFileError } from './datasetFileError';

const byNaturalOrder = new Intl.Collator('en', { numeric: true }).compare;

/**
 * Label strings to class indices: classes sorted in natural order ("2" before "10"). A dataset with a single
 * class is refused here, where the file and the column can still be named.
 */
export function indexLabels(
  file: string,
  column: string,
  labels: readonly string[],
): { classNames: string[]; labels: Int32Array } {
  const classNames = [...new Set(labels)].sort(byNaturalOrder);
  if (classNames.length < 2) {
    throw new DatasetFileError(
      file,
      null,
      `the label ${column} holds a single class ("${classNames[0] ?? ''}"): there is nothing to learn`,
    );
  }
  const index = new Map(classNames.map((name, i) => [name, i]));
  return { classNames, labels: Int32Array.from(labels, (label) => index.get(label)!) };
}
