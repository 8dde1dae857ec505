import { analyzeSpec } from './analyzeSpec';
import type { ModelSpec, NodeSpec } from './modelSpec';

const node = (id: string, op: string, params: Record<string, unknown>, input: string): NodeSpec => ({
  id,
  op,
  params,
  inputs: [input],
});

/** The widest hidden layer the search tries: past it a baseline is no longer "matched" to anything we ship. */
const MAX_HIDDEN = 65_536;

/**
 * The fully connected model to set against an attention model (the seed's "attention vs fully connected"): the
 * same inputs (and, for text, the same token embedding), then dense ReLU layers and the same kind of head, with
 * its first hidden layer as wide as keeps its weight count closest to the attention model's. Images are flattened;
 * a text is flattened over all its positions; a tagger's dense layers see each token alone (a position-wise MLP).
 * Seq2seq has no fully connected counterpart here, and is refused.
 */
export function fullyConnectedBaseline(
  spec: ModelSpec,
  context: { classes: number; vocabSizes?: Record<string, number> },
) {
  const target = analyzeSpec(spec, context).totalParams;
  const input = spec.inputs[0]!;
  const embeddingDim = Number(
    spec.nodes.find((n) => n.op === 'embedding' && n.inputs[0] === input.id)?.params['dim'] ?? 64,
  );
  if (spec.task === 'seq2seq') {
    throw new Error('attention vs fully connected compares classifiers and taggers; seq2seq has no baseline here');
  }
  const perToken = spec.task === 'sequence-labelling';
  // What turns the input into vectors: a flattened image, a flattened text, or each token's embedding alone.
  const front: NodeSpec[] =
    spec.task === 'image-classification'
      ? [node('flatten', 'flatten', {}, input.id)]
      : [
          node('embed', 'embedding', { dim: embeddingDim }, input.id),
          ...(perToken ? [] : [node('flatten', 'flatten', {}, 'embed')]),
        ];
  const build = (hidden: number): ModelSpec => ({
    name: `Fully connected, matched to ${spec.name}`,
    task: spec.task,
    inputs: [input],
    nodes: [
      ...front,
      node('hidden1', 'dense', { units: hidden, activation: 'relu' }, front.at(-1)!.id),
      node('dropout1', 'dropout', {}, 'hidden1'),
      node('hidden2', 'dense', { units: 64, activation: 'relu' }, 'dropout1'),
      node('dropout2', 'dropout', {}, 'hidden2'),
      perToken ? node('tags', 'tokenClassifier', {}, 'dropout2') : node('head', 'classifier', {}, 'dropout2'),
    ],
    outputs: [perToken ? 'tags' : 'head'],
  });
  const weights = (hidden: number) => analyzeSpec(build(hidden), context).totalParams;
  // Weights grow with the hidden width: the largest width at or under the target, or the next one if closer.
  let [low, high] = [1, MAX_HIDDEN];
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (weights(middle) <= target) low = middle;
    else high = middle - 1;
  }
  const hidden = Math.abs(weights(low + 1) - target) < Math.abs(weights(low) - target) ? low + 1 : low;
  return { spec: build(hidden), hidden, weights: weights(hidden), target };
}
