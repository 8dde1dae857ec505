import { isLive, type RunStatus, type TrainEvent } from '../../../shared/events';
import type { ComparisonRecord } from '../../../shared/comparison';

/** Where one of the two runs of an attention-vs-fully-connected comparison stands. */
export interface ComparedRunProgress {
  runId: string;
  role: 'attention' | 'baseline';
  status: RunStatus;
  epoch: number;
  epochs: number;
}

/** Both runs as queued: the attention model trains first, its baseline after it. */
export function comparisonProgress(record: ComparisonRecord, epochs: number): ComparedRunProgress[] {
  return [
    { runId: record.attentionRunId, role: 'attention', status: 'queued', epoch: 0, epochs },
    { runId: record.baselineRunId, role: 'baseline', status: 'queued', epoch: 0, epochs },
  ];
}

/** Folds one training event into the rows; true when it was one of theirs. */
export function applyComparisonEvent(rows: ComparedRunProgress[], event: TrainEvent): boolean {
  const row = rows.find((r) => r.runId === event.runId);
  if (!row) return false;
  if (event.type === 'started') {
    row.status = 'running';
    row.epochs = event.hyperParams.epochs;
  } else if (event.type === 'epoch') row.epoch = event.epoch;
  else if (event.type === 'paused') row.status = event.paused ? 'paused' : 'running';
  else if (event.type === 'finished') row.status = event.status;
  return true;
}

/** Both runs have ended, however: the report is written then. */
export const comparisonEnded = (rows: readonly ComparedRunProgress[]): boolean =>
  rows.every((row) => !isLive(row.status));
