import { threadLauncher } from '../../../io/threadLauncher';
import { ThreadPool, type ThreadPoolOptions } from '../../../io/threadPool';
import { DatasetFileError } from '../datasetFileError';
import type { RecordLayout } from './chunkRecords';
import type { RecordChunk } from './recordChunks';
import type {
  CountReply,
  CountsReply,
  EncodeReply,
  SetupMessage,
  StreamedTokenizerKind,
  TokenizeReply,
  TokenizeRequest,
  TokenizerReady,
  VocabularyMessage,
} from './tokenizeProtocol';

/** The tokenize worker's built entry, for the entries that import (the app, the browser host); none from source. */
export type TokenizePoolOptions = ThreadPoolOptions;

/**
 * A thread holds a chunk or two and its token counts: a few tens of megabytes. A small young generation makes V8
 * collect as it goes instead of growing each thread's heap towards its default (measured here: 105 MB a thread
 * without the limit, on a 100 MB CSV); the old-generation cap turns a runaway into that thread's error.
 */
const THREAD_HEAP = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 };

/** Threads that parse, count and encode chunks of a big text file: one per core by default. */
export class TokenizePool {
  private constructor(
    private readonly pool: ThreadPool<TokenizeRequest, TokenizeReply, TokenizerReady>,
    private readonly file: string,
  ) {}

  /** Starts the threads and tells each the file (named in messages) and how its records are laid out. */
  static async start(file: string, layout: RecordLayout, options: TokenizePoolOptions = {}): Promise<TokenizePool> {
    const launch = threadLauncher(import.meta.url, 'tokenizeWorker.ts', options.builtEntry);
    const pool = await ThreadPool.start<TokenizeRequest, TokenizeReply, TokenizerReady>(
      () => launch({ resourceLimits: THREAD_HEAP }),
      'a tokenize thread',
      options.workers,
    );
    const setup: SetupMessage = { type: 'setup', file, layout };
    pool.broadcast(setup);
    return new TokenizePool(pool, file);
  }

  get size(): number {
    return this.pool.size;
  }

  count(chunk: RecordChunk, first: boolean, kind: StreamedTokenizerKind): Promise<CountReply> {
    return this.pool.request({ pass: 'count', chunk, first, kind }).then(this.answer) as Promise<CountReply>;
  }

  /** Every thread's token counts of the first pass, gathered after every chunk it was given. */
  async counts(): Promise<CountsReply[]> {
    return (await this.pool.requestEach({ pass: 'counts' })).map(this.answer) as CountsReply[];
  }

  /** Gives every thread the vocabulary and classes that the encode requests after it use. */
  useVocabulary(kind: StreamedTokenizerKind, tokens: string[], classNames: string[]): void {
    const message: VocabularyMessage = { type: 'vocabulary', kind, tokens, classNames };
    this.pool.broadcast(message);
  }

  encode(chunk: RecordChunk, first: boolean, maxTokens: number): Promise<EncodeReply> {
    return this.pool.request({ pass: 'encode', chunk, first, maxTokens }).then(this.answer) as Promise<EncodeReply>;
  }

  close(): void {
    this.pool.close();
  }

  /** A chunk's failure as the error that names the file and the line. */
  private readonly answer = (reply: TokenizeReply): TokenizeReply => {
    if ('failure' in reply) throw new DatasetFileError(this.file, reply.failure.where, reply.failure.problem);
    return reply;
  };
}
