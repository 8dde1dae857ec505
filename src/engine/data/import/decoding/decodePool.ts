import type { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { threadLauncher } from '../../../io/threadLauncher';
import type { DecodeReply, DecodeRequest, DecodeWorkerMessage, DecoderReady } from './decodeProtocol';
import type { ImageTarget } from './imageTarget';

interface Pending {
  resolve: (reply: DecodeReply) => void;
  reject: (error: Error) => void;
}

/** One decode thread and the chunks it has been given. */
class DecodeThread {
  readonly pending = new Map<number, Pending>();
  failure: Error | null = null;

  constructor(readonly worker: Worker) {
    worker.on('message', (message: DecodeWorkerMessage) => {
      if (message.type !== 'decoded') return;
      this.pending.get(message.id)?.resolve(message);
      this.pending.delete(message.id);
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const chunk of this.pending.values()) chunk.reject(this.failure);
      this.pending.clear();
    };
    worker.on('error', (error) => fail(new Error(`a decode thread failed: ${error.message}`)));
    worker.on('exit', (code) => fail(new Error(`a decode thread stopped (exit code ${code})`)));
  }
}

/** The decode worker's built entry, for the entries that import (the app, the browser host); none from source. */
export interface DecodePoolOptions {
  builtEntry?: URL;
  /** Decode threads; one per core by default. */
  workers?: number;
}

/**
 * A pool of decode threads, one per core by default: each chunk goes to the thread with the fewest chunks under
 * way. Closing terminates every thread at once, whatever it is decoding; chunks still out are rejected.
 */
export class DecodePool {
  private nextId = 0;

  private constructor(
    private readonly threads: DecodeThread[],
    readonly decoder: DecoderReady,
  ) {}

  static async start(options: DecodePoolOptions = {}): Promise<DecodePool> {
    const launch = threadLauncher(import.meta.url, 'decodeWorker.ts', options.builtEntry);
    const count = Math.max(1, options.workers ?? availableParallelism());
    const workers = Array.from({ length: count }, () => launch({}));
    try {
      const ready = await Promise.all(
        workers.map(
          (worker) =>
            new Promise<DecoderReady>((resolve, reject) => {
              worker.once('message', (message: DecodeWorkerMessage) =>
                message.type === 'ready' ? resolve(message) : reject(new Error('a decode thread did not start')),
              );
              worker.once('error', reject);
              worker.once('exit', (code) => reject(new Error(`a decode thread stopped while starting (exit ${code})`)));
            }),
        ),
      );
      return new DecodePool(
        workers.map((worker) => new DecodeThread(worker)),
        ready[0]!,
      );
    } catch (error) {
      await Promise.all(workers.map((worker) => worker.terminate()));
      throw error;
    }
  }

  get size(): number {
    return this.threads.length;
  }

  decode(files: string[], target: ImageTarget, maxFileBytes: number): Promise<DecodeReply> {
    const thread = this.threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    if (thread.failure) return Promise.reject(thread.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      const request: DecodeRequest = { id, files, target, maxFileBytes };
      thread.worker.postMessage(request);
    });
  }

  /** Terminates every thread now, whatever it is decoding: a cancel takes effect at once. */
  close(): void {
    for (const thread of this.threads) void thread.worker.terminate();
  }
}
