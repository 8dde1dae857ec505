/**
 * Subword vocabulary learning by byte-pair encoding (Sennrich et al., 2016): start from single characters and
 * repeatedly merge the most frequent adjacent pair of symbols, within words only, until the vocabulary is full or
 * no pair is frequent enough. A symbol that continues a word carries the prefix "##", as in BERT's WordPiece, so
 * that "playing" may become ["play", "##ing"] and a token shows where it sits. Hugging Face's WordPieceTrainer
 * learns its vocabulary the same way; the two tokenizers differ in how they cut new text (see subwordTokenizer.ts).
 */

export const CONTINUATION = '##';

export interface SubwordModel {
  /** Single characters (word-initial and "##"-continuation forms), most frequent first. */
  alphabet: string[];
  /** Learnt merges in order: [left, right] became left + right (without the right's "##"). */
  merges: [string, string][];
}

/** The symbols of a word before any merge: its first character, then "##" + each following character. */
export function initialSymbols(word: string): string[] {
  return [...word].map((char, i) => (i === 0 ? char : CONTINUATION + char));
}

export function mergedSymbol(left: string, right: string): string {
  return left + right.slice(CONTINUATION.length);
}

const pairKey = (left: string, right: string) => `${left}\u0000${right}`;

/** A max-heap of [count, key]; stale entries are skipped when popped (lazy deletion). */
class PairHeap {
  private readonly items: [number, string][] = [];
  push(item: [number, string]): void {
    const items = this.items;
    items.push(item);
    for (let i = items.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }
  pop(): [number, string] | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      for (let i = 0; ;) {
        const [l, r] = [2 * i + 1, 2 * i + 2];
        let best = i;
        if (l < items.length && before(items[l]!, items[best]!)) best = l;
        if (r < items.length && before(items[r]!, items[best]!)) best = r;
        if (best === i) break;
        [items[i], items[best]] = [items[best]!, items[i]!];
        i = best;
      }
    }
    return top;
  }
}
// Higher count first; ties broken by the key so that learning is deterministic.
const before = (a: [number, string], b: [number, string]) => a[0] > b[0] || (a[0] === b[0] && a[1] < b[1]);

/**
 * Learns merges from word counts until `budget` symbols (alphabet + merges) exist or the most frequent pair occurs
 * fewer than `minFrequency` times. Pair counts are updated incrementally, touching only the words that hold the
 * merged pair, so that a vocabulary of tens of thousands is learnt in seconds.
 */
export function learnSubwordMerges(
  wordCounts: Map<string, number>,
  budget: number,
  minFrequency: number,
): SubwordModel {
  const words = [...wordCounts.entries()].map(([word, count]) => ({ symbols: initialSymbols(word), count }));
  const symbolCounts = new Map<string, number>();
  for (const { symbols, count } of words)
    for (const s of symbols) symbolCounts.set(s, (symbolCounts.get(s) ?? 0) + count);
  const alphabet = [...symbolCounts.entries()]
    .filter(([, count]) => count >= minFrequency)
    .sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : 1))
    .slice(0, budget)
    .map(([symbol]) => symbol);

  const pairCounts = new Map<string, number>();
  const pairWords = new Map<string, Set<number>>();
  const addPairs = (index: number, sign: 1 | -1) => {
    const { symbols, count } = words[index]!;
    for (let i = 0; i + 1 < symbols.length; i++) {
      const key = pairKey(symbols[i]!, symbols[i + 1]!);
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + sign * count);
      if (sign > 0) {
        let holders = pairWords.get(key);
        if (!holders) pairWords.set(key, (holders = new Set()));
        holders.add(index);
      }
    }
  };
  words.forEach((_, index) => addPairs(index, 1));
  const heap = new PairHeap();
  for (const [key, count] of pairCounts) heap.push([count, key]);

  const known = new Set(alphabet);
  const merges: [string, string][] = [];
  while (known.size < budget) {
    const top = heap.pop();
    if (!top) break;
    const [count, key] = top;
    if (pairCounts.get(key) !== count) continue; // stale: the pair's count changed after this entry was pushed
    if (count < minFrequency) break;
    const [left, right] = key.split('\u0000') as [string, string];
    // A pair of symbols that did not make the alphabet can never be produced when cutting text: skip it.
    if (!known.has(left) || !known.has(right)) continue;
    const merged = mergedSymbol(left, right);
    merges.push([left, right]);
    known.add(merged);
    const touched = new Set<string>();
    for (const index of pairWords.get(key) ?? []) {
      const word = words[index]!;
      // Every pair of the word changes count: the old ones fall, the new ones rise.
      for (let i = 0; i + 1 < word.symbols.length; i++) touched.add(pairKey(word.symbols[i]!, word.symbols[i + 1]!));
      addPairs(index, -1);
      const next: string[] = [];
      for (let i = 0; i < word.symbols.length; i++) {
        if (i + 1 < word.symbols.length && word.symbols[i] === left && word.symbols[i + 1] === right) {
          next.push(merged);
          i++;
        } else next.push(word.symbols[i]!);
      }
      word.symbols = next;
      addPairs(index, 1);
      for (let i = 0; i + 1 < next.length; i++) touched.add(pairKey(next[i]!, next[i + 1]!));
    }
    pairWords.delete(key);
    pairCounts.delete(key);
    touched.delete(key);
    for (const changed of touched) {
      const current = pairCounts.get(changed) ?? 0;
      if (current > 0) heap.push([current, changed]);
    }
  }
  return { alphabet, merges };
}
