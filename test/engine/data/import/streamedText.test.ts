import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importStreamedText } from '../../../../src/engine/data/import/tokenizing/streamedText';
import { wholeRecordsEnd } from '../../../../src/engine/data/import/tokenizing/recordChunks';
import { textClassificationFromDelimited } from '../../../../src/engine/data/import/delimitedText';
import { BoundedCounts } from '../../../../src/engine/data/import/tokenizing/boundedCounts';
import { ImportCancelledError } from '../../../../src/engine/data/import/datasetFileError';
import { SHARD_INDEX } from '../../../../src/engine/data/shards/shardFormat';
import { fixtureWords, reviews, writeCsv, writeJsonLines } from '../../../support/textFixtures';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'streamed-text-'));
});

let folders = 0;
const outFolder = async () => {
  const folder = join(root, `out-${folders++}`);
  await import('node:fs/promises').then((fs) => fs.mkdir(folder));
  return folder;
};

/** The vocabulary and records the import should store, computed from the fixture's own word cutting. */
function expected(rows: { text: string; label: string }[], maxTokens: number) {
  const counts = new Map<string, number>();
  for (const row of rows) for (const word of fixtureWords(row.text)) counts.set(word, (counts.get(word) ?? 0) + 1);
  const tokens = [
    '<pad>',
    '<unk>',
    ...[...counts.entries()].sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : 1)).map(([word]) => word),
  ];
  const idOf = new Map(tokens.map((token, id) => [token, id]));
  const records = rows.map((row) => {
    const ids = new Uint32Array(maxTokens);
    fixtureWords(row.text)
      .slice(0, maxTokens)
      .forEach((word, t) => (ids[t] = idOf.get(word)!));
    return ids;
  });
  return { tokens, counts: tokens.map((t) => counts.get(t) ?? 0), records };
}

async function storedRecords(folder: string, maxTokens: number): Promise<Uint32Array[]> {
  const index = JSON.parse(await readFile(join(folder, SHARD_INDEX), 'utf8')) as { shards: { file: string }[] };
  const records: Uint32Array[] = [];
  for (const shard of index.shards) {
    const bytes = await readFile(join(folder, shard.file));
    const ids = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    for (let at = 0; at < ids.length; at += maxTokens) records.push(ids.slice(at, at + maxTokens));
  }
  return records;
}

