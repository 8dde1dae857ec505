import type { HyperParams } from '../hyperParams';
import type { SpecAnalysis } from './analyzeSpec';
import { COMPOSITE_STRUCTURE } from './compositeStructure';
import type { ModelSpec } from './modelSpec';
import { opParamSchemas, isOpName, type OpName } from './ops';
import { OP_DEFINITIONS } from './ops/index';
import type { Shape } from './opShapes';

export interface TrainingMemory {
  /** Bytes of float32 weights, their gradients, and the optimizer's slots (OPTIMIZER_SLOTS per weight). */
  weights: number;
  gradients: number;
  optimizer: number;
  /** Bytes of the activations one batch keeps for the backward pass: every output, inner layer and attention map. */
  activations: number;
  total: number;
}

const FLOAT_BYTES = 4;

type Optimizer = HyperParams['optimizer'];
/** What each optimizer keeps per weight, as tfjs implements it. */
export const OPTIMIZER_SLOTS: Record<Optimizer, { count: number; label: string }> = {
  adam: { count: 2, label: 'Adam moments' },
  adamw: { count: 2, label: 'AdamW moments' },
  sgd: { count: 1, label: 'SGD momentum' },
  rmsprop: { count: 2, label: 'RMSprop mean squares and momentum' },
};
const elements = (shape: Shape) => shape.reduce((a, b) => a * b, 1);

/** Softmax weights an attention node keeps per example beyond its inside steps, as its op module declares. */
function attentionMapElements(op: OpName, params: unknown, inputs: Shape[]): number {
  const definition: { attentionMapElements?: (inputs: Shape[], params: never) => number } = OP_DEFINITIONS[op];
  return definition.attentionMapElements?.(inputs, params as never) ?? 0;
}

/**
 * A training-time memory estimate for one batch, from the analysed graph alone: weights, gradients and optimizer
 * slots (4 bytes each per weight) plus the batch's activations. Real use adds the framework's workspace and the
 * data; the figure is for comparing architectures and batch sizes before training, as a summary bar shows it.
 */
export function estimateTrainingMemory(
  spec: ModelSpec,
  analysis: SpecAnalysis,
  batchSize: number,
  optimizer: Optimizer,
): TrainingMemory {
  const weights = analysis.totalParams * FLOAT_BYTES;
  let perExample = 0;
  for (const input of spec.inputs) perExample += elements(analysis.nodes[input.id]?.shape ?? []);
  for (const node of analysis.order) {
    const inferred = analysis.nodes[node.id];
    // A node with a shape is known and has valid parameters: inference checked both.
    if (!inferred || !isOpName(node.op)) continue;
    perExample += elements(inferred.shape);
    const inputs = node.inputs.map((id) => analysis.nodes[id]?.shape ?? []);
    const params = opParamSchemas[node.op].parse(node.params ?? {});
    const inner = COMPOSITE_STRUCTURE[node.op];
    // The last inner step is the block's output, already counted.
    if (inner)
      perExample += inner(inputs, params as never)
        .slice(0, -1)
        .reduce((sum, step) => sum + elements(step.shape), 0);
    perExample += attentionMapElements(node.op, params, inputs);
  }
  const activations = perExample * batchSize * FLOAT_BYTES;
  const optimizerBytes = OPTIMIZER_SLOTS[optimizer].count * weights;
  return {
    weights,
    gradients: weights,
    optimizer: optimizerBytes,
    activations,
    total: 2 * weights + optimizerBytes + activations,
  };
}
