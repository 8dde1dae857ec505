import type { DatasetSummary } from '../../shared/datasets';
import { findPreset, type Preset } from '../../shared/spec/presets';

/**
 * The preset a request names and the dataset it names (looked up by the caller), checked to fit each other. No
 * tfjs here: main calls it to refuse a request at once, and the worker again before it trains.
 */
export function resolveTrainingTarget(presetId: string, datasetId: string, dataset: DatasetSummary | undefined): { preset: Preset; dataset: DatasetSummary } {
  const preset = findPreset(presetId);
  if (!preset) throw new Error(`unknown preset "${presetId}"`);
  if (!dataset) throw new Error(`unknown dataset "${datasetId}"`);
  if (dataset.task !== preset.task) {
    throw new Error(`preset "${preset.name}" is for ${preset.task}, but "${dataset.name}" is ${dataset.task}`);
  }
  return { preset, dataset };
}
