import * as fs from 'node:fs/promises';
import { stat, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Int32Log } from '../../shards/int32Log';
import { SHARD_INDEX, SHARD_LABELS } from '../../shards/shardFormat';
import { ShardWriter } from '../../shards/shardWriter';
import { suggestTokenizer } from '../../tokenizers/learnTokenizer';
import { RESERVED } from '../../tokenizers/wordVocabulary';
import { indexLabels } from '../classLabels';
import { DatasetFileError, ImportCancelledError } from '../datasetFileError';
import type { DelimitedTextOptions } from '../delimitedText';
import { progressTicker, type ImportControl } from '../importProgress';
import { gigabytes, writeFailure } from '../writeFailure';
import { BoundedCounts } from './boundedCounts';
import { openStreamedText, type StreamedRecord } from './textRecords';
import { TokenizePool, type TokenizePoolOptions } from './tokenizePool';
import type { StreamedTokenizerKind } from './tokenizeProtocol';

/** Each record's length in tokens before it was cut, uint32 little-endian: the Datasets view's length histogram. */
export const SHARD_LENGTHS = 'lengths.bin';
/** The vocabulary a streamed import keeps, reserved tokens included; a model's smaller one is its first ids. */
export const STREAMED_VOCABULARY = 50_000;
/** Texts per message to a tokenize thread, and characters at most: enough to amortise the message. */
const BATCH_TEXTS = 2000;
const BATCH_CHARS = 2_000_000;
/** Batches out per thread at once: one working, one waiting. */
const BATCHES_PER_THREAD = 2;
/** More distinct labels than this is not a label column (a text column chosen by mistake, say). */
const MAX_CLASSES = 10_000;
/** Texts the tokenizer suggestion reads before the first batch goes out. */
const SUGGESTION_SAMPLE = 500;

/** A big CSV/TSV/JSONL file of labelled texts imported into token-id shards: what data.json and the list say. */
export interface StreamedTextImport {
  classNames: string[];
  labels: Int32Array;
  /** Each text's length in tokens before it was cut to maxTokens (also in lengths.bin). */
  lengths: Uint32Array;
  tokenizer: StreamedTokenizerKind;
  /** Most frequent first, id = position; `counts` over the whole file (0 for the reserved tokens). */
  vocabulary: { tokens: string[]; counts: number[] };
  maxTokens: number;
  columns?: string[];
  notes: string[];
  /** Tokens in the whole file, and how many of them the vocabulary knows. */
  tokens: number;
  knownTokens: number;
  /** The most batches that were ever out at once, in either pass. */
  peakBatchesInFlight: number;
}

interface Batch {
  texts: string[];
  labels: string[];
  chars: number;
  lastLine: number;
}

/** Cuts a stream of records into batches for the pool, closing one when it is full. */
async function* batchesOf(records: AsyncGenerator<StreamedRecord>): AsyncGenerator<Batch> {
  let batch: Batch = { texts: [], labels: [], chars: 0, lastLine: 0 };
  for await (const record of records) {
    batch.texts.push(record.text);
    batch.labels.push(record.label);
    batch.chars += record.text.length;
    batch.lastLine = record.line;
    if (batch.texts.length === BATCH_TEXTS || batch.chars >= BATCH_CHARS) {
      yield batch;
      batch = { texts: [], labels: [], chars: 0, lastLine: 0 };
    }
  }
  if (batch.texts.length > 0) yield batch;
}

/**
 * Runs `work` on each batch in the pool with at most `limit` out, and `take`s the results in batch order. Returns
 * the most that were ever out at once: what bounds the import's memory, whatever the file's size.
 */
async function inOrder<R>(
  batches: AsyncGenerator<Batch>,
  limit: number,
  work: (batch: Batch) => Promise<R>,
  take: (result: R, batch: Batch) => Promise<void> | void,
): Promise<number> {
  const out: { batch: Batch; result: Promise<R> }[] = [];
  let peak = 0;
  const next = async () => {
    const { batch, result } = out.shift()!;
    await take(await result, batch);
  };
  for await (const batch of batches) {
    const result = work(batch);
    // A batch still out when the import stops is rejected with nobody waiting for it: not an unhandled rejection.
    result.catch(() => undefined);
    out.push({ batch, result });
    peak = Math.max(peak, out.length);
    if (out.length >= limit) await next();
  }
  while (out.length > 0) await next();
  return peak;
}

/**
 * A CSV, TSV or JSON Lines file of labelled texts too big to hold, imported into shards of token ids in `out` (a
 * folder the caller renames into place when this returns, and removes when it throws). Two streaming passes over
 * the file, both tokenized in a pool of threads: the first counts every token (the vocabulary is learnt from the
 * whole file, in bounded memory) and every label; the second stores each text's first `maxTokens` ids as one
 * record. Memory stays flat in the file's size: a few batches in flight, the counts, 8 bytes per text.
 */