describe('a big text file streamed into token-id shards', () => {
  it('stores each text as its first ids in a vocabulary learnt over the whole file, most frequent first', async () => {
    const rows = reviews(3000);
    const file = join(root, 'reviews.csv');
    await writeCsv(file, rows);
    const out = await outFolder();
    const imported = await importStreamedText(file, 'csv', { header: 'auto', maxTokens: 32 }, out, {}, { workers: 2 });
    const want = expected(rows, 32);
    expect(imported.tokenizer).toBe('word');
    expect(imported.vocabulary.tokens).toEqual(want.tokens);
    expect(imported.vocabulary.counts).toEqual(want.counts);
    expect(imported.classNames).toEqual(['neg', 'pos']);
    expect(Array.from(imported.labels)).toEqual(rows.map((r) => (r.label === 'neg' ? 0 : 1)));
    expect(Array.from(imported.lengths)).toEqual(rows.map((r) => fixtureWords(r.text).length));
    expect(await storedRecords(out, 32)).toEqual(want.records);
    expect(imported.notes.join(' ')).toMatch(/first pass over all 3000 texts .*counts exact/);
    // Every 50th review has 300 words: cut to 32 when stored, and said.
    expect(imported.notes.join(' ')).toContain('60 texts longer than 32 tokens were cut to 32');
  }, 60_000);

  it('stores a JSON Lines file of the same texts as the same records', async () => {
    const rows = reviews(500, 7);
    const [csv, jsonl] = [join(root, 'same.csv'), join(root, 'same.jsonl')];
    await writeCsv(csv, rows);
    await writeJsonLines(jsonl, rows);
    const [a, b] = [await outFolder(), await outFolder()];
    const fromCsv = await importStreamedText(csv, 'csv', { header: 'auto', maxTokens: 16 }, a, {}, { workers: 1 });
    const fromJson = await importStreamedText(jsonl, 'jsonl', { maxTokens: 16 }, b, {}, { workers: 2 });
    expect(fromJson.vocabulary).toEqual(fromCsv.vocabulary);
    expect(await storedRecords(b, 16)).toEqual(await storedRecords(a, 16));
    expect(await readFile(join(b, 'labels.bin'))).toEqual(await readFile(join(a, 'labels.bin')));
  }, 60_000);

  it('holds the same few chunks in flight for 10,000 texts as for 100,000', async () => {
    const peaks: number[] = [];
    for (const count of [10_000, 100_000]) {
      const file = join(root, `many-${count}.jsonl`);
      await writeJsonLines(file, reviews(count, 3));
      // Chunks of 16k characters: dozens of them even in the smaller file.
      const options = { maxTokens: 16, chunkChars: 16_384 };
      const imported = await importStreamedText(file, 'jsonl', options, await outFolder(), {}, { workers: 2 });
      expect(imported.labels.length).toBe(count);
      peaks.push(imported.peakChunksInFlight);
    }
    expect(peaks[1]).toBe(peaks[0]);
    expect(peaks[0]).toBe(4);
  }, 120_000);

  it('cuts the stream at record ends however the quotes fall: the rows the whole file parses into', async () => {
    // Quoted fields spanning lines, escaped quotes, a literal quote inside an unquoted field, CRLF line ends.
    const tricky = [
      ['"a review\nover two lines, ""quoted"" inside"', 'pos'],
      ['a 5" screen unquoted', 'neg'],
      ['"three\r\nline\nfield"', 'pos'],
      ['plain text', 'neg'],
      ['"ends with a quote """', 'pos'],
    ];
    const rows = Array.from({ length: 400 }, (_, i) => tricky[i % tricky.length]!);
    const file = join(root, 'tricky.csv');
    await writeFile(file, ['text,label', ...rows.map(([text, label]) => `${text},${label}`)].join('\r\n') + '\r\n');
    const whole = textClassificationFromDelimited(file, await readFile(file, 'utf8'), { delimiter: ',' });
    expect(whole.texts).toHaveLength(400);
    // Chunks of 50 characters: a cut falls inside nearly every quoted field.
    const options = { header: 'auto' as const, maxTokens: 8, chunkChars: 50 };
    const imported = await importStreamedText(file, 'csv', options, await outFolder(), {}, { workers: 2 });
    expect(Array.from(imported.lengths)).toEqual(whole.texts.map((text) => fixtureWords(text).length));
    expect(Array.from(imported.labels)).toEqual(Array.from(whole.labels));
    expect(wholeRecordsEnd('x,"a\nb', ',')).toBe(-1);
    expect(wholeRecordsEnd('x,5" y\nz', ',')).toBe(7);
    expect(wholeRecordsEnd('{"a": 1}\n{"b"', null)).toBe(9);
  }, 60_000);

  it.each([
    [
      'bad.jsonl',
      'jsonl',
      '{"text": "fine", "label": "a"}\n{"text": "also", "label": "b"}\n{"text": oops}\n',
      /bad\.jsonl, line 3: not valid JSON/,
    ],
    ['nolabel.jsonl', 'jsonl', '{"text": "fine", "label": "a"}\n{"text": "no label"}\n', /line 2: no "label" field/],
    [
      'ragged.csv',
      'csv',
      'text,label\nhello,a\nworld,b,extra\n',
      /ragged\.csv, line 3: 3 fields where the first row has 2/,
    ],
    ['empty-label.csv', 'csv', 'text,label\nhello,a\nworld,\n', /line 3: the label \("label"\) is empty/],
  ] as const)('refuses %s, naming the line', async (name, format, content, message) => {
    const file = join(root, name);
    await writeFile(file, content);
    await expect(
      importStreamedText(file, format, { header: 'auto', maxTokens: 8 }, await outFolder(), {}, { workers: 1 }),
    ).rejects.toThrow(message);
  });

  it('refuses invalid UTF-8 in the middle of the file, naming its line', async () => {
    const file = join(root, 'latin1.jsonl');
    const good = reviews(5000, 2).map((r) => JSON.stringify(r) + '\n');
    const bad = Buffer.from('{"text": "caf\xe9", "label": "pos"}\n', 'latin1');
    await writeFile(file, Buffer.concat([Buffer.from(good.join('')), bad, Buffer.from(good.slice(0, 10).join(''))]));
    await expect(
      importStreamedText(file, 'jsonl', { maxTokens: 8 }, await outFolder(), {}, { workers: 1 }),
    ).rejects.toThrow(/latin1\.jsonl, line 5001: invalid UTF-8/);
  }, 60_000);

  it('stops at an unclosed quote after a million characters instead of buffering the rest of the file', async () => {
    const file = join(root, 'unclosed.csv');
    await writeFile(file, `text,label\nfine,a\nalso fine,b\n"never closed,a\n${'x'.repeat(3_000_000)}\n`);
    await expect(
      importStreamedText(file, 'csv', { header: 'auto', maxTokens: 8 }, await outFolder(), {}, { workers: 1 }),
    ).rejects.toThrow(/unclosed\.csv, line 4: a record of more than 1000000 characters/);
  });

  it('cancels mid-import at once, leaving the shards it had begun abandoned for the caller to remove', async () => {
    const file = join(root, 'cancel.jsonl');
    await writeJsonLines(file, reviews(60_000, 4));
    const controller = new AbortController();
    let stoppedAt = 0;
    const started = importStreamedText(
      file,
      'jsonl',
      { maxTokens: 16 },
      await outFolder(),
      {
        signal: controller.signal,
        onProgress: (progress) => {
          if (progress.phase === 'tokenizing texts' && progress.done > 0 && !controller.signal.aborted) {
            stoppedAt = progress.done;
            controller.abort();
          }
        },
      },
      { workers: 2 },
    );
    await expect(started).rejects.toBeInstanceOf(ImportCancelledError);
    expect(stoppedAt).toBeGreaterThan(0);
    expect(stoppedAt).toBeLessThan(60_000);
  }, 60_000);
});

