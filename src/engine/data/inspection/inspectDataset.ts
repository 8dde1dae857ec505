import { imageAt, meanPixel } from '../imageRecords';
import type { DatasetSummary } from '../../../shared/datasets';
import {
  SPLIT_NAMES,
  type DatasetInspection,
  type DatasetSamples,
  type LengthHistogram,
  type SplitName,
} from '../../../shared/datasetInspection';
import type { InputSpec, TokenInputSpec } from '../../../shared/architecture/modelSpec';
import { learnTextFields, type LearntField } from '../tasks/taskText';
import { UNKNOWN_ID } from '../tokenizers/wordVocabulary';
import type { TokenizerSettings } from '../../../shared/tokenizerSettings';
import { exampleCount, splitDataset, type SplitOptions } from '../split/datasetSplit';
import type { LoadedDataset, ShardedTextClassificationData } from '../datasetTypes';
import type { SplitIndices } from '../split/stratifiedSplit';

/** Everything inspection derives from one choice of split and tokenizer; built once, read by every page. */
export interface InspectionContext {
  summary: DatasetSummary;
  data: LoadedDataset;
  split: SplitIndices;
  splitSource: 'ratio' | 'files';
  /** The text fields, cut by the tokenizers training would learn for the chosen model. */
  fields: LearntField[];
}

export function buildInspectionContext(
  summary: DatasetSummary,
  data: LoadedDataset,
  options: SplitOptions & { tokenizer?: Partial<TokenizerSettings> | undefined },
  modelInputs: InputSpec[] | undefined,
): InspectionContext {
  const split = splitDataset(data, options);
  const splitSource = options.useFileSplit !== false && 'fileSplit' in data && data.fileSplit ? 'files' : 'ratio';
  const inputs = (modelInputs ?? []).filter((input): input is TokenInputSpec => input.kind === 'tokens');
  const fields = learnTextFields(data, split.train, options.tokenizer, inputs);
  return { summary, data, split, splitSource, fields };
}

function histogram(name: string, lengths: number[] | Uint32Array, maxLength: number | null): LengthHistogram {
  let [longest, sum, over] = [0, 0, 0];
  for (const length of lengths) {
    longest = Math.max(longest, length);
    sum += length;
    if (maxLength !== null && length > maxLength) over++;
  }
  const binWidth = Math.max(1, Math.ceil((longest + 1) / 40));
  const counts = new Array<number>(Math.floor(longest / binWidth) + 1).fill(0);
  for (const length of lengths) counts[Math.floor(length / binWidth)]!++;
  const mean = sum / Math.max(1, lengths.length);
  const truncated = over / Math.max(1, lengths.length);
  return { name, binWidth, counts, maxLength, mean, longest, truncated };
}

function classCounts(context: InspectionContext): DatasetInspection['classCounts'] {
  const { data, split } = context;
  if (data.kind === 'seq2seq') return null;
  if (data.kind === 'sequence-labelling') {
    const names = [...new Set(data.tags.flat())].sort();
    const index = new Map(names.map((n, i) => [n, i]));
    const count = (rows: number[]) => {
      const counts = new Array<number>(names.length).fill(0);
      for (const row of rows) for (const tag of data.tags[row]!) counts[index.get(tag)!]!++;
      return counts;
    };
    return {
      names,
      counts: { train: count(split.train), validation: count(split.validation), test: count(split.test) },
    };
  }
  const count = (rows: number[]) => {
    const counts = new Array<number>(data.classNames.length).fill(0);
    for (const row of rows) counts[data.labels[row]!]!++;
    return counts;
  };
  return {
    names: data.classNames,
    counts: { train: count(split.train), validation: count(split.validation), test: count(split.test) },
  };
}

/**
 * Texts stored as token ids are too many to read for a view: their lengths were kept at import, and the coverage
 * is the share of the file's tokens among the vocabulary's first ids (counted over every split, not the held-out).
 */
