import type { LayersModel } from '@tensorflow/tfjs-layers';
import { CHECKPOINT_SLOTS, type CheckpointSlot } from '../../shared/runLayout';
import type { RunArtifacts } from '../train/runArtifacts';
import type { RunPlan } from '../../shared/runPlan';
import type { DatasetLibrary } from '../data/library/datasetLibrary';
import type { PreparedDataset } from '../data/preparedDataset';
import { buildModel, type AttentionLayerInfo } from '../models/buildModel';
import { disposeCheckpoint, loadCheckpoint } from '../train/checkpoints';
import { prepareRunData } from '../train/runTraining';

/** A stored run brought back to answer questions: its data prepared as it was, its model with its weights. */
export interface TrainedRun {
  plan: RunPlan;
  data: PreparedDataset;
  model: LayersModel;
  /** The same layers with every attention map as an extra output. */
  probe: LayersModel;
  attention: AttentionLayerInfo[];
  weights: { slot: CheckpointSlot; epoch: number; globalStep: number };
  dispose(): void;
}

/**
 * Rebuilds a run's model from its plan and loads its weights: the final model if training ended, else its best or
 * latest checkpoint (a run still training can be asked after its first epoch). The dataset is prepared with the
 * plan's seed and tokenizer, so rows and vocabulary are those the run was trained and evaluated on.
 */
export async function loadTrainedRun(
  plan: RunPlan,
  artifacts: RunArtifacts,
  datasets: DatasetLibrary,
): Promise<TrainedRun> {
  const checkpoint = await loadCheckpoint(artifacts, plan.runId, CHECKPOINT_SLOTS);
  if (!checkpoint) throw new Error(`run ${plan.runId} has no saved weights: it ended before its first epoch did`);
  const slot = checkpoint.slot;
  try {
    const data = await prepareRunData(plan, datasets);
    const { model, probe, attention } = buildModel(plan.spec, {
      vocabSizes: data.vocabSizes,
      classes: data.classNames.length,
      dropout: plan.hyperParams.dropout,
    });
    const mismatch = model.weights.findIndex((weight, i) => {
      const saved = checkpoint.weights[i];
      return !saved || saved.tensor.shape.join() !== weight.shape.join();
    });
    if (mismatch >= 0 || checkpoint.weights.length !== model.weights.length) {
      model.dispose();
      const weight = model.weights[mismatch];
      throw new Error(
        `run ${plan.runId}'s ${slot} checkpoint does not fit its model` +
          (weight ? ` (weight ${weight.originalName})` : '') +
          ': was its dataset changed since it trained?',
      );
    }
    model.weights.forEach((weight, i) => weight.write(checkpoint.weights[i]!.tensor));
    return {
      plan,
      data,
      model,
      probe,
      attention,
      weights: { slot, epoch: checkpoint.epoch, globalStep: checkpoint.globalStep },
      dispose: () => model.dispose(),
    };
  } finally {
    disposeCheckpoint(checkpoint);
  }
}
