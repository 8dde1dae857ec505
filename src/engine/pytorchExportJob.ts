import type { LayersModel } from '@tensorflow/tfjs-layers';
import { writePytorchExport } from '../export/pytorch/writeExport';
import type { NamedTensor } from '../export/safetensors';
import type { RunPlan } from '../shared/runPlan';
import type { DatasetLibrary } from './data/library/datasetLibrary';
import type { PreparedDataset } from './data/preparedDataset';
import { loadTrainedRun } from './inference/trainedRun';
import { buildModel } from './models/buildModel';
import { withSeededInitialization } from './models/seededInitialization';
import type { RunArtifacts } from './train/runArtifacts';
import { prepareRunData } from './train/runTraining';
import { encodedSplits } from './modelFiles/encodedSplits';

/** The model's weights under the workbench's names, as float32 arrays. */
const namedWeights = (model: LayersModel): NamedTensor[] =>
  model.weights.map((weight) => ({
    name: weight.originalName,
    dtype: 'F32',
    shape: weight.shape as number[],
    data: Float32Array.from(weight.read().dataSync()),
  }));

/** What train.py needs of a run: its recipe and its split, encoded as the model reads it. */
const trainingOf = (plan: RunPlan, data: PreparedDataset) => ({
  recipe: plan.hyperParams,
  datasetId: plan.datasetId,
  presetId: plan.presetId,
  ...(plan.tokenizer ? { tokenizerSettings: plan.tokenizer } : {}),
  // A sharded dataset is referenced where it lies; one in memory is written out as the model reads it.
  splits: data.shards ?? encodedSplits(data, plan.spec),
  classNames: data.classNames,
  vocabularies: data.exportInfo.vocabularies,
  ...(data.exportInfo.tokenizer ? { tokenizer: data.exportInfo.tokenizer } : {}),
});

export interface PytorchExportJob {
  plan: RunPlan;
  /** 'trained': the run's own weights (final, else best, else latest); 'initial': the plan's seeded start. */
  weights: 'trained' | 'initial';
  artifacts: RunArtifacts;
  datasets: DatasetLibrary;
  outDir: string;
  /** Where resources/pytorch/train.py is: the repository's, or the packaged app's. */
  resourcesDir?: string;
}

/**
 * Writes a plan's model as a PyTorch folder (model.py, weights, train.py, its recipe and encoded split): what
 * `npm run export` and the app's Export… do, in whichever thread holds TensorFlow.js. Returns the files written
 * and where the weights came from.
 */
export async function exportToPytorch(job: PytorchExportJob): Promise<{ files: string[]; source: string }> {
  const { plan } = job;
  let exported;
  if (job.weights === 'trained') {
    const run = await loadTrainedRun(plan, job.artifacts, job.datasets);
    try {
      exported = {
        spec: plan.spec,
        binding: {
          vocabSizes: run.data.vocabSizes,
          classes: run.data.classNames.length,
          dropout: plan.hyperParams.dropout,
        },
        weights: namedWeights(run.model),
        source: `run ${plan.runId}, its ${run.weights.slot} weights after epoch ${run.weights.epoch}`,
        training: trainingOf(plan, run.data),
      };
    } finally {
      run.dispose();
    }
  } else {
    const data = await prepareRunData(plan, job.datasets);
    const binding = { vocabSizes: data.vocabSizes, classes: data.classNames.length, dropout: plan.hyperParams.dropout };
    const { model } = withSeededInitialization(plan.hyperParams.seed, () => buildModel(plan.spec, binding));
    try {
      exported = {
        spec: plan.spec,
        binding,
        weights: namedWeights(model),
        source: `initial weights (seed ${plan.hyperParams.seed}), not trained`,
        training: trainingOf(plan, data),
      };
    } finally {
      model.dispose();
    }
  }
  const files = await writePytorchExport(job.outDir, exported, ...(job.resourcesDir ? [job.resourcesDir] : []));
  return { files, source: exported.source };
}
