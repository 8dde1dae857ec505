import * as fs from 'node:fs/promises';
import { statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SHARD_LABELS, SHARD_INDEX } from '../shards/shardFormat';
import { ShardWriter } from '../shards/shardWriter';
import { Int32Log } from '../shards/int32Log';
import { DatasetFileError, ImportCancelledError } from './datasetFileError';
import { DecodePool, type DecodePoolOptions } from './decoding/decodePool';
import type { DecodeReply } from './decoding/decodeProtocol';
import { recordBytesOf, type ImageTarget } from './decoding/imageTarget';
import { classFolders, folderImages } from './decoding/walkImageFolder';
import { gigabytes, writeFailure } from './writeFailure';
import { withImportPool } from './pooledImport';
import { progressTicker, type ImportControl } from './importProgress';

/** One image file may be at most this big (a large photo is a few tens of MB); a bigger one is skipped. */
const MAX_IMAGE_FILE_BYTES = 256 * 1024 * 1024;
/** Files per message to a decode process: enough to amortise the message, few enough to keep every core busy. */
const CHUNK_FILES = 32;
/** Chunks given out per decode process at once: one decoding, one waiting, so none idles on the coordinator. */
const CHUNKS_PER_WORKER = 2;
/** Skipped files listed by name; more are counted. */
const LISTED_SKIPS = 1000;

/** A file that could not be decoded: skipped, and listed for the user. */
export interface SkippedFile {
  file: string;
  reason: string;
}

/** An image folder imported into shards: what data.json and the dataset list say about it. */
export interface ImageFolderImport {
  classNames: string[];
  target: ImageTarget;
  /** Every decoded image's label, in record order (also written to labels.bin). */
  labels: Int32Array;
  /** The mean of each channel over every pixel, 0..255. */
  meanPixel: number[];
  skipped: SkippedFile[];
  skippedCount: number;
  /** The library, why not sharp if not, how many processes decoded and the sum of their peak resident memory. */
  decoder: { name: string; note?: string; processes: number; peakMemoryBytes: number };
  /** The most chunks that were ever out at once: what bounds the import's memory, whatever the image count. */
  peakChunksInFlight: number;
}

/**
 * A folder of class folders (root/cat/001.jpg, root/dog/002.png, ...), as torchvision's ImageFolder reads it, decoded
 * by a pool of processes straight into shards in `out` (a folder the caller renames into place when this returns, and
 * removes when it throws). Two streaming passes: one counts the files (for the progress and its ETA), one decodes
 * them. Memory stays flat in the count: a few chunks in flight, one open shard, 4 bytes of label per image. A file
 * that does not decode is skipped and listed; cancelling kills every decode process at once.
 */
export async function importImageFolder(
  root: string,
  out: string,
  target: ImageTarget,
  control: ImportControl = {},
  poolOptions: DecodePoolOptions = {},
  files: Pick<typeof fs, 'open'> = fs,
): Promise<ImageFolderImport> {
  const classes = await classFolders(root);
  const recordBytes = recordBytesOf(target);
  const counting = progressTicker(control, 'counting files', 0);
  let total = 0;
  for await (const _image of folderImages(root, classes)) await counting(++total);
  if (total === 0)
    throw new DatasetFileError(
      root,
      null,
      'no image files (.jpg, .jpeg, .png, .webp, .gif, .tif, .tiff, .avif) in the class folders',
    );
  control.onProgress?.({ done: total, total, phase: 'counting files', rate: 0, etaSeconds: null });
  // Refused now rather than when the disk fills: the shards need total * recordBytes (less what does not decode).
  const { bavail, bsize } = await statfs(out);
  if (total * recordBytes > bavail * bsize)
    throw new DatasetFileError(
      root,
      null,
      `${total} images of ${target.height}x${target.width}x${target.channels} need ${gigabytes(total * recordBytes)} GB; the disk has ${gigabytes(bavail * bsize)} GB free`,
    );

  const pool = await DecodePool.start(poolOptions);
  const writer = new ShardWriter(out, 'image', recordBytes, undefined, files);
  const labels = new Int32Log();
  const skipped: SkippedFile[] = [];
  let skippedCount = 0;
  const skip = (path: string, reason: string) => {
    if (skipped.length < LISTED_SKIPS) skipped.push({ file: path.slice(root.length + 1), reason });
    skippedCount++;
  };
  const channelSums = new Array<number>(target.channels).fill(0);
  const tick = progressTicker(control, 'decoding images', total);
  let done = 0;
  let peakChunksInFlight = 0;
  // Chunks in the order they were sent: records are stored in folder order, whichever thread finishes first.
  const inFlight: { files: { path: string; label: number }[]; reply: Promise<DecodeReply> }[] = [];
  const store = async () => {
    const chunk = inFlight.shift()!;
    const reply = await chunk.reply;
    try {
      await writer.append(reply.records);
    } catch (error) {
      throw writeFailure(root, error as NodeJS.ErrnoException, `${labels.length} images`);
    }
    chunk.files.forEach((file, i) => (reply.ok[i] ? labels.push(file.label) : undefined));
    for (const { index, reason } of reply.failures) skip(chunk.files[index]!.path, reason);
    reply.channelSums.forEach((sum, c) => (channelSums[c]! += sum));
    done += chunk.files.length;
    await tick(done);
  };
  await withImportPool(pool, writer, control, async () => {
    let batch: { path: string; label: number }[] = [];
    const send = async () => {
      const reply = pool.decode(
        batch.map((f) => f.path),
        target,
        MAX_IMAGE_FILE_BYTES,
      );
      // A chunk still out when the import stops is rejected with nobody waiting for it: not an unhandled rejection.
      reply.catch(() => undefined);
      inFlight.push({ files: batch, reply });
      peakChunksInFlight = Math.max(peakChunksInFlight, inFlight.length);
      batch = [];
      if (inFlight.length >= pool.size * CHUNKS_PER_WORKER) await store();
    };
    for await (const image of folderImages(root, classes)) {
      if (control.signal?.aborted) throw new ImportCancelledError();
      if (image.refused) {
        skip(image.path, image.refused);
        done++;
        continue;
      }
      batch.push(image);
      if (batch.length === CHUNK_FILES) await send();
    }
    if (batch.length > 0) await send();
    while (inFlight.length > 0) await store();
  });
  if (labels.length === 0)
    throw new DatasetFileError(
      root,
      null,
      `none of the ${total} images could be decoded (first: ${skipped[0]?.file}: ${skipped[0]?.reason})`,
    );
  const labelArray = labels.toArray();
  try {
    const index = await writer.finish();
    await writeFile(join(out, SHARD_LABELS), new Uint8Array(labelArray.buffer));
    await writeFile(join(out, SHARD_INDEX), JSON.stringify(index));
  } catch (error) {
    await writer.abandon();
    throw writeFailure(root, error as NodeJS.ErrnoException, `${labels.length} images`);
  }
  const pixelsPerChannel = labels.length * target.height * target.width;
  return {
    classNames: classes,
    target,
    labels: labelArray,
    meanPixel: channelSums.map((sum) => sum / pixelsPerChannel),
    skipped,
    skippedCount,
    decoder: {
      name: pool.decoder.decoder,
      ...(pool.decoder.note ? { note: pool.decoder.note } : {}),
      processes: pool.size,
      peakMemoryBytes: pool.peakMemoryBytes,
    },
    peakChunksInFlight,
  };
}
