/* eslint-disable no-control-regex -- these tests look for control characters in what the app writes */
import { describe, expect, it } from 'vitest';
import { comparisonHtml } from '../../src/main/comparisons/comparisonReport';
import { metricsCsv } from '../../src/main/runs/metricsCsv';
import { documentSafe, terminalLines, terminalSafe } from '../../src/shared/controlCharacters';

describe('control characters in text from outside', () => {
  it('a terminal sees every control character as a visible escape, line breaks and tabs kept where asked', () => {
    expect(terminalSafe('a\u001b[2Jb\u0007c\u009bd\u202ee\n')).toBe('a\\x1b[2Jb\\x07c\\x9bd\\u202ee\\x0a');
    expect(terminalLines('one\u001b]0;x\u0007\ntwo\tthree')).toBe('one\\x1b]0;x\\x07\ntwo\tthree');
    expect(terminalSafe('plain text, ünïcode, 中文')).toBe('plain text, ünïcode, 中文');
  });

  it('a document loses what XML cannot hold and keeps the rest', () => {
    expect(documentSafe('a\u0000b\u0008c\td\ne\rf\u000bg\u007fh\u0085i\ufffej')).toBe('abc\td\ne\rfghij');
    // An unpaired surrogate goes; a pair (an emoji) stays.
    expect(documentSafe('x\ud800y\udc00z😀')).toBe('xyz😀');
  });

  it("the comparison report's HTML holds no control characters from a dataset's name", () => {
    const html = comparisonHtml(
      {
        id: 'cmp-0123456789ab',
        createdAt: '2026-01-01T00:00:00Z',
        datasetId: 'evil\u0000\u001b[2J',
        attentionRunId: 'a',
        baselineRunId: 'b',
        baselineHidden: 8,
      },
      [],
    );
    expect(html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(html).toContain('evil[2J');
  });

  it('the metrics CSV holds none either', () => {
    const csv = metricsCsv([
      { type: 'epoch', runId: 'r', epoch: 1, loss: 1, accuracy: 0.5, valLoss: 1, valAccuracy: 0.5, seconds: 2 },
    ]);
    expect(csv.split('\r\n')[1]).toBe('epoch,1,,0,1,0.5,1,0.5,,2');
    expect(csv).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  });
});
