import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConll } from '../../../../src/engine/data/import/conll';
import { textClassificationFromDelimited } from '../../../../src/engine/data/import/delimitedText';
import { importDataset } from '../../../../src/engine/data/import/importDataset';
import { parseJsonLines } from '../../../../src/engine/data/import/jsonLines';
import { decodeUtf8 } from '../../../../src/engine/data/import/readText';
import { seq2seqFromJsonLines, seq2seqFromTsv } from '../../../../src/engine/data/import/seq2seqPairs';
import { importOptionsSchema } from '../../../../src/shared/datasetImport';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'text-import-'));
});

// Any text a cell may hold: commas, quotes, tabs, newlines, CJK, emoji; not blank (a blank label is refused).
const cellText = fc
  .string({
    unit: fc.constantFrom('a', 'b', 'Z', ' ', ',', '"', '\t', '\n', '東', '京', '😀', 'é', "'", ';'),
    minLength: 1,
    maxLength: 12,
  })
  .filter((s) => s.trim() !== '');

describe('CSV / TSV', () => {
  it('reads back any texts and labels written with RFC 4180 quoting (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cellText, fc.constantFrom('pos', 'neg', 'neutral')), { minLength: 2, maxLength: 30 }),
        fc.constantFrom(',', '\t'),
        (rows, delimiter) => {
          fc.pre(new Set(rows.map(([, label]) => label)).size >= 2);
          const csv = Papa.unparse(
            { fields: ['text', 'label'], data: rows },
            { delimiter, quotes: true, newline: '\n' },
          );
          const data = textClassificationFromDelimited('p.csv', csv, { delimiter });
          expect(data.texts).toEqual(rows.map(([text]) => text));
          expect(Array.from(data.labels, (l) => data.classNames[l])).toEqual(rows.map(([, label]) => label));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('detects a header, guesses the text and label columns, and takes named or numbered ones', () => {
    const csv = 'id,review,stars\n1,"Great, would buy again",5\n2,"Broke after a day\nand a half",1\n3,fine,5\n';
    const guessed = textClassificationFromDelimited('r.csv', csv);
    expect([guessed.textColumn, guessed.labelColumn]).toEqual(['review', 'stars']);
    expect(guessed.texts[1]).toBe('Broke after a day\nand a half');
    expect(guessed.classNames).toEqual(['1', '5']);
    const numbered = textClassificationFromDelimited('r.csv', csv, { textColumn: '2', labelColumn: 'STARS' });
    expect(numbered.texts).toEqual(guessed.texts);
    const noHeader = textClassificationFromDelimited('r.csv', 'good movie,pos\nbad movie,neg\nok,pos\n');
    expect(noHeader.columns).toEqual(['column 1', 'column 2']);
    expect(noHeader.texts).toHaveLength(3);
  });

  it('names the problem and where: ragged rows, missing columns, one class, empty labels, open quotes', () => {
    expect(() => textClassificationFromDelimited('a.csv', 'text,label\nhi,x\nthere,y,extra\n')).toThrow(
      /a.csv, row 3: 3 fields where the first row has 2/,
    );
    expect(() =>
      textClassificationFromDelimited('a.csv', 'text,label\nhi,x\nyo,y\n', { labelColumn: 'class' }),
    ).toThrow(/a.csv: no label column "class"; the columns are "text", "label"/);
    expect(() => textClassificationFromDelimited('a.csv', 'text,label\nhi,x\nyo,x\n')).toThrow(
      /a.csv: the label column "label" holds a single class \("x"\)/,
    );
    expect(() => textClassificationFromDelimited('a.csv', 'text,label\nhi,x\nyo,\n')).toThrow(
      /a.csv, row 3: the label \("label"\) is empty/,
    );
    expect(() => textClassificationFromDelimited('a.csv', 'text,label\n"hi,x\nyo,y\n')).toThrow(
      /a.csv, row \d+: .*quote/,
    );
    expect(() => textClassificationFromDelimited('a.csv', 'just one column\nand another row\n')).toThrow(
      /a.csv: only one column found/,
    );
  });
});

describe('UTF-8', () => {
  it('keeps any script, drops a BOM, and names the line of invalid bytes', () => {
    expect(decodeUtf8('t.txt', new TextEncoder().encode('\uFEFF日本語 text'))).toBe('日本語 text');
    const bad = Uint8Array.from([...new TextEncoder().encode('ok\nfine\n'), 0xff, 0xfe, 0x0a]);
    expect(() => decodeUtf8('t.txt', bad)).toThrow(/t.txt, line 3: invalid UTF-8/);
    expect(() => decodeUtf8('t.txt', new Uint8Array(0))).toThrow(/t.txt: the file is empty/);
  });
});

describe('JSON Lines', () => {
  it('reads back any records (property) and names a bad line', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ text: fc.string(), label: fc.string({ minLength: 1 }) }), { minLength: 1, maxLength: 20 }),
        (records) => {
          const text = records.map((r) => JSON.stringify(r)).join('\n');
          expect(parseJsonLines('d.jsonl', text, ['text', 'label'])).toEqual(records);
        },
      ),
    );
    expect(() =>
      parseJsonLines('d.jsonl', '{"text":"a","label":"x"}\n{"text": "b", label: y}\n', ['text', 'label']),
    ).toThrow(/d.jsonl, line 2: not valid JSON/);
    expect(() => parseJsonLines('d.jsonl', '{"text":"a"}\n', ['text', 'label'])).toThrow(
      /d.jsonl, line 1: no "label" field/,
    );
    expect(() => parseJsonLines('d.jsonl', '[1,2]\n', ['text'])).toThrow(/d.jsonl, line 1: expected a JSON object/);
    expect(() => parseJsonLines('d.jsonl', '\n\n', ['text'])).toThrow(/d.jsonl: the file holds no records/);
  });
});

