import type { LoadedDataset } from '../datasetTypes';
import { stratifiedSplit, type SplitIndices } from './stratifiedSplit';

export interface SplitOptions {
  validationFraction: number;
  testFraction: number;
  seed: number;
  /** Use the files' own train/test split when they have one (then testFraction is not used). Defaults to true. */
  useFileSplit?: boolean;
}

export function exampleCount(data: LoadedDataset): number {
  switch (data.kind) {
    case 'text-classification':
    case 'image-classification':
      return data.labels.length;
    case 'sequence-labelling':
      return data.sentences.length;
    case 'seq2seq':
      return data.sources.length;
  }
}

/**
 * The train/validation/test split of a dataset: stratified by class for classification, seeded, so that the
 * Datasets view shows exactly the split that training will use. With the files' own split, their test part is
 * the test split and validation is drawn (stratified) from their training part.
 */
export function splitDataset(data: LoadedDataset, options: SplitOptions): SplitIndices {
  const count = exampleCount(data);
  const labels =
    data.kind === 'text-classification' || data.kind === 'image-classification' ? data.labels : new Int32Array(count);
  const fileSplit = options.useFileSplit !== false && 'fileSplit' in data ? data.fileSplit : undefined;
  if (!fileSplit)
    return stratifiedSplit(
      labels,
      { validation: options.validationFraction, test: options.testFraction },
      options.seed,
    );
  const trainRows: number[] = [];
  const testRows: number[] = [];
  for (let i = 0; i < count; i++) (fileSplit[i] === 1 ? testRows : trainRows).push(i);
  const inner = stratifiedSplit(
    Int32Array.from(trainRows, (i) => labels[i]!),
    { validation: options.validationFraction, test: 0 },
    options.seed,
  );
  return {
    train: inner.train.map((i) => trainRows[i]!),
    validation: inner.validation.map((i) => trainRows[i]!),
    test: testRows,
  };
}
