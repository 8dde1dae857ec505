import { input, model, type LayersModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { analyzeSpec, describeIssue } from '../../shared/architecture/analyzeSpec';
import { isOpName } from '../../shared/architecture/ops';
import type { ModelSpec } from '../../shared/architecture/modelSpec';
import { PaddingMask } from '../layers/paddingMask';
import { buildOp } from './opBuilders';
import type { PatchGrid } from '../../shared/events';
import { patchPositions } from '../../shared/patchAttention';
import type { PlacedAttention, SequenceInfo } from './opContext';

/** What a spec is built against: sizes that come from the dataset and the run. */
export interface ModelBinding {
  /** Vocabulary size of each token input, by input id (the dataset's vocabulary, not the spec's cap). */
  vocabSizes: Record<string, number>;
  classes: number;
  dropout: number;
}

/** An attention map the probe returns, described without its tensor. */
export type AttentionLayerInfo = Omit<PlacedAttention, 'weights'>;

export interface BuiltModel {
  /** Inputs (in spec order) -> logits. What the optimizer trains. */
  model: LayersModel;
  /** Same layers, inputs -> [logits, ...attention maps [B, H, Q, K]]: for the live attention views. */
  probe: LayersModel;
  attention: AttentionLayerInfo[];
}

/** The patches a patch embedding cuts its image [B, H, W, C] into (its params were validated when it was built). */
function patchGridOf(params: Record<string, unknown> | undefined, image: SymbolicTensor): PatchGrid {
  const size = Number(params?.['patchSize']);
  const [, height, width] = image.shape as number[];
  return { rows: height! / size, columns: width! / size, classToken: params?.['classToken'] !== false };
}

/**
 * A node keeps the patches of its first input while its output is still one vector per patch; attention whose keys
 * are those positions (a ViT's self-attention) is drawn over the image.
 */
function overPatches(placed: PlacedAttention, grid: PatchGrid | null): PatchGrid | null {
  if (!grid || placed.kind !== 'tokens' || placed.keyOrigin !== null) return null;
  return placed.weights.shape[3] === patchPositions(grid) ? grid : null;
}

/** Builds a spec that analyzeSpec accepts; a spec it rejects throws with every issue, each naming its node. */
export function buildModel(spec: ModelSpec, binding: ModelBinding): BuiltModel {
  const { issues, order } = analyzeSpec(spec, { vocabSizes: binding.vocabSizes, classes: binding.classes });
  if (issues.length > 0) throw new Error(`the model cannot be built: ${issues.map(describeIssue).join('; ')}`);
  const tensors = new Map<string, SymbolicTensor>();
  const sequences = new Map<string, SequenceInfo | null>();
  const inputs: SymbolicTensor[] = [];
  for (const specInput of spec.inputs) {
    if (specInput.kind === 'tokens') {
      const tokens = input({ name: specInput.id, shape: [specInput.maxLength], dtype: 'int32' });
      inputs.push(tokens);
      tensors.set(specInput.id, tokens);
      const mask = new PaddingMask({ name: `${specInput.id}_padding_mask` }).apply(tokens) as SymbolicTensor;
      sequences.set(specInput.id, { mask, origin: specInput.id });
    } else {
      const image = input({
        name: specInput.id,
        shape: [specInput.height, specInput.width, specInput.channels],
        dtype: 'float32',
      });
      inputs.push(image);
      tensors.set(specInput.id, image);
      sequences.set(specInput.id, null);
    }
  }

  const attention: PlacedAttention[] = [];
  const grids = new Map<string, PatchGrid>();
  for (const node of order) {
    if (!isOpName(node.op)) continue; // analyzeSpec has refused unknown ops
    const grid = grids.get(node.inputs[0] ?? '') ?? null;
    const tokenInput = spec.inputs.find((i) => i.id === node.inputs[0] && i.kind === 'tokens');
    const { output, sequence } = buildOp(node.op, node.params, {
      nodeId: node.id,
      inputs: node.inputs.map((id) => tensors.get(id)!),
      inputIds: node.inputs,
      sequences: node.inputs.map((id) => sequences.get(id) ?? null),
      vocabSize: tokenInput ? (binding.vocabSizes[tokenInput.id] ?? 0) : 0,
      classes: binding.classes,
      dropout: binding.dropout,
      onAttention: (placed) => attention.push({ ...placed, patches: overPatches(placed, grid) }),
    });
    tensors.set(node.id, output);
    sequences.set(node.id, sequence);
    const made = node.op === 'patchEmbedding' ? patchGridOf(node.params, tensors.get(node.inputs[0]!)!) : grid;
    if (made && output.shape.length === 3 && output.shape[1] === patchPositions(made)) grids.set(node.id, made);
  }

  const outputs = spec.outputs.map((id) => tensors.get(id)!);
  const trained = model({ inputs, outputs, name: spec.name.replace(/[^A-Za-z0-9_]/g, '_') });
  const probe = model({ inputs, outputs: [...outputs, ...attention.map((a) => a.weights)], name: 'attention_probe' });
  return { model: trained, probe, attention: attention.map(({ weights: _weights, ...info }) => info) };
}
