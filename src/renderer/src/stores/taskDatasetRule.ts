import type { DatasetSummary } from '../../../shared/datasets';
import type { Task } from '../../../shared/architecture/modelSpec';
import type { Preset } from '../../../shared/architecture/presets';

/**
 * The one rule between the model's task and the dataset's, both ways. A model can only train on a dataset of its
 * task; when either side changes, the other follows, except that a graph the user drew is never replaced (the
 * editor says instead that the tasks differ).
 */

/** The dataset for a model of `task`: the current one if it fits, else the task's preset default, else any of it. */
export function datasetForTask(task: Task, currentId: string, datasets: DatasetSummary[], presets: Preset[]): string {
  const current = datasets.find((d) => d.id === currentId);
  if (current?.task === task) return currentId;
  const byPreset = presets.find((p) => p.task === task)?.defaultDatasetId;
  if (byPreset && datasets.some((d) => d.id === byPreset)) return byPreset;
  return datasets.find((d) => d.task === task)?.id ?? currentId;
}

/** The preset to open for a chosen dataset of another task, when the graph is an unedited preset; else null. */
export function presetForDataset(
  dataset: DatasetSummary,
  modelTask: Task,
  graphIsPreset: boolean,
  presets: Preset[],
): Preset | null {
  if (dataset.task === modelTask || !graphIsPreset) return null;
  return presets.find((p) => p.task === dataset.task) ?? null;
}
