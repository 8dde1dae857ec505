import { processLauncher, type ProcessForker } from '../../../io/processLauncher';
import { ThreadPool, type ThreadPoolOptions } from '../../../io/threadPool';
import { DECODE_PROCESS_ENV, type DecodeReply, type DecodeRequest, type DecoderReady } from './decodeProtocol';
import type { ImageTarget } from './imageTarget';

/**
 * The decode process's built entry (the app, the browser host; from source when unset), how many, and how the app
 * starts a process (Electron's utilityProcess; Node's fork by default).
 */
export interface DecodePoolOptions extends ThreadPoolOptions {
  forkProcess?: ProcessForker;
}

/**
 * Processes that decode chunks of image files into records: one per core by default. Processes, not threads:
 * libvips takes locks on every decode that threads of one process contend for (measured here: two threads used
 * 1.85 cores for 480 images/s, two processes 2 cores for 790).
 */
export class DecodePool {
  /** Each process's peak resident memory, as its latest reply said. */
  private readonly peaks = new Map<number, number>();

  private constructor(private readonly pool: ThreadPool<DecodeRequest, DecodeReply, DecoderReady>) {}

  static async start(options: DecodePoolOptions = {}): Promise<DecodePool> {
    const launch = processLauncher(
      import.meta.url,
      'decodeWorker.ts',
      options.builtEntry,
      DECODE_PROCESS_ENV,
      options.forkProcess,
    );
    return new DecodePool(
      await ThreadPool.start<DecodeRequest, DecodeReply, DecoderReady>(launch, 'a decode process', options.workers),
    );
  }

  get size(): number {
    return this.pool.size;
  }

  /** The library every process decodes with, and why not sharp if not. */
  get decoder(): DecoderReady {
    return this.pool.ready;
  }

  /** The sum of the decode processes' peak resident memory, as far as their replies have told. */
  get peakMemoryBytes(): number {
    return [...this.peaks.values()].reduce((a, b) => a + b, 0);
  }

  async decode(files: string[], target: ImageTarget, maxFileBytes: number): Promise<DecodeReply> {
    const reply = await this.pool.request({ files, target, maxFileBytes });
    this.peaks.set(reply.pid, reply.peakMemoryBytes);
    return reply;
  }

  /** Kills every process now, whatever it is decoding: a cancel takes effect at once. */
  close(): void {
    this.pool.close();
  }
}
