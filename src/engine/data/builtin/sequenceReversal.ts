import type { Seq2seqData } from '../datasetTypes';
import { seededRandom } from '../split/seededRandom';

/**
 * Sequence reversal: a string of 4-10 letters from a-p, to be written backwards. Output position i must read source
 * position n-1-i, so a model that solves it shows a mirrored (anti-diagonal) cross-attention: the check that the
 * attention is real. Generated with a fixed seed.
 */
export function generateSequenceReversal(count = 4000, seed = 9, alphabet = 'abcdefghijklmnop'): Seq2seqData {
  const random = seededRandom(seed);
  const sources: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = 4 + Math.floor(random() * 7);
    sources.push(Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
  }
  return { kind: 'seq2seq', sources, targets: sources.map((s) => [...s].reverse().join('')), tokenizer: 'char' };
}
