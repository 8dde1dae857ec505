/** An entity of a tagged sentence: its type and the tokens [start, end) it covers. */
export interface EntitySpan {
  type: string;
  start: number;
  end: number;
}

const split = (tag: string): [string, string] => {
  const match = /^([BIESL])[-_](.+)$/.exec(tag);
  return match
    ? [match[1]!, match[2]!]
    : [tag === 'O' || tag === '<pad>' ? 'O' : 'B', tag === 'O' || tag === '<pad>' ? '' : tag];
};

/**
 * The entities of a BIO/IOB2 (or IOBES) tag sequence, as seqeval reads them in its default (lenient) mode: an entity
 * starts at B-, or at an I- whose type differs from the token before; it goes on while I- of its type follows.
 */
export function entitySpans(tags: readonly string[]): EntitySpan[] {
  const spans: EntitySpan[] = [];
  let open: EntitySpan | null = null;
  tags.forEach((tag, i) => {
    const [prefix, type] = split(tag);
    const continues = open && (prefix === 'I' || prefix === 'E' || prefix === 'L') && type === open.type;
    if (continues) {
      open!.end = i + 1;
    } else {
      if (open) spans.push(open);
      open = prefix === 'O' ? null : { type, start: i, end: i + 1 };
    }
    if (open && (prefix === 'E' || prefix === 'L' || prefix === 'S')) {
      spans.push(open);
      open = null;
    }
  });
  if (open) spans.push(open);
  return spans;
}

export interface EntityScores {
  precision: number;
  recall: number;
  f1: number;
  /** Per entity type, with how many true entities of it there are. */
  types: Record<string, { precision: number; recall: number; f1: number; support: number }>;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
const prf = (found: number, predicted: number, truth: number) => {
  const [precision, recall] = [ratio(found, predicted), ratio(found, truth)];
  return { precision, recall, f1: ratio(2 * precision * recall, precision + recall) };
};

/** Entity-level precision, recall and F1 as seqeval counts them: an entity is right only if type and span match. */
export function entityScores(
  truth: readonly (readonly string[])[],
  predicted: readonly (readonly string[])[],
): EntityScores {
  const key = (sentence: number, span: EntitySpan) => `${sentence}:${span.type}:${span.start}:${span.end}`;
  const counts = new Map<string, { truth: number; predicted: number; found: number }>();
  const count = (type: string) => counts.get(type) ?? counts.set(type, { truth: 0, predicted: 0, found: 0 }).get(type)!;
  truth.forEach((tags, s) => {
    const trueSpans = new Set(entitySpans(tags).map((span) => (count(span.type).truth++, key(s, span))));
    for (const span of entitySpans(predicted[s] ?? [])) {
      count(span.type).predicted++;
      if (trueSpans.has(key(s, span))) count(span.type).found++;
    }
  });
  const totals = [...counts.values()].reduce(
    (sum, c) => ({ truth: sum.truth + c.truth, predicted: sum.predicted + c.predicted, found: sum.found + c.found }),
    { truth: 0, predicted: 0, found: 0 },
  );
  const types = Object.fromEntries(
    [...counts.entries()]
      .sort()
      .map(([type, c]) => [type, { ...prf(c.found, c.predicted, c.truth), support: c.truth }]),
  );
  return { ...prf(totals.found, totals.predicted, totals.truth), types };
}
