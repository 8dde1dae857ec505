import stringWidth from 'string-width';
import { trainedByOf, type DamagedRecord, type RunRecord } from '../shared/runs';
import { terminalSafe } from '../shared/controlCharacters';
import type { Translate } from '../shared/i18n/translator';
import { cliText } from './cliLanguage';

const percent = (value: number | undefined) => (value === undefined ? '' : `${(value * 100).toFixed(1)}%`);

function duration(run: RunRecord, t: Translate): string {
  if (!run.startedAt) return '';
  const seconds = ((run.finishedAt ? Date.parse(run.finishedAt) : Date.now()) - Date.parse(run.startedAt)) / 1000;
  return seconds < 90
    ? t('cli.seconds', { value: seconds.toFixed(0) })
    : t('cli.minutes', { value: (seconds / 60).toFixed(1) });
}

/**
 * `npm run train -- --list`: every stored run, newest first, one aligned row each, then each record that could not
 * be read with its file and the reason. Names come from files: their control characters are shown, not obeyed.
 */
export function formatRunList(
  runs: readonly RunRecord[],
  damaged: readonly DamagedRecord[] = [],
  t: Translate = cliText,
): string {
  const COLUMNS = ['run', 'status', 'dataset', 'architecture', 'backend', 'bestVal', 'test', 'duration', 'from'];
  const rows = [
    COLUMNS.map((column) => t(`cli.listColumns.${column}`)),
    ...runs.map((run) => [
      run.id,
      t(`runStates.${run.status}`),
      run.datasetId,
      run.name ?? run.spec.name,
      trainedByOf(run),
      percent(run.best?.valAccuracy),
      percent(run.test?.accuracy),
      duration(run, t),
      run.origin ?? 'app',
    ]),
  ];
  for (const row of rows) row.forEach((cell, column) => (row[column] = terminalSafe(cell)));
  // Columns by the terminal's cells, not characters: a Chinese character takes two. A loop, not Math.max(...): a
  // long history must not overflow the stack.
  const widths = rows[0]!.map((_, column) =>
    rows.reduce((widest, row) => Math.max(widest, stringWidth(row[column]!)), 0),
  );
  const table = rows.map((row) =>
    row
      .map((cell, column) => cell + ' '.repeat(widths[column]! - stringWidth(cell)))
      .join('  ')
      .trimEnd(),
  );
  const notes = damaged.map((record) => terminalSafe(t('cli.damaged', { file: record.file, reason: record.reason })));
  return [...table, ...notes].join('\n');
}