export async function importStreamedText(
  file: string,
  format: 'csv' | 'tsv' | 'jsonl',
  options: DelimitedTextOptions & { maxTokens: number },
  out: string,
  control: ImportControl = {},
  poolOptions: TokenizePoolOptions = {},
  files: Pick<typeof fs, 'open'> = fs,
): Promise<StreamedTextImport> {
  const source = await openStreamedText(file, format, options);
  const size = (await stat(file)).size;
  const megabytes = Math.max(1, Math.ceil(size / 1e6));
  const pool = await TokenizePool.start(poolOptions);
  const stop = () => pool.close();
  control.signal?.addEventListener('abort', stop);
  const limit = pool.size * BATCHES_PER_THREAD;
  const { maxTokens } = options;
  const writer = new ShardWriter(out, 'tokens', maxTokens * 4, undefined, files);
  try {
    // The first pass: every token and label counted.
    const reading = progressTicker(control, 'learning the vocabulary (MB read)', megabytes);
    let bytes = 0;
    const onBytes = (read: number) => (bytes = read);
    const counts = new BoundedCounts();
    const labelCounts = new Map<string, number>();
    let texts = 0;
    let kind: StreamedTokenizerKind | null = null;
    const sample: string[] = [];
    let peakBatchesInFlight = await inOrder(
      batchesOf(source.records(control.signal, onBytes)),
      limit,
      (batch) => {
        if (!kind) {
          sample.push(...batch.texts.slice(0, SUGGESTION_SAMPLE - sample.length));
          kind = suggestTokenizer(sample);
        }
        return pool.count(batch.texts, kind);
      },
      async (reply, batch) => {
        counts.add(reply.tokens, reply.counts);
        for (const label of batch.labels) labelCounts.set(label, (labelCounts.get(label) ?? 0) + 1);
        if (labelCounts.size > MAX_CLASSES)
          throw new DatasetFileError(
            file,
            `line ${batch.lastLine}`,
            `more than ${MAX_CLASSES} distinct labels in "${source.labelColumn}": is it the label column?`,
          );
        texts += batch.texts.length;
        await reading(Math.floor(bytes / 1e6));
      },
    );
    if (texts === 0 || !kind) throw new DatasetFileError(file, null, 'the file holds no records');
    const tokenizer: StreamedTokenizerKind = kind;
    const { classNames } = indexLabels(file, `column "${source.labelColumn}"`, [...labelCounts.keys()]);
    const classOf = new Map(classNames.map((name, i) => [name, i]));
    const top = counts.top(STREAMED_VOCABULARY - RESERVED.length);
    const vocabulary = { tokens: [...RESERVED, ...top.tokens], counts: [...RESERVED.map(() => 0), ...top.counts] };
    const knownTokens = top.counts.reduce((a, b) => a + b, 0);

    // Refused now rather than when the disk fills.
    const needed = texts * maxTokens * 4;
    const { bavail, bsize } = await statfs(out);
    if (needed > bavail * bsize)
      throw new DatasetFileError(
        file,
        null,
        `${texts} texts of ${maxTokens} tokens need ${gigabytes(needed)} GB; the disk has ${gigabytes(bavail * bsize)} GB free`,
      );

    // The second pass: each text's ids stored as a record.
    pool.useVocabulary(tokenizer, vocabulary.tokens);
    const encoding = progressTicker(control, 'tokenizing texts', texts);
    const labels = new Int32Log();
    const lengths = new Int32Log();
    let cut = 0;
    const encodePeak = await inOrder(
      batchesOf(source.records(control.signal, onBytes)),
      limit,
      (batch) => pool.encode(batch.texts, maxTokens),
      async (reply, batch) => {
        if (labels.length + batch.texts.length > texts)
          throw new DatasetFileError(file, `line ${batch.lastLine}`, 'the file grew while it was imported');
        for (const label of batch.labels) {
          const index = classOf.get(label);
          if (index === undefined)
            throw new DatasetFileError(file, `line ${batch.lastLine}`, 'the file changed while it was imported');
          labels.push(index);
        }
        for (const length of reply.lengths) {
          lengths.push(length);
          if (length > maxTokens) cut++;
        }
        try {
          await writer.append(new Uint8Array(reply.ids.buffer, reply.ids.byteOffset, reply.ids.byteLength));
        } catch (error) {
          throw writeFailure(file, error as NodeJS.ErrnoException, `${labels.length} texts`);
        }
        await encoding(labels.length);
      },
    );
    peakBatchesInFlight = Math.max(peakBatchesInFlight, encodePeak);
    if (labels.length !== texts)
      throw new DatasetFileError(file, null, 'the file changed while it was imported (it holds fewer texts)');
    const labelArray = labels.toArray();
    const lengthArray = new Uint32Array(lengths.toArray().buffer);
    try {
      const index = await writer.finish();
      await writeFile(join(out, SHARD_LABELS), new Uint8Array(labelArray.buffer));
      await writeFile(join(out, SHARD_LENGTHS), new Uint8Array(lengthArray.buffer));
      await writeFile(join(out, SHARD_INDEX), JSON.stringify(index));
    } catch (error) {
      throw writeFailure(file, error as NodeJS.ErrnoException, `${texts} texts`);
    }
    const exact =
      counts.floor === 0 ? 'counts exact' : `tokens seen ${counts.floor} times or fewer may be undercounted`;
    return {
      classNames,
      labels: labelArray,
      lengths: lengthArray,
      tokenizer,
      vocabulary,
      maxTokens,
      ...(source.columns ? { columns: source.columns } : {}),
      tokens: counts.total,
      knownTokens,
      peakBatchesInFlight,
      notes: [
        ...(source.columns
          ? [`text from column "${source.textColumn}", labels from column "${source.labelColumn}"`]
          : []),
        `stored as token ids in shards: a vocabulary of ${vocabulary.tokens.length} ${tokenizer === 'char' ? 'characters' : 'words'} learnt in a first pass over all ${texts} texts (${counts.total} tokens; ${exact})`,
        ...(cut > 0 ? [`${cut} texts longer than ${maxTokens} tokens were cut to ${maxTokens} when stored`] : []),
      ],
    };
  } catch (error) {
    await writer.abandon();
    throw control.signal?.aborted ? new ImportCancelledError() : error;
  } finally {
    control.signal?.removeEventListener('abort', stop);
    pool.close();
  }
}
