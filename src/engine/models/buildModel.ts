import { input, model, type LayersModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { analyzeSpec, describeIssue } from '../../shared/spec/analyzeSpec';
import { isOpName } from '../../shared/spec/ops';
import type { ModelSpec } from '../../shared/spec/modelSpec';
import { PaddingMask } from '../layers/paddingMask';
import { buildOp } from './opBuilders';

/** What a spec is built against: sizes that come from the dataset and the run. */
export interface ModelBinding {
  vocabSize: number;
  classes: number;
  dropout: number;
}

export interface BuiltModel {
  /** Inputs -> logits. What the optimizer trains. */
  model: LayersModel;
  /** Same layers, inputs -> [logits, ...attention weights [B, H, Tq, Tk]]: for the live attention views. */
  probe: LayersModel;
  attentionLayers: string[];
}

/** Builds a spec that analyzeSpec accepts; a spec it rejects throws with every issue, each naming its node. */
export function buildModel(spec: ModelSpec, binding: ModelBinding): BuiltModel {
  const { issues, order } = analyzeSpec(spec, { vocabSize: binding.vocabSize, classes: binding.classes });
  if (issues.length > 0) throw new Error(`the model cannot be built: ${issues.map(describeIssue).join('; ')}`);
  const tensors = new Map<string, SymbolicTensor>();
  const masks = new Map<string, SymbolicTensor | null>();
  const inputs: SymbolicTensor[] = [];
  for (const spec_input of spec.inputs) {
    if (spec_input.kind !== 'tokens') throw new Error(`input "${spec_input.id}": ${spec_input.kind} inputs are not supported yet`);
    const tokens = input({ name: spec_input.id, shape: [spec_input.maxLength], dtype: 'int32' });
    inputs.push(tokens);
    tensors.set(spec_input.id, tokens);
    masks.set(spec_input.id, new PaddingMask({ name: `${spec_input.id}_padding_mask` }).apply(tokens) as SymbolicTensor);
  }

  const attention: { name: string; weights: SymbolicTensor }[] = [];
  for (const node of order) {
    if (!isOpName(node.op)) continue; // analyzeSpec has refused unknown ops
    const { output, mask } = buildOp(node.op, node.params, {
      nodeId: node.id,
      inputs: node.inputs.map((id) => tensors.get(id)!),
      mask: masks.get(node.inputs[0]!) ?? null,
      vocabSize: binding.vocabSize,
      classes: binding.classes,
      dropout: binding.dropout,
      onAttention: (name, weights) => attention.push({ name, weights }),
    });
    tensors.set(node.id, output);
    masks.set(node.id, mask);
  }

  const outputs = spec.outputs.map((id) => {
    const tensor = tensors.get(id);
    if (!tensor) throw new Error(`output "${id}" is not a node of the graph`);
    return tensor;
  });
  const trained = model({ inputs, outputs, name: spec.name.replace(/[^A-Za-z0-9_]/g, '_') });
  const probe = model({ inputs, outputs: [...outputs, ...attention.map((a) => a.weights)], name: 'attention_probe' });
  return { model: trained, probe, attentionLayers: attention.map((a) => a.name) };
}
