import { analyzeSpec } from '../../shared/architecture/analyzeSpec';
import type { ModelSpec } from '../../shared/architecture/modelSpec';
import { opParamSchemas, type OpName } from '../../shared/architecture/ops';
import { PYTHON_OPS } from './ops';
import { READ_SAFETENSORS } from './readSafetensorsPy';

/** What a spec is exported against: the sizes that come from the dataset and the run. */
export interface ExportBinding {
  vocabSizes: Record<string, number>;
  classes: number;
  dropout: number;
}

export interface GeneratedModel {
  /** model.py's text. */
  source: string;
  /** Each workbench weight name (`hidden1/kernel`) and its key in the PyTorch model's state_dict. */
  weightKeys: Record<string, string>;
}

const PYTHON_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield self torch nn F math json attention maps'.split(
    ' ',
  ),
);

/** Python identifiers, each distinct from the others, the keywords and forward's own variables. */
function identifierMaker() {
  const taken = new Set<string>();
  return (wanted: string): string => {
    let name = wanted.replace(/-/g, '_');
    if (PYTHON_KEYWORDS.has(name)) name = `${name}_`;
    while (taken.has(name)) name = `${name}_`;
    taken.add(name);
    return name;
  };
}

const shapeComment = (shape: number[] | undefined) => `# [B${(shape ?? []).map((d) => `, ${d}`).join('')}]`;

/**
 * model.py for a spec: the module classes its ops need, then one Model whose __init__ builds each node as the
 * workbench does and whose forward wires them in graph order, a shape comment on every line.
 */
export function generateModelPy(spec: ModelSpec, binding: ExportBinding): GeneratedModel {
  const analysis = analyzeSpec(spec, { vocabSizes: binding.vocabSizes, classes: binding.classes });
  if (analysis.issues.length) {
    throw new Error(`the spec is not valid: ${analysis.issues.map((i) => `${i.nodeId}: ${i.message}`).join('; ')}`);
  }

  const identifier = identifierMaker();
  const names = new Map(
    [...spec.inputs.map((i) => i.id), ...analysis.order.map((n) => n.id)].map((id) => [id, identifier(id)]),
  );
  const classes = new Map<string, string>();
  const init: string[] = [];
  const forward: string[] = [];
  const weightKeys: Record<string, string> = {};
  // Each value's padding mask (1 real, 0 padding) while it keeps its token input's positions; "None" after.
  const masks = new Map<string, string>();
  const maskLines: string[] = [];
  for (const input of spec.inputs) {
    if (input.kind !== 'tokens') continue;
    const mask = identifier(`${names.get(input.id)}_mask`);
    masks.set(input.id, mask);
    maskLines.push(
      `        ${mask} = (${names.get(input.id)} != 0).float()  # [B, ${input.maxLength}], 1 real, 0 padding`,
    );
  }
  for (const node of analysis.order) {
    const op = PYTHON_OPS[node.op as OpName];
    const params = opParamSchemas[node.op as OpName].parse(node.params ?? {}) as Record<string, unknown>;
    const tokenInput = spec.inputs.find((i) => i.id === node.inputs[0]);
    const args = {
      params,
      nodeId: node.id,
      inputShapes: node.inputs.map((id) => analysis.nodes[id]!.shape),
      classes: binding.classes,
      vocabSize: tokenInput?.kind === 'tokens' ? (binding.vocabSizes[tokenInput.id] ?? tokenInput.vocabSize) : 0,
      dropout: binding.dropout,
    };
    for (const [name, source] of Object.entries(op.classes)) classes.set(name, source);
    const attribute = names.get(node.id)!;
    const constructed = op.construct(args);
    if (constructed) init.push(`        self.${attribute} = ${constructed}`);
    for (const [workbench, key] of op.weights(node.id, attribute, params)) weightKeys[workbench] = key;
    const expression = op.forward({
      ...args,
      inputs: node.inputs.map((id) => names.get(id)!),
      masks: node.inputs.map((id) => masks.get(id) ?? 'None'),
      module: `self.${attribute}`,
    });
    const comment = shapeComment(analysis.nodes[node.id]?.shape);
    if (op.attention) {
      forward.push(`        ${attribute}, maps = ${expression}  ${comment}`, '        attention.update(maps)');
    } else {
      forward.push(`        ${attribute} = ${expression}  ${comment}`);
    }
    const mask = node.inputs[0] === undefined ? undefined : masks.get(node.inputs[0]);
    if (mask && op.keepsPositions(params)) masks.set(node.id, mask);
  }
  const inputs = spec.inputs.map((input) => {
    const type = input.kind === 'tokens' ? 'token ids, 0 = padding' : 'pixels in [0, 1], channels last';
    return {
      name: names.get(input.id)!,
      doc: `${names.get(input.id)}: ${shapeComment(analysis.nodes[input.id]!.shape).slice(2)} ${type}`,
    };
  });
  const outputs = spec.outputs.map((id) => names.get(id)!);
  const source = `"""${spec.name.replace(/"""/g, "'''").replace(/\\/g, '/')}: exported from Attention Workbench.

One nn.Module computing what the workbench's model computes, with its weights under the workbench's names
(weights.safetensors). Each class below is one workbench op; the shapes in the comments leave out the batch.
"""

import json
import math
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import nn

${[...classes.values()].join('\n\n\n')}


class Model(nn.Module):
    def __init__(self):
        super().__init__()
${init.length ? init.join('\n') : '        pass'}

    def forward(self, ${inputs.map((i) => `${i.name}: torch.Tensor`).join(', ')}) -> Tuple[torch.Tensor, Dict[str, torch.Tensor]]:
        """${inputs.map((i) => i.doc).join('; ')}. Returns the logits and the attention maps by layer name."""
${[...maskLines, '        attention: Dict[str, torch.Tensor] = {}', ...forward].join('\n')}
        return ${outputs[0]}, attention


# Each workbench weight (node id / weight) and the parameter it is here.
WORKBENCH_WEIGHTS = ${JSON.stringify(weightKeys, null, 4).replace(/\n}$/, ',\n}')}


${READ_SAFETENSORS}


def load_workbench_weights(model: Model, path: str) -> None:
    """Copies every weight of a workbench weights file into the model, checking each name and shape."""
    tensors = read_safetensors(path)
    state = model.state_dict()
    for name, key in WORKBENCH_WEIGHTS.items():
        if name not in tensors:
            raise KeyError(f"{path} has no weight {name}")
        if tuple(tensors[name].shape) != tuple(state[key].shape):
            raise ValueError(f"{name}: {tuple(tensors[name].shape)} in {path}, {tuple(state[key].shape)} here")
        state[key] = tensors[name]
    model.load_state_dict(state)


if __name__ == "__main__":
    model = Model()
    load_workbench_weights(model, "weights.safetensors")
    print(f"{sum(p.numel() for p in model.parameters())} parameters loaded from weights.safetensors")
`;
  return { source, weightKeys };
}