function storedTextMeasures(data: ShardedTextClassificationData, field: LearntField) {
  const { counts, total } = data.vocabulary;
  const known = counts.slice(0, field.tokenizer.vocabulary.size).reduce((a, b) => a + b, 0);
  return {
    vocabulary: { name: field.name, size: field.tokenizer.vocabulary.size, coverage: total > 0 ? known / total : 1 },
    lengths: histogram(field.name, data.lengths, field.input?.maxLength ?? null),
  };
}

/** What the Datasets view shows of a dataset: split sizes, class balance, image summary or text statistics. */
export function inspectDataset(context: InspectionContext): DatasetInspection {
  const { data, split, summary } = context;
  const examples = exampleCount(data);
  const heldOut = [...split.validation, ...split.test];
  const coverageRows = heldOut.length > 0 ? heldOut : split.train;
  let image: DatasetInspection['image'] = null;
  if (data.kind === 'image-classification') {
    image = { height: data.height, width: data.width, channels: data.channels, meanPixel: meanPixel(data) };
  }
  // One pass per field tokenizes each example once: its length for the histogram, its tokens for the coverage.
  const isCoverageRow = new Uint8Array(examples);
  for (const row of coverageRows) isCoverageRow[row] = 1;
  const measured = context.fields.map((field) => {
    if (data.kind === 'text-classification' && data.shards) return storedTextMeasures(data, field);
    const lengths = new Array<number>(examples);
    let [known, total] = [0, 0];
    for (let i = 0; i < examples; i++) {
      const tokens = field.tokens(i);
      lengths[i] = tokens.length;
      if (!isCoverageRow[i]) continue;
      total += tokens.length;
      for (const token of tokens) if (field.tokenizer.vocabulary.idOf(token) !== UNKNOWN_ID) known++;
    }
    return {
      vocabulary: { name: field.name, size: field.tokenizer.vocabulary.size, coverage: total > 0 ? known / total : 1 },
      lengths: histogram(field.name, lengths, field.input?.maxLength ?? null),
    };
  });
  const text =
    context.fields.length === 0
      ? null
      : {
          tokenizer: context.fields[0]!.tokenizer.kind,
          vocabularies: measured.map((m) => m.vocabulary),
          lengths: measured.map((m) => m.lengths),
        };
  return {
    datasetId: summary.id,
    task: summary.task,
    examples,
    split: {
      train: split.train.length,
      validation: split.validation.length,
      test: split.test.length,
      source: context.splitSource,
    },
    classCounts: classCounts(context),
    image,
    text,
  };
}

const TEXT_PREVIEW = 600;

function bytesToBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** One page of a split's examples: images as pixels, texts with the tokens the model will see. */
export function sampleDataset(
  context: InspectionContext,
  split: SplitName,
  offset: number,
  limit: number,
): DatasetSamples {
  if (!SPLIT_NAMES.includes(split)) throw new Error(`unknown split "${split}"`);
  const { data } = context;
  const rows = context.split[split];
  const samples = rows.slice(offset, offset + limit).map((index) => {
    const fields = context.fields.map((field) => {
      const text = field.text(index);
      const tokens = field.tokens(index).slice(0, field.input?.maxLength ?? 200);
      return {
        name: field.name,
        text: text.slice(0, TEXT_PREVIEW),
        tokens: tokens.map((t) => ({ text: t, unknown: field.tokenizer.vocabulary.idOf(t) === UNKNOWN_ID })),
      };
    });
    switch (data.kind) {
      case 'image-classification':
        return { index, label: data.classNames[data.labels[index]!]!, pixels: bytesToBase64(imageAt(data, index)) };
      case 'text-classification':
        return { index, label: data.classNames[data.labels[index]!]!, fields };
      case 'sequence-labelling':
        return { index, fields, tags: data.tags[index]!.slice(0, fields[0]!.tokens.length) };
      case 'seq2seq':
        return { index, fields };
    }
  });
  return { split, offset, total: rows.length, samples };
}
