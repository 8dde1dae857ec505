import type { ModelSpec } from '../../shared/spec/modelSpec';

/** The exported folder's README: what each file is and how to use it. */
export function exportReadme(spec: ModelSpec, source: string): string {
  return `# ${spec.name}, exported from Attention Workbench

- \`model.py\`: the model as one PyTorch \`nn.Module\` (\`Model\`), one class per workbench op, a shape comment on each
  line of \`forward\`. Its inputs are the workbench's: token ids (0 is padding) as int64, images as float pixels in
  [0, 1], channels last.
- \`weights.safetensors\`: its weights (${source}) under the workbench's names; \`load_workbench_weights\` in model.py
  reads them with the \`safetensors\` package if installed, and with a reader of its own otherwise.

\`\`\`python
import torch
from model import Model, load_workbench_weights

model = Model().eval()
load_workbench_weights(model, "weights.safetensors")
logits, attention = model(${spec.inputs.map((i) => (i.kind === 'tokens' ? `torch.zeros(1, ${i.maxLength}, dtype=torch.long)` : `torch.zeros(1, ${i.height}, ${i.width}, ${i.channels})`)).join(', ')})
\`\`\`

\`python model.py\` loads the weights and prints how many there are. Tested with PyTorch 1.13 (Debian's python3-torch).
`;
}
