import { threadLauncher } from '../../../io/threadLauncher';
import { ThreadPool, type ThreadPoolOptions } from '../../../io/threadPool';
import type {
  CountReply,
  EncodeReply,
  StreamedTokenizerKind,
  TokenizeReply,
  TokenizeRequest,
  TokenizerReady,
  VocabularyMessage,
} from './tokenizeProtocol';

/** The tokenize worker's built entry, for the entries that import (the app, the browser host); none from source. */
export type TokenizePoolOptions = ThreadPoolOptions;

/** Threads that count and encode batches of texts for a streamed text import: one per core by default. */
export class TokenizePool {
  private constructor(private readonly pool: ThreadPool<TokenizeRequest, TokenizeReply, TokenizerReady>) {}

  static async start(options: TokenizePoolOptions = {}): Promise<TokenizePool> {
    const launch = threadLauncher(import.meta.url, 'tokenizeWorker.ts', options.builtEntry);
    return new TokenizePool(
      await ThreadPool.start<TokenizeRequest, TokenizeReply, TokenizerReady>(
        () => launch({}),
        'tokenize',
        options.workers,
      ),
    );
  }

  get size(): number {
    return this.pool.size;
  }

  count(texts: string[], kind: StreamedTokenizerKind): Promise<CountReply> {
    return this.pool.request({ pass: 'count', texts, kind }) as Promise<CountReply>;
  }

  /** Gives every thread the vocabulary that the encode requests after it use. */
  useVocabulary(kind: StreamedTokenizerKind, tokens: string[]): void {
    const message: VocabularyMessage = { type: 'vocabulary', kind, tokens };
    this.pool.broadcast(message);
  }

  encode(texts: string[], maxTokens: number): Promise<EncodeReply> {
    return this.pool.request({ pass: 'encode', texts, maxTokens }) as Promise<EncodeReply>;
  }

  close(): void {
    this.pool.close();
  }
}