describe('bounded token counts', () => {
  it('are exact while the distinct tokens fit, and keep the most frequent when they do not', () => {
    // Word counts fall as Zipf's law says (token i comes 100,000 / (i + 1) times), in a shuffled stream of ones.
    const exact = Array.from({ length: 5000 }, (_, i) => Math.floor(100_000 / (i + 1)));
    const stream: number[] = exact.flatMap((count, i) => new Array<number>(count).fill(i));
    let state = 7;
    for (let i = stream.length - 1; i > 0; i--) {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      const j = state % (i + 1);
      [stream[i], stream[j]] = [stream[j]!, stream[i]!];
    }
    // Two threads' counts, each over half the stream, merged as the import merges them.
    const [roomy, tight] = [new BoundedCounts(10_000), new BoundedCounts(2000)];
    for (const half of [stream.slice(0, stream.length / 2), stream.slice(stream.length / 2)]) {
      const [thread, tightThread] = [new BoundedCounts(5000), new BoundedCounts(1000)];
      for (const i of half) {
        thread.add(`t${i}`);
        tightThread.add(`t${i}`);
      }
      roomy.merge(thread.entries());
      tight.merge(tightThread.entries());
    }
    expect(roomy.floor).toBe(0);
    expect(roomy.top(5000).counts).toEqual(exact);
    expect(roomy.top(3).tokens).toEqual(['t0', 't1', 't2']);
    expect(tight.floor).toBeGreaterThan(0);
    expect(tight.distinct).toBeLessThanOrEqual(2000);
    // The 50 most frequent are kept, each count low by at most the floor.
    const top = tight.top(50);
    expect([...top.tokens].sort()).toEqual(Array.from({ length: 50 }, (_, i) => `t${i}`).sort());
    top.tokens.forEach((token, i) => {
      const want = exact[Number(token.slice(1))]!;
      expect(top.counts[i]).toBeLessThanOrEqual(want);
      expect(top.counts[i]).toBeGreaterThanOrEqual(want - tight.floor);
    });
    expect(tight.total).toBe(roomy.total);
  });
});

it('lists no folder of its own', async () => {
  // The import writes only into the folder it is given.
  expect((await readdir(root)).filter((n) => n.startsWith('workbench'))).toEqual([]);
});
