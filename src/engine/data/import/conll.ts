import type { SequenceLabellingData } from '../datasetTypes';
import { DatasetFileError } from './datasetFileError';
import { numberedLines } from './readText';

/**
 * CoNLL-style tagging: one token per line with its tag in the last column (whitespace-separated, so CoNLL-2003's
 * four columns work too), a blank line between sentences, -DOCSTART- lines ignored.
 */
export function parseConll(file: string, text: string): SequenceLabellingData {
  const sentences: string[][] = [];
  const tags: string[][] = [];
  let words: string[] = [];
  let labels: string[] = [];
  const close = () => {
    if (words.length > 0) {
      sentences.push(words);
      tags.push(labels);
    }
    [words, labels] = [[], []];
  };
  for (const { line, text: content } of numberedLines(file, text)) {
    const fields = content.trim().split(/\s+/);
    if (content.trim() === '') close();
    else if (fields[0] === '-DOCSTART-') continue;
    else if (fields.length < 2)
      throw new DatasetFileError(
        file,
        `line ${line}`,
        `expected a token and a tag separated by whitespace, found "${content.trim().slice(0, 40)}"`,
      );
    else {
      words.push(fields[0]!);
      labels.push(fields[fields.length - 1]!);
    }
  }
  close();
  if (sentences.length === 0) throw new DatasetFileError(file, null, 'the file holds no tagged sentences');
  const distinctTags = new Set(tags.flat());
  if (distinctTags.size < 2)
    throw new DatasetFileError(
      file,
      null,
      `every token has the same tag ("${[...distinctTags][0]}"): there is nothing to learn`,
    );
  return { kind: 'sequence-labelling', sentences, tags };
}
