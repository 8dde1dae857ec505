import type { DecodedExample, Prediction } from '../../shared/prediction';
import type { RunPlan } from '../../shared/runPlan';
import type { RunArtifacts } from '../train/runArtifacts';
import type { DatasetLibrary } from '../data/library/datasetLibrary';
import { predictExample } from './predictExample';
import { loadTrainedRun, type TrainedRun } from './trainedRun';

/**
 * Keeps the last run asked about in memory (model and prepared data), since a user asks one run many questions in
 * a row; asking another run frees it. Calls must not overlap (the worker chains them).
 */
export class TrainedRunCache {
  private loaded: TrainedRun | null = null;
  private stale = false;

  constructor(
    private readonly artifacts: RunArtifacts,
    private readonly datasets: DatasetLibrary,
  ) {}

  /** The run has new weights on disk (an epoch ended, or training did): the next question reloads it. */
  forget(runId: string): void {
    if (this.loaded?.plan.runId === runId) this.stale = true;
  }

  async predict(plan: RunPlan, example: DecodedExample, beamWidth: number, lengthPenalty: number): Promise<Prediction> {
    if (this.loaded && (this.stale || this.loaded.plan.runId !== plan.runId)) {
      this.loaded.dispose();
      this.loaded = null;
    }
    this.stale = false;
    this.loaded ??= await loadTrainedRun(plan, this.artifacts, this.datasets);
    return predictExample(this.loaded, example, beamWidth, lengthPenalty);
  }
}
