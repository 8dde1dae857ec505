import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { DatasetFileError, ImportCancelledError } from './datasetFileError';

/**
 * Reading a file the user named, which may be anything: a FIFO that never delivers, /dev/zero that never ends, a
 * symlink to either, a gzip bomb, a file that grows while it is read. Only regular files are read; reading goes in
 * chunks with a cap counted on the bytes actually read (gzip: inflated) and checks the cancel signal between chunks.
 * No call can block a thread of libuv's pool for longer than one chunk.
 */

const CHUNK_BYTES = 1 << 20;

/** What kind of thing a non-regular path is, for the message. */
function describeKind(info: Stats): string {
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  if (info.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/** Refuses anything but a regular file or a folder, without opening it (stat never blocks on a FIFO). */
export async function statUserPath(path: string): Promise<Stats> {
  const info = await stat(path).catch(() => {
    throw new DatasetFileError(path, null, 'no such file or folder');
  });
  if (!info.isFile() && !info.isDirectory()) {
    throw new DatasetFileError(
      path,
      null,
      `is ${describeKind(info)}, not a regular file: only files and folders can be imported`,
    );
  }
  return info;
}

/** Read-only; O_NONBLOCK makes opening a FIFO return at once instead of waiting for a writer. */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/** What the synchronous and the asynchronous read refuse alike, in the same words. */
function notRegularFile(path: string, info: Stats): DatasetFileError {
  return new DatasetFileError(path, null, `is ${describeKind(info)}, not a regular file`);
}

function statedOverLimit(path: string, size: number, limits: Pick<ReadLimits, 'maxBytes' | 'limitName'>) {
  return new DatasetFileError(path, null, `${size} bytes is more than ${limits.maxBytes}, ${limits.limitName}`);
}

function openFailure(path: string, error: NodeJS.ErrnoException): DatasetFileError {
  return new DatasetFileError(
    path,
    null,
    error.code === 'ENOENT' ? 'no such file' : `cannot be opened (${error.code ?? error.message})`,
  );
}

/**
 * Opens a regular file for reading. O_NONBLOCK makes opening a FIFO return at once instead of waiting for a writer
 * (on a regular file it changes nothing); fstat on the open handle then refuses what is not a regular file, which
 * also covers a path swapped between a check and the open.
 */
export async function openRegularFile(path: string): Promise<{ handle: FileHandle; size: number }> {
  const handle = await open(path, OPEN_FLAGS).catch((error: NodeJS.ErrnoException) => {
    throw openFailure(path, error);
  });
  const info = await handle.stat();
  if (!info.isFile()) {
    await handle.close();
    throw notRegularFile(path, info);
  }
  return { handle, size: info.size };
}

export interface ReadLimits {
  /** The most bytes the contents may have (after inflating gzip); more is an error naming the file. */
  maxBytes: number;
  /** What those bytes are, for the message: "the import budget", "the text-file limit". */
  limitName: string;
  signal?: AbortSignal;
  /** Inflate the file while reading it if it starts with gzip's magic bytes. */
  gunzip?: boolean;
  /**
   * Once the first `bytes` of the contents are in, `cap` may check them and return a tighter limit (the size a
   * header declares), so that a corrupt header or a gzip bomb is refused before the rest is inflated.
   */
  head?: { bytes: number; cap: (head: Uint8Array) => number };
}

/** Collects the contents under the cap, asking `head` for a tighter one as soon as enough has arrived. */
class CappedSink {
  private readonly parts: Uint8Array[] = [];
  private length = 0;
  private headChecked = false;

  constructor(
    private readonly file: string,
    private limit: number,
    private readonly limits: ReadLimits,
  ) {}

  add(chunk: Uint8Array): void {
    this.length += chunk.length;
    if (this.length > this.limit) {
      throw new DatasetFileError(
        this.file,
        null,
        `holds more than ${this.limit} bytes${this.headChecked ? ', the size its header declares' : `, ${this.limits.limitName}`}`,
      );
    }
    this.parts.push(chunk);
    if (!this.headChecked && this.limits.head && this.length >= this.limits.head.bytes) this.checkHead();
  }

  finish(): Uint8Array {
    if (!this.headChecked && this.limits.head) this.checkHead();
    return this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.length);
  }

  private checkHead(): void {
    this.headChecked = true;
    const joined = Buffer.concat(this.parts, this.length);
    this.parts.splice(0, this.parts.length, joined);
    this.limit = Math.min(this.limit, this.limits.head!.cap(joined));
  }
}

/** Feeds compressed chunks to zlib and hands each inflated piece to the sink, which throws past its cap. */
function gunzipInto(file: string, sink: CappedSink) {
  const inflater = createGunzip();
  let failure: unknown = null;
  inflater.on('data', (piece: Buffer) => {
    if (failure) return;
    try {
      sink.add(piece);
    } catch (error) {
      failure = error;
      inflater.destroy();
    }
  });
  const settled = new Promise<void>((resolve) => {
    inflater.on('end', resolve);
    inflater.on('close', resolve);
    inflater.on('error', (error) => {
      failure ??= new DatasetFileError(file, null, `not a readable gzip file (${error.message})`);
      resolve();
    });
  });
  const rethrow = () => {
    if (failure) throw failure;
  };
  return {
    async write(chunk: Uint8Array): Promise<void> {
      rethrow();
      // Waiting for the drain keeps what is inflated but not yet counted to one chunk's worth.
      if (!inflater.write(chunk))
        await new Promise<void>((resolve) => inflater.once('drain', resolve).once('close', resolve));
      rethrow();
    },
    async end(): Promise<void> {
      rethrow();
      inflater.end();
      await settled;
      rethrow();
    },
    abort: () => inflater.destroy(),
  };
}

/** Reads a regular file whole, under the limits, in chunks; see the module comment. */
export async function readUserFile(path: string, limits: ReadLimits): Promise<Uint8Array> {
  const { handle, size } = await openRegularFile(path);
  if (!limits.gunzip && size > limits.maxBytes) {
    await handle.close();
    throw statedOverLimit(path, size, limits);
  }
  // Small files (one image of a folder) get a buffer of their size, not a megabyte each.
  const chunkBytes = Math.min(CHUNK_BYTES, Math.max(4096, size + 1));
  const sink = new CappedSink(path, limits.maxBytes, limits);
  let inflate: ReturnType<typeof gunzipInto> | null = null;
  try {
    for (let first = true; ; first = false) {
      if (limits.signal?.aborted) throw new ImportCancelledError();
      const chunk = new Uint8Array(chunkBytes);
      const { bytesRead } = await handle.read(chunk, 0, chunkBytes, null);
      if (bytesRead === 0) break;
      const piece = chunk.subarray(0, bytesRead);
      if (first && limits.gunzip && piece[0] === 0x1f && piece[1] === 0x8b) inflate = gunzipInto(path, sink);
      if (inflate) await inflate.write(piece);
      else sink.add(piece);
    }
    await inflate?.end();
    return sink.finish();
  } catch (error) {
    inflate?.abort();
    throw error;
  } finally {
    await handle.close();
  }
}

/**
 * A regular file read whole, synchronously, under `maxBytes` counted on the bytes read (a file may grow after its
 * stat). For a process that does nothing else meanwhile (a decode process): the five hand-offs to libuv's pool that
 * the asynchronous read costs a file would queue behind the decodes holding that pool. Read into `reuse` when the
 * file fits (the result is then a view of it, valid until the next read into it), into a new buffer otherwise.
 */
export function readRegularFileSync(
  path: string,
  limits: Pick<ReadLimits, 'maxBytes' | 'limitName'>,
  reuse?: Uint8Array,
): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    throw openFailure(path, error as NodeJS.ErrnoException);
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw notRegularFile(path, info);
    if (info.size > limits.maxBytes) throw statedOverLimit(path, info.size, limits);
    // One byte past the stated size: a file that grew is read on, and its end seen in the same call when it did not.
    const wanted = Math.min(limits.maxBytes + 1, info.size + 1);
    let buffer = reuse && reuse.length >= wanted ? reuse.subarray(0, wanted) : new Uint8Array(wanted);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > limits.maxBytes)
          throw new DatasetFileError(path, null, `holds more than ${limits.maxBytes} bytes, ${limits.limitName}`);
        const grown = new Uint8Array(Math.min(limits.maxBytes + 1, length + CHUNK_BYTES));
        grown.set(buffer);
        buffer = grown;
      }
      const bytesRead = readSync(fd, buffer, length, Math.min(CHUNK_BYTES, buffer.length - length), null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** The first bytes of a regular file (format detection); fewer if the file is shorter. */
export async function readFileHead(path: string, bytes: number): Promise<Uint8Array> {
  const { handle } = await openRegularFile(path);
  try {
    const buffer = new Uint8Array(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
