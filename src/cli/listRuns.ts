import { trainedByOf, type DamagedRecord, type RunRecord } from '../shared/runs';
import { terminalSafe } from '../shared/controlCharacters';

const percent = (value: number | undefined) => (value === undefined ? '' : `${(value * 100).toFixed(1)}%`);

function duration(run: RunRecord): string {
  if (!run.startedAt) return '';
  const seconds = ((run.finishedAt ? Date.parse(run.finishedAt) : Date.now()) - Date.parse(run.startedAt)) / 1000;
  return seconds < 90 ? `${seconds.toFixed(0)} s` : `${(seconds / 60).toFixed(1)} min`;
}

/**
 * `npm run train -- --list`: every stored run, newest first, one aligned row each, then each record that could not
 * be read with its file and the reason. Names come from files: their control characters are shown, not obeyed.
 */
export function formatRunList(runs: readonly RunRecord[], damaged: readonly DamagedRecord[] = []): string {
  const rows = [
    ['run', 'status', 'dataset', 'architecture', 'backend', 'best val acc', 'test acc', 'duration', 'from'],
    ...runs.map((run) => [
      run.id,
      run.status,
      run.datasetId,
      run.name ?? run.spec.name,
      trainedByOf(run),
      percent(run.best?.valAccuracy),
      percent(run.test?.accuracy),
      duration(run),
      run.origin ?? 'app',
    ]),
  ];
  for (const row of rows) row.forEach((cell, column) => (row[column] = terminalSafe(cell)));
  // A loop, not Math.max(...): a long history must not overflow the stack.
  const widths = rows[0]!.map((_, column) => rows.reduce((widest, row) => Math.max(widest, row[column]!.length), 0));
  const table = rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd(),
  );
  const notes = damaged.map((record) => terminalSafe(`damaged: ${record.file}: ${record.reason}`));
  return [...table, ...notes].join('\n');
}