describe('CoNLL', () => {
  const token = fc.stringMatching(/^[A-Za-z0-9.,'東京-]{1,8}$/).filter((t) => t !== '-DOCSTART-');
  const tag = fc.constantFrom('O', 'B-PER', 'I-PER', 'B-LOC');

  it('reads back any tagged sentences (property), ignoring -DOCSTART- and extra columns', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.tuple(token, tag), { minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 10 }),
        (sentences) => {
          fc.pre(new Set(sentences.flat().map(([, t]) => t)).size >= 2);
          const text = `-DOCSTART- -X- O\n\n${sentences.map((s) => s.map(([w, t]) => `${w} NN ${t}`).join('\n')).join('\n\n')}\n`;
          const data = parseConll('c.conll', text);
          expect(data.sentences).toEqual(sentences.map((s) => s.map(([w]) => w)));
          expect(data.tags).toEqual(sentences.map((s) => s.map(([, t]) => t)));
        },
      ),
    );
  });

  it('names a line without a tag, and refuses a file with a single tag', () => {
    expect(() => parseConll('c.conll', 'John B-PER\nlives\n')).toThrow(/c.conll, line 2: expected a token and a tag/);
    expect(() => parseConll('c.conll', 'a O\nb O\n')).toThrow(/c.conll: every token has the same tag \("O"\)/);
  });
});

describe('seq2seq pairs', () => {
  it('reads TSV and JSON Lines pairs, and suggests characters for Chinese', () => {
    const tsv = seq2seqFromTsv('p.tsv', 'source\ttarget\n2026年11月23日\t2026-11-23\n1999年1月2日\t1999-01-02\n');
    expect(tsv.sources).toEqual(['2026年11月23日', '1999年1月2日']);
    expect(tsv.tokenizer).toBe('char');
    const jsonl = seq2seqFromJsonLines(
      'p.jsonl',
      '{"source":"good morning","target":"guten Morgen"}\n{"source":"thank you","target":"danke"}\n',
    );
    expect(jsonl.targets).toEqual(['guten Morgen', 'danke']);
    expect(jsonl.tokenizer).toBe('word');
    expect(() => seq2seqFromTsv('p.tsv', 'a\tb\tc\nd\te\tf\n')).toThrow(/p.tsv: 3 columns; a seq2seq TSV has two/);
    expect(() => seq2seqFromTsv('p.tsv', 'a\tb\nc\t \n')).toThrow(/p.tsv, row 2: an empty source or target/);
  });

  it('tells seq2seq JSON Lines and TSV from text classification by their first record', async () => {
    await writeFile(join(root, 'pairs.jsonl'), '{"source":"a b","target":"b a"}\n');
    await writeFile(join(root, 'labels.jsonl'), '{"text":"a b","label":"x"}\n{"text":"c","label":"y"}\n');
    await writeFile(join(root, 'pairs.tsv'), 'source\ttarget\nab\tba\n');
    await writeFile(join(root, 'tagged.conll'), 'Paris B-LOC\nis O\n');
    await writeFile(join(root, 'empty.csv'), '');
    const auto = importOptionsSchema.parse({});
    expect((await importDataset(join(root, 'pairs.jsonl'), auto)).data.kind).toBe('seq2seq');
    expect((await importDataset(join(root, 'labels.jsonl'), auto)).data.kind).toBe('text-classification');
    expect((await importDataset(join(root, 'pairs.tsv'), auto)).data.kind).toBe('seq2seq');
    expect((await importDataset(join(root, 'tagged.conll'), auto)).data.kind).toBe('sequence-labelling');
    await expect(importDataset(join(root, 'empty.csv'), auto)).rejects.toThrow(/empty.csv: the file is empty/);
  });
});
