import { parentPort } from 'node:worker_threads';
import { PAD_ID, tokenizeWords, UNKNOWN_ID } from '../../tokenizers/wordVocabulary';
import type {
  CountReply,
  EncodeReply,
  StreamedTokenizerKind,
  TokenizeRequest,
  TokenizerReady,
  VocabularyMessage,
} from './tokenizeProtocol';

/**
 * One thread of a streamed text import: counts the tokens of a batch of texts (the vocabulary's pass), or turns a
 * batch into fixed-size records of token ids (the shards' pass). The cutting is the in-memory tokenizers' own.
 */
const port = parentPort!;

const cutter = (kind: StreamedTokenizerKind) => (kind === 'char' ? (text: string) => [...text] : tokenizeWords);

let vocabulary: { cut: (text: string) => string[]; ids: Map<string, number> } | null = null;

function count(texts: string[], kind: StreamedTokenizerKind): Omit<CountReply, 'id'> {
  const cut = cutter(kind);
  const counts = new Map<string, number>();
  let total = 0;
  for (const text of texts)
    for (const token of cut(text)) {
      counts.set(token, (counts.get(token) ?? 0) + 1);
      total++;
    }
  return { tokens: [...counts.keys()], counts: Uint32Array.from(counts.values()), total };
}

function encode(texts: string[], maxTokens: number): Omit<EncodeReply, 'id'> {
  if (!vocabulary) throw new Error('encode before the vocabulary was sent');
  const { cut, ids: idOf } = vocabulary;
  const ids = new Uint32Array(texts.length * maxTokens).fill(PAD_ID);
  const lengths = new Uint32Array(texts.length);
  texts.forEach((text, row) => {
    const tokens = cut(text);
    lengths[row] = tokens.length;
    const kept = Math.min(tokens.length, maxTokens);
    for (let t = 0; t < kept; t++) ids[row * maxTokens + t] = idOf.get(tokens[t]!) ?? UNKNOWN_ID;
  });
  return { ids, lengths };
}

port.on('message', (message: TokenizeRequest | VocabularyMessage) => {
  if ('type' in message) {
    vocabulary = { cut: cutter(message.kind), ids: new Map(message.tokens.map((token, id) => [token, id])) };
    return;
  }
  if (message.pass === 'count') {
    port.postMessage({ id: message.id, ...count(message.texts, message.kind) } satisfies CountReply);
    return;
  }
  const reply: EncodeReply = { id: message.id, ...encode(message.texts, message.maxTokens) };
  port.postMessage(reply, [reply.ids.buffer as ArrayBuffer, reply.lengths.buffer as ArrayBuffer]);
});
const ready: TokenizerReady = { type: 'ready' };
port.postMessage(ready);
