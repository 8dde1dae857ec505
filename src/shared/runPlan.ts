import type { DatasetSummary } from './datasets';
import type { HyperParams } from './hyperParams';
import type { TokenizerSettings } from './tokenizerSettings';
import { withImageShape } from './architecture/withImageShape';
import { analyzeSpec, describeIssue } from './architecture/analyzeSpec';
import type { ModelSpec } from './architecture/modelSpec';
import { findPreset } from './architecture/presets';

/** What a training request trains: a drawn spec, or a preset's. */
export interface TrainingTargetRequest {
  datasetId: string;
  presetId?: string | undefined;
  spec?: ModelSpec | undefined;
}

export interface TrainingTarget {
  spec: ModelSpec;
  /** The preset trained or drawn from; null for a graph drawn from empty. */
  presetId: string | null;
  dataset: DatasetSummary;
}

/**
 * The spec a request trains (the one sent, else the named preset's) and the dataset it names (looked up by the
 * caller), checked to fit each other and to be a valid graph, naming the node at fault.
 */
export function resolveTrainingTarget(
  request: TrainingTargetRequest,
  dataset: DatasetSummary | undefined,
): TrainingTarget {
  const preset = request.presetId === undefined ? undefined : findPreset(request.presetId);
  if (request.presetId !== undefined && !preset && !request.spec)
    throw new Error(`unknown preset "${request.presetId}"`);
  const spec = request.spec ?? preset?.spec;
  if (!spec) throw new Error('the request names no preset and sends no spec');
  if (!dataset) throw new Error(`unknown dataset "${request.datasetId}"`);
  if (dataset.task !== spec.task) {
    throw new Error(
      `the architecture "${spec.name}" is for ${spec.task}, but the dataset "${dataset.name}" is ${dataset.task}`,
    );
  }
  // The class count decides only the output layer's width, so any count checks the rest of the graph; the
  // dataset's own is used where it is known before tokenizing.
  const { issues } = analyzeSpec(spec, { classes: Math.max(2, dataset.classNames.length) });
  if (issues.length > 0)
    throw new Error(`the architecture "${spec.name}" is invalid: ${issues.map(describeIssue).join('; ')}`);
  return { spec, presetId: preset?.id ?? null, dataset };
}

/** What a training request becomes once main has resolved it: everything the worker needs, decided once. */
export interface RunPlan {
  runId: string;
  datasetId: string;
  /** The preset trained or drawn from; null for a graph drawn from empty. */
  presetId: string | null;
  /** The graph to build, its image input already sized to the dataset's images. */
  spec: ModelSpec;
  hyperParams: HyperParams;
  /** How text is cut; unset fields come from the dataset's suggestion and the model's vocabulary sizes. */
  tokenizer?: TokenizerSettings;
  /** Go on from this run's latest checkpoint instead of starting afresh. */
  resume?: boolean;
  /** Start from another run's weights (its best checkpoint): fine-tuning, on this plan's dataset. */
  initFromRun?: string;
}

/**
 * Resolves a request into a run plan: which spec (sized to the dataset's images), which dataset, which settings.
 * Main does it once, at train:start (the CLI before it loads a backend); the worker trains the plan as it is.
 */
export function planRun(
  runId: string,
  request: TrainingTargetRequest & {
    hyperParams: HyperParams;
    tokenizer?: TokenizerSettings | undefined;
    initFromRun?: string | undefined;
  },
  dataset: DatasetSummary | undefined,
): RunPlan {
  const target = resolveTrainingTarget(request, dataset);
  const unknown = request.hyperParams.freeze.filter((id) => !target.spec.nodes.some((node) => node.id === id));
  if (unknown.length > 0) {
    throw new Error(`cannot freeze ${unknown.map((id) => `"${id}"`).join(', ')}: not a block of "${target.spec.name}"`);
  }
  const imageShape = target.dataset.imageShape;
  return {
    runId,
    datasetId: target.dataset.id,
    presetId: target.presetId,
    spec: imageShape ? withImageShape(target.spec, imageShape) : target.spec,
    hyperParams: request.hyperParams,
    ...(request.tokenizer ? { tokenizer: request.tokenizer } : {}),
    ...(request.initFromRun ? { initFromRun: request.initFromRun } : {}),
  };
}
