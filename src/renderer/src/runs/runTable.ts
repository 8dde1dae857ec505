import { trainedByOf, type RunRecord } from '../../../shared/runs';

export type RunSort = 'started' | 'best' | 'test' | 'duration' | 'name';

/** Seconds a run trained (so far, if it still does); null before it started. */
export function runSeconds(run: RunRecord, now = Date.now()): number | null {
  if (!run.startedAt) return null;
  return ((run.finishedAt ? Date.parse(run.finishedAt) : now) - Date.parse(run.startedAt)) / 1000;
}

export const runName = (run: RunRecord) => run.name ?? run.spec.name;

/** The rows the Runs view shows: those matching the text (name, id, dataset, architecture, tags) and status. */
export function filterRuns(runs: readonly RunRecord[], text: string, status: string): RunRecord[] {
  const needle = text.trim().toLowerCase();
  return runs.filter((run) => {
    if (status && run.status !== status) return false;
    if (!needle) return true;
    const haystack = [run.id, runName(run), run.datasetId, run.spec.name, trainedByOf(run), ...(run.tags ?? [])];
    return haystack.some((field) => field.toLowerCase().includes(needle));
  });
}

/** Sorted newest first, or best first by a figure (runs without it last). */
export function sortRuns(runs: readonly RunRecord[], by: RunSort): RunRecord[] {
  const key = (run: RunRecord): number | string | null => {
    switch (by) {
      case 'started':
        return run.createdAt;
      case 'best':
        return run.best?.valAccuracy ?? null;
      case 'test':
        return run.test?.accuracy ?? null;
      case 'duration':
        return runSeconds(run);
      case 'name':
        return runName(run).toLowerCase();
    }
  };
  return [...runs].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
    if (by === 'name') return String(x).localeCompare(String(y));
    return x < y ? 1 : x > y ? -1 : 0;
  });
}
