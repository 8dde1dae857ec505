import { join } from 'node:path';
import type { DatasetLibrary } from '../../engine/data/library/datasetLibrary';
import type { TrainStartRequest } from '../../shared/ipc';
import type { RunRecord } from '../../shared/runs';
import { planRun } from '../../shared/runPlan';
import { importRun } from '../runs/importRun';
import { newRunId } from '../runs/recordRunEvent';
import { storedRunPlan } from '../runs/resumePlan';
import type { RunStore } from '../runs/runStore';
import type { TrainingSupervisor } from '../training/trainingSupervisor';

export interface PytorchExported {
  /** The folder written: under the data folder's exports/, never a path a request names. */
  path: string;
  files: string[];
  source: string;
}

/**
 * Export… and Import run… in the app: a run (or a drawn architecture) to a PyTorch folder, and a run trained by its
 * train.py back into the store. The work that needs TensorFlow.js is done by the training worker.
 */
export class PytorchService {
  constructor(
    private readonly dataDir: string,
    private readonly runs: RunStore,
    private readonly supervisor: TrainingSupervisor,
    private readonly datasets: DatasetLibrary,
  ) {}

  /** A folder of its own for each export, named after what it holds and when. */
  private folderFor(name: string): string {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
    return join(this.dataDir, 'exports', `${name.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 60)}-${stamp}-pytorch`);
  }

  async exportRun(runId: string): Promise<PytorchExported> {
    const plan = storedRunPlan(await this.runs.record(runId));
    const path = this.folderFor(runId);
    const result = await this.supervisor.runTask({ kind: 'export', plan, weights: 'trained', outDir: path });
    if (result.kind !== 'export') throw new Error('the worker answered another task');
    return { path, files: result.files, source: result.source };
  }

  /** A drawn architecture (or preset) with its initial weights, bound to the dataset it would train on. */
  async exportArchitecture(request: TrainStartRequest): Promise<PytorchExported> {
    const plan = planRun(newRunId(), request, await this.datasets.summary(request.datasetId));
    const path = this.folderFor(plan.spec.name);
    const result = await this.supervisor.runTask({ kind: 'export', plan, weights: 'initial', outDir: path });
    if (result.kind !== 'export') throw new Error('the worker answered another task');
    return { path, files: result.files, source: result.source };
  }

  /** Stores the run, then has the worker compute its test report and attention snapshot from its weights. */
  async importRun(folder: string): Promise<RunRecord> {
    const { record } = await importRun(this.runs, folder);
    const result = await this.supervisor.runTask({ kind: 'import-report', plan: storedRunPlan(record) });
    if (result.kind === 'import-report' && result.attention)
      await this.runs.writeAttention(record.id, result.attention);
    return this.runs.record(record.id);
  }
}
