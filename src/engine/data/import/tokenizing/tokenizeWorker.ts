import { parentPort } from 'node:worker_threads';
import { PAD_ID, UNKNOWN_ID, wholeTokenCutter } from '../../tokenizers/wordVocabulary';
import { DatasetFileError } from '../datasetFileError';
import { BoundedCounts } from './boundedCounts';
import { chunkRecords, type ChunkRecords, type RecordLayout } from './chunkRecords';
import type {
  ChunkFailure,
  CountReply,
  CountRequest,
  CountsReply,
  EncodeReply,
  EncodeRequest,
  SetupMessage,
  TokenizeRequest,
  TokenizerReady,
  VocabularyMessage,
} from './tokenizeProtocol';

/**
 * One thread of a streamed text import: parses a chunk of whole records and counts its tokens and labels (the
 * vocabulary's pass), or turns it into fixed-size records of token ids (the shards' pass). The cutting is the
 * in-memory tokenizers' own; a chunk that cannot be read comes back as a failure naming its line, never a crash.
 */
const port = parentPort!;

let setup: { file: string; layout: RecordLayout } | null = null;
let vocabulary: { cut: (text: string) => string[]; ids: Map<string, number>; classes: Map<string, number> } | null =
  null;

function records(request: CountRequest | EncodeRequest): ChunkRecords {
  if (!setup) throw new Error('a chunk came before the setup');
  return chunkRecords(setup.file, request.chunk, setup.layout, request.first);
}

/** This thread's share of the first pass's token counts; half the coordinator's capacity, as two threads merge. */
let passCounts: BoundedCounts | null = null;
const THREAD_CAPACITY = 500_000;

function count(request: CountRequest): CountReply {
  const { texts, labels } = records(request);
  const cut = wholeTokenCutter(request.kind);
  passCounts ??= new BoundedCounts(THREAD_CAPACITY);
  for (const text of texts) for (const token of cut(text)) passCounts.add(token);
  const labelCounts = new Map<string, number>();
  for (const label of labels) labelCounts.set(label, (labelCounts.get(label) ?? 0) + 1);
  return {
    id: request.id,
    labels: [...labelCounts.keys()],
    labelCounts: Uint32Array.from(labelCounts.values()),
    records: texts.length,
  };
}

function encode(request: EncodeRequest): EncodeReply {
  if (!vocabulary) throw new Error('a chunk to encode came before the vocabulary');
  const { texts, labels } = records(request);
  const { cut, ids: idOf, classes } = vocabulary;
  const { maxTokens } = request;
  const ids = new Uint32Array(texts.length * maxTokens).fill(PAD_ID);
  const lengths = new Uint32Array(texts.length);
  const classIds = new Int32Array(texts.length);
  texts.forEach((text, row) => {
    const tokens = cut(text);
    lengths[row] = tokens.length;
    const kept = Math.min(tokens.length, maxTokens);
    for (let t = 0; t < kept; t++) ids[row * maxTokens + t] = idOf.get(tokens[t]!) ?? UNKNOWN_ID;
    const label = classes.get(labels[row]!);
    if (label === undefined)
      throw new DatasetFileError(setup!.file, null, 'the file changed while it was imported (a new label)');
    classIds[row] = label;
  });
  return { id: request.id, ids, lengths, labels: classIds };
}

port.on('message', (message: TokenizeRequest | SetupMessage | VocabularyMessage) => {
  if ('type' in message) {
    if (message.type === 'setup') setup = { file: message.file, layout: message.layout };
    else
      vocabulary = {
        cut: wholeTokenCutter(message.kind),
        ids: new Map(message.tokens.map((token, id) => [token, id])),
        classes: new Map(message.classNames.map((name, id) => [name, id])),
      };
    return;
  }
  try {
    if (message.pass === 'count') {
      port.postMessage(count(message));
      return;
    }
    if (message.pass === 'counts') {
      const reply: CountsReply = { id: message.id, ...(passCounts ?? new BoundedCounts()).entries() };
      passCounts = null;
      port.postMessage(reply, [reply.counts.buffer as ArrayBuffer]);
      return;
    }
    const reply = encode(message);
    port.postMessage(reply, [reply.ids.buffer as ArrayBuffer, reply.lengths.buffer as ArrayBuffer]);
  } catch (error) {
    const failure: ChunkFailure = {
      id: message.id,
      failure:
        error instanceof DatasetFileError
          ? { where: error.where, problem: error.problem }
          : { where: null, problem: (error as Error).message },
    };
    port.postMessage(failure);
  }
});
const ready: TokenizerReady = { type: 'ready' };
port.postMessage(ready);
