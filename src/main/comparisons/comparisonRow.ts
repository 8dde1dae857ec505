import type { ComparisonRow } from '../../shared/comparison';
import type { EpochEvent, StartedEvent, TrainEvent } from '../../shared/events';
import type { RunRecord } from '../../shared/runs';
import { analyzeSpec } from '../../shared/architecture/analyzeSpec';

/** One model's line of the report, read off its run record and its log. */
export function comparisonRow(role: ComparisonRow['role'], run: RunRecord, events: TrainEvent[]): ComparisonRow {
  const started = events.find((e): e is StartedEvent => e.type === 'started');
  const epochs = events.filter((e): e is EpochEvent => e.type === 'epoch');
  const analysis = analyzeSpec(run.spec, { classes: Math.max(2, started?.classNames.length ?? 2) });
  return {
    role,
    runId: run.id,
    model: run.spec.name,
    status: run.status,
    weights: run.parameterCount ?? started?.parameterCount ?? null,
    specWeights: analysis.totalParams,
    flopsPerExample: analysis.totalFlops,
    testAccuracy: run.test?.accuracy ?? null,
    bestValAccuracy: epochs.length === 0 ? null : Math.max(...epochs.map((e) => e.valAccuracy)),
    epochs: epochs.length,
    secondsPerEpoch: epochs.length === 0 ? null : epochs.reduce((sum, e) => sum + e.seconds, 0) / epochs.length,
  };
}
