import * as fs from 'node:fs/promises';
import { stat, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Int32Log } from '../../shards/int32Log';
import { SHARD_INDEX, SHARD_LABELS, SHARD_LENGTHS } from '../../shards/shardFormat';
import { ShardWriter } from '../../shards/shardWriter';
import { RESERVED } from '../../tokenizers/wordVocabulary';
import { indexLabels } from '../classLabels';
import { DatasetFileError } from '../datasetFileError';
import { withImportPool } from '../pooledImport';
import type { DelimitedTextOptions } from '../delimitedText';
import { progressTicker, type ImportControl } from '../importProgress';
import { gigabytes, writeFailure } from '../writeFailure';
import { BoundedCounts } from './boundedCounts';
import { openStreamedSource } from './streamedSource';
import { delimiterOf, recordChunks, type RecordChunk } from './recordChunks';
import { TokenizePool, type TokenizePoolOptions } from './tokenizePool';
import type { StreamedTokenizerKind } from './tokenizeProtocol';

/** The vocabulary a streamed import keeps, reserved tokens included; a model's smaller one is its first ids. */
export const STREAMED_VOCABULARY = 50_000;
/** Characters per chunk sent to a tokenize thread: enough to amortise the message, few enough to keep them all busy. */
const CHUNK_CHARS = 1 << 20;
/** Chunks out per thread at once: one working, one waiting. */
const CHUNKS_PER_THREAD = 2;
/** More distinct labels than this is not a label column (a text column chosen by mistake, say). */
const MAX_CLASSES = 10_000;

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
  /** Tokens in the whole file. */
  tokens: number;
  /** The most chunks that were ever out at once, in either pass. */
  peakChunksInFlight: number;
}

/**
 * Runs `work` on each chunk in the pool with at most `limit` out, and `take`s the results in file order. Returns
 * the most that were ever out at once: what bounds the import's memory, whatever the file's size.
 */
async function inOrder<R>(
  chunks: AsyncGenerator<RecordChunk>,
  limit: number,
  work: (chunk: RecordChunk, first: boolean) => Promise<R>,
  take: (result: R, chunk: RecordChunk) => Promise<void> | void,
): Promise<number> {
  const out: { chunk: RecordChunk; result: Promise<R> }[] = [];
  let peak = 0;
  let first = true;
  const next = async () => {
    const { chunk, result } = out.shift()!;
    await take(await result, chunk);
  };
  for await (const chunk of chunks) {
    const result = work(chunk, first);
    first = false;
    // A chunk still out when the import stops is rejected with nobody waiting for it: not an unhandled rejection.
    result.catch(() => undefined);
    out.push({ chunk, result });
    peak = Math.max(peak, out.length);
    if (out.length >= limit) await next();
  }
  while (out.length > 0) await next();
  return peak;
}

/**
 * A CSV, TSV or JSON Lines file of labelled texts too big to hold, imported into shards of token ids in `out` (a
 * folder the caller renames into place when this returns, and removes when it throws). Two streaming passes: this
 * thread only decodes the file and cuts it into chunks of whole records; a pool of threads parses and tokenizes
 * them. The first pass counts every token (the vocabulary is learnt from the whole file, in bounded memory) and
 * every label; the second stores each text's first `maxTokens` ids as one record. Memory stays flat in the file's
 * size: a few chunks in flight, the counts, 8 bytes per text.
 */
export async function importStreamedText(
  file: string,
  format: 'csv' | 'tsv' | 'jsonl',
  options: DelimitedTextOptions & {
    maxTokens: number;
    /** Characters per chunk; CHUNK_CHARS by default (tests make many chunks of a small file with a smaller one). */
    chunkChars?: number;
  },
  out: string,
  control: ImportControl = {},
  poolOptions: TokenizePoolOptions = {},
  files: Pick<typeof fs, 'open'> = fs,
): Promise<StreamedTextImport> {
  const source = await openStreamedSource(file, format, options);
  const size = (await stat(file)).size;
  const megabytes = Math.max(1, Math.ceil(size / 1e6));
  const pool = await TokenizePool.start(file, source.layout, poolOptions);
  const limit = pool.size * CHUNKS_PER_THREAD;
  const { maxTokens } = options;
  const { tokenizer } = source;
  const writer = new ShardWriter(out, 'tokens', maxTokens * 4, undefined, files);
  let bytes = 0;
  const chunks = () =>
    recordChunks(
      file,
      delimiterOf(format),
      control.signal,
      (read) => (bytes = read),
      options.chunkChars ?? CHUNK_CHARS,
    );
  return withImportPool(pool, writer, control, async () => {
    // The first pass: every token and label counted.
    const reading = progressTicker(control, 'learning the vocabulary (MB read)', megabytes);
    const counts = new BoundedCounts();
    const labelCounts = new Map<string, number>();
    let texts = 0;
    let peakChunksInFlight = await inOrder(
      chunks(),
      limit,
      (chunk, first) => pool.count(chunk, first, tokenizer),
      async (reply, chunk) => {
        reply.labels.forEach((label, i) =>
          labelCounts.set(label, (labelCounts.get(label) ?? 0) + reply.labelCounts[i]!),
        );
        if (labelCounts.size > MAX_CLASSES)
          throw new DatasetFileError(
            file,
            `lines from ${chunk.firstLine}`,
            `more than ${MAX_CLASSES} distinct labels in "${source.labelColumn}": is it the label column?`,
          );
        texts += reply.records;
        await reading(Math.floor(bytes / 1e6));
      },
    );
    if (texts === 0) throw new DatasetFileError(file, null, 'the file holds no records');
    for (const threadCounts of await pool.counts()) counts.merge(threadCounts);
    const { classNames } = indexLabels(file, `column "${source.labelColumn}"`, [...labelCounts.keys()]);
    const top = counts.top(STREAMED_VOCABULARY - RESERVED.length);
    const vocabulary = { tokens: [...RESERVED, ...top.tokens], counts: [...RESERVED.map(() => 0), ...top.counts] };

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
    pool.useVocabulary(tokenizer, vocabulary.tokens, classNames);
    const encoding = progressTicker(control, 'tokenizing texts', texts);
    const labels = new Int32Log();
    const lengths = new Int32Log();
    let cut = 0;
    const encodePeak = await inOrder(
      chunks(),
      limit,
      (chunk, first) => pool.encode(chunk, first, maxTokens),
      async (reply, chunk) => {
        if (labels.length + reply.labels.length > texts)
          throw new DatasetFileError(file, `lines from ${chunk.firstLine}`, 'the file grew while it was imported');
        for (const label of reply.labels) labels.push(label);
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
    peakChunksInFlight = Math.max(peakChunksInFlight, encodePeak);
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
    const unit = tokenizer === 'char' ? 'characters' : 'words';
    return {
      classNames,
      labels: labelArray,
      lengths: lengthArray,
      tokenizer,
      vocabulary,
      maxTokens,
      ...(source.columns ? { columns: source.columns } : {}),
      tokens: counts.total,
      peakChunksInFlight,
      notes: [
        ...(source.columns
          ? [`text from column "${source.textColumn}", labels from column "${source.labelColumn}"`]
          : []),
        `stored as token ids in shards: a vocabulary of ${vocabulary.tokens.length} ${unit} learnt in a first pass over all ${texts} texts (${counts.total} tokens; ${exact})`,
        ...(cut > 0 ? [`${cut} texts longer than ${maxTokens} tokens were cut to ${maxTokens} when stored`] : []),
      ],
    };
  });
}
