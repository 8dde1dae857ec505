import { threadLauncher } from '../../../io/threadLauncher';
import { ThreadPool, type ThreadPoolOptions } from '../../../io/threadPool';
import type { DecodeReply, DecodeRequest, DecoderReady } from './decodeProtocol';
import type { ImageTarget } from './imageTarget';

/** The decode worker's built entry, for the entries that import (the app, the browser host); none from source. */
export type DecodePoolOptions = ThreadPoolOptions;

/** Threads that decode chunks of image files into records: one per core by default. */
export class DecodePool {
  private constructor(private readonly pool: ThreadPool<DecodeRequest, DecodeReply, DecoderReady>) {}

  static async start(options: DecodePoolOptions = {}): Promise<DecodePool> {
    const launch = threadLauncher(import.meta.url, 'decodeWorker.ts', options.builtEntry);
    return new DecodePool(
      await ThreadPool.start<DecodeRequest, DecodeReply, DecoderReady>(() => launch({}), 'decode', options.workers),
    );
  }

  get size(): number {
    return this.pool.size;
  }

  /** The library every thread decodes with, and why not sharp if not. */
  get decoder(): DecoderReady {
    return this.pool.ready;
  }

  decode(files: string[], target: ImageTarget, maxFileBytes: number): Promise<DecodeReply> {
    return this.pool.request({ files, target, maxFileBytes });
  }

  /** Terminates every thread now, whatever it is decoding: a cancel takes effect at once. */
  close(): void {
    this.pool.close();
  }
}
