import { CONTINUATION, initialSymbols, mergedSymbol, type SubwordModel } from './subwordMerges';

/**
 * Cuts one word with learnt BPE merges, applied in the order they were learnt (the lowest-ranked adjacent pair
 * first, as at training time). Characters never seen stay single symbols, which the vocabulary maps to <unk>.
 */
export function bpeCutter(model: SubwordModel): (word: string) => string[] {
  const rank = new Map(model.merges.map(([left, right], i) => [`${left}\u0000${right}`, i]));
  const memo = new Map<string, string[]>();
  return (word) => {
    const cached = memo.get(word);
    if (cached) return cached;
    let symbols = initialSymbols(word);
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i + 1 < symbols.length; i++) {
        const r = rank.get(`${symbols[i]}\u0000${symbols[i + 1]}`);
        if (r !== undefined && r < bestRank) [best, bestRank] = [i, r];
      }
      if (best < 0) break;
      symbols = [
        ...symbols.slice(0, best),
        mergedSymbol(symbols[best]!, symbols[best + 1]!),
        ...symbols.slice(best + 2),
      ];
    }
    if (memo.size < 200_000) memo.set(word, symbols);
    return symbols;
  };
}

/**
 * Cuts one word as BERT's WordPiece does: the longest vocabulary entry from the start, then the longest "##" entry
 * from where that ended, and so on. A word that cannot be covered is kept whole, which the vocabulary maps to <unk>.
 */
export function wordPieceCutter(vocabulary: ReadonlySet<string>, maxPieceLength = 32): (word: string) => string[] {
  const memo = new Map<string, string[]>();
  return (word) => {
    const cached = memo.get(word);
    if (cached) return cached;
    const chars = [...word];
    const pieces: string[] = [];
    for (let start = 0; start < chars.length;) {
      let end = Math.min(chars.length, start + maxPieceLength);
      let piece: string | null = null;
      for (; end > start; end--) {
        const candidate = (start > 0 ? CONTINUATION : '') + chars.slice(start, end).join('');
        if (vocabulary.has(candidate)) {
          piece = candidate;
          break;
        }
      }
      if (piece === null) {
        pieces.length = 0;
        pieces.push(word);
        break;
      }
      pieces.push(piece);
      start = end;
    }
    if (memo.size < 200_000) memo.set(word, pieces);
    return pieces;
  };
}

/** Subword tokens back into text: a "##" piece joins the one before it, other pieces are separated by a space. */
export function joinSubwords(tokens: readonly string[]): string {
  return tokens
    .map((t, i) => (t.startsWith(CONTINUATION) ? t.slice(CONTINUATION.length) : i === 0 ? t : ` ${t}`))
    .join('');
}
