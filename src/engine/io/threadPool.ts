import { availableParallelism } from 'node:os';

/**
 * What a pool runs its requests on: a worker thread (node:worker_threads' Worker has this shape) or a process (see
 * processLauncher.ts), whose `transfer` is ignored as a process copies every message anyway.
 */
export interface PoolMember {
  postMessage(message: unknown, transfer?: readonly ArrayBuffer[]): void;
  // 'message' gives the message, 'error' an Error, 'exit' the exit code: `any`, as Worker's overloads type each.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  on(event: 'message' | 'error' | 'exit', listener: (value: any) => void): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  once(event: 'message' | 'error' | 'exit', listener: (value: any) => void): unknown;
  terminate(): unknown;
}

/** A worker's first message, before any reply; what else it says (the library it loaded) is the pool's `ready`. */
export interface ThreadReady {
  type: 'ready';
}

/** A request as its sender writes it: the pool numbers it. Distributes over a union of requests. */
export type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

interface Pending<Reply> {
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
}

/** One thread of a pool and the requests it has been given. */
class PoolThread<Reply extends { id: number }> {
  readonly pending = new Map<number, Pending<Reply>>();
  failure: Error | null = null;

  constructor(
    readonly worker: PoolMember,
    what: string,
  ) {
    worker.on('message', (message: Reply | ThreadReady) => {
      if ('type' in message && message.type === 'ready') return;
      const reply = message as Reply;
      this.pending.get(reply.id)?.resolve(reply);
      this.pending.delete(reply.id);
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const request of this.pending.values()) request.reject(this.failure);
      this.pending.clear();
    };
    worker.on('error', (error) => fail(new Error(`${what} failed: ${error.message}`)));
    worker.on('exit', (code) => fail(new Error(`${what} stopped (exit code ${code})`)));
  }
}

/** Where a pool's worker entry is when built (the app, the browser host), and how many threads; from source when unset. */
export interface ThreadPoolOptions {
  builtEntry?: URL;
  /** Threads; one per core by default. */
  workers?: number;
}

/**
 * Worker threads (or processes), one per core by default, that answer requests by id: each request goes to the one
 * with the fewest under way. Closing terminates every one at once, whatever it is doing; requests still out are
 * rejected.
 */
export class ThreadPool<Request extends { id: number }, Reply extends { id: number }, Ready extends ThreadReady> {
  private nextId = 0;

  private constructor(
    private readonly threads: PoolThread<Reply>[],
    /** What the first thread said when it started. */
    readonly ready: Ready,
  ) {}

  /** Starts `workers` members with `launch` and waits until each has said it is ready; `what` names one in errors. */
  static async start<Request extends { id: number }, Reply extends { id: number }, Ready extends ThreadReady>(
    launch: () => PoolMember,
    what: string,
    workers = availableParallelism(),
  ): Promise<ThreadPool<Request, Reply, Ready>> {
    const started = Array.from({ length: Math.max(1, workers) }, launch);
    try {
      const ready = await Promise.all(
        started.map(
          (worker) =>
            new Promise<Ready>((resolve, reject) => {
              worker.once('message', (message: Ready) =>
                message.type === 'ready' ? resolve(message) : reject(new Error(`${what} did not start`)),
              );
              worker.once('error', reject);
              worker.once('exit', (code) => reject(new Error(`${what} stopped while starting (exit ${code})`)));
            }),
        ),
      );
      return new ThreadPool<Request, Reply, Ready>(
        started.map((worker) => new PoolThread<Reply>(worker, what)),
        ready[0]!,
      );
    } catch (error) {
      await Promise.all(started.map((worker) => worker.terminate()));
      throw error;
    }
  }

  get size(): number {
    return this.threads.length;
  }

  /** Sends a request (its id given here) to the least busy thread; `transfer` moves buffers instead of copying. */
  request(body: WithoutId<Request>, transfer: ArrayBuffer[] = []): Promise<Reply> {
    return this.send(
      this.threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a)),
      body,
      transfer,
    );
  }

  /** Sends the same request to every thread (what each has gathered, say), after what each was given before. */
  requestEach(body: WithoutId<Request>): Promise<Reply[]> {
    return Promise.all(this.threads.map((thread) => this.send(thread, body, [])));
  }

  private send(thread: PoolThread<Reply>, body: WithoutId<Request>, transfer: ArrayBuffer[]): Promise<Reply> {
    if (thread.failure) return Promise.reject(thread.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      thread.worker.postMessage({ ...body, id }, transfer);
    });
  }

  /** Sends the same message to every thread (settings they keep for the requests that follow). */
  broadcast(message: unknown): void {
    for (const thread of this.threads) thread.worker.postMessage(message);
  }

  /** Terminates every thread now, whatever it is doing: a cancel takes effect at once. */
  close(): void {
    for (const thread of this.threads) void thread.worker.terminate();
  }
}
