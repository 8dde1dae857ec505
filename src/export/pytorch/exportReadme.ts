import type { ModelSpec } from '../../shared/architecture/modelSpec';

/** The exported folder's README: what each file is and the commands that use it. */
/** What data/ holds: the splits copied, or (a sharded dataset) where its shards are. */
function dataLines(shardsFolder: string | null): string {
  if (shardsFolder === null)
    return `- \`data/\`: the run's train, validation and test splits as the model reads them (\`*.safetensors\`: token ids,
  image bytes, targets), with \`dataset.json\`, \`classes.json\`, \`vocab.json\` and \`tokenizer.json\`: no tokenizer
  is needed to train.`;
  return `- \`data/\`: the dataset is too big to copy, so its shards are read where they are (\`${shardsFolder}\`, named in
  \`data/shards.json\`) by \`sharded_dataset.py\`, a map-style Dataset that DistributedSampler shares out; each
  split is the list of records it reads (\`*-records.safetensors\`). Copy that folder with this one to train
  elsewhere, and give its new place with \`--shards FOLDER\`.`;
}

export function exportReadme(
  spec: ModelSpec,
  source: string,
  withTraining: boolean,
  shardsFolder: string | null = null,
): string {
  const example = spec.inputs
    .map((i) =>
      i.kind === 'tokens'
        ? `torch.zeros(1, ${i.maxLength}, dtype=torch.long)`
        : `torch.zeros(1, ${i.height}, ${i.width}, ${i.channels})`,
    )
    .join(', ');
  const training = withTraining
    ? `- \`train.py\`: the run's recipe (\`recipe.json\`: optimizer, learning-rate schedule and warm-up, weight decay,
  clipping, label smoothing, epochs, global batch size, seed, checkpoint interval) on its split.
${dataLines(shardsFolder)}

\`\`\`sh
python train.py                                   # one process; CUDA when present
torchrun --nproc_per_node=2 train.py              # DistributedDataParallel (gloo on CPU, nccl on CUDA)
torchrun --nnodes=2 --nproc_per_node=8 --rdzv_endpoint=HOST:29500 train.py     # the same on a cluster
python train.py --epochs 0                        # only evaluate the weights on the test split
python train.py --resume                          # go on from run/checkpoints/latest.pt
\`\`\`

Rank 0 writes \`run/\` in the workbench's layout (run.json, metrics.log, checkpoints, weights.safetensors) and
prints one JSON event per line, as \`npm run train -- --json\` does.
`
    : '';
  return `# ${spec.name}, exported from Attention Workbench

- \`model.py\`: the model as one PyTorch \`nn.Module\` (\`Model\`), one class per workbench op, a shape comment on each
  line of \`forward\`, which returns the logits and every attention map by layer name. Its inputs are the
  workbench's: token ids (0 is padding) as int64, images as float pixels in [0, 1], channels last.
- \`weights.safetensors\`: its weights (${source}) under the workbench's names; \`load_workbench_weights\` in model.py
  reads them with the \`safetensors\` package if installed, and with a reader of its own otherwise.
${training}
\`\`\`python
import torch
from model import Model, load_workbench_weights

model = Model().eval()
load_workbench_weights(model, "weights.safetensors")
logits, attention = model(${example})
\`\`\`

Tested with PyTorch 1.13 (Debian's python3-torch) on CPU; it has not run on a GPU yet.
`;
}
