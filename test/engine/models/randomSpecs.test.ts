import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { buildModel } from '../../../src/engine/models/buildModel';
import { taskLoss } from '../../../src/engine/train/losses';
import { analyzeSpec, describeIssue } from '../../../src/shared/architecture/analyzeSpec';
import type { InputSpec, ModelSpec, NodeSpec, Task } from '../../../src/shared/architecture/modelSpec';
import { arityOf, opParamSchemas, type OpName } from '../../../src/shared/architecture/ops';

/**
 * Shape inference (src/shared, what the editor and main check) and the builder (src/engine, what trains) must never
 * disagree: every graph inference accepts builds with the same weights and output shape and takes a training step;
 * every graph it refuses fails to build with inference's own message. Graphs are grown node by node from the whole
 * op catalog with small random parameters, mostly keeping nodes that inference accepts, sometimes one it refuses.
 */

const VOCAB = 20;
const CLASSES = 3;
const pick = <T>(...values: T[]) => fc.constantFrom(...values);
const activation = pick('linear', 'relu', 'gelu', 'swish', 'tanh', 'sigmoid');
const convolution = { kernelSize: pick(1, 2, 3), strides: pick(1, 2), padding: pick('same', 'valid'), activation };
const pooling = fc.record(
  { poolSize: pick(1, 2, 3), strides: pick(1, 2), padding: pick('same', 'valid') },
  { requiredKeys: ['poolSize', 'padding'] },
);
const block = fc.record(
  { heads: pick(1, 2, 3, 4), ffnDim: pick(4, 8), normFirst: fc.boolean(), dropout: pick(0, 0.1) },
  { requiredKeys: ['heads', 'ffnDim', 'normFirst'] },
);
const recurrent = { units: pick(2, 4), returnSequences: fc.boolean() };

const PARAMS: { [O in OpName]: fc.Arbitrary<Record<string, unknown>> } = {
  embedding: fc.record({ dim: pick(4, 8, 12) }),
  positionalEncoding: fc.record({ kind: pick('learned', 'sinusoidal'), scaleInput: fc.boolean() }),
  patchEmbedding: fc.record({ patchSize: pick(1, 2, 3), dim: pick(4, 8), classToken: fc.boolean() }),
  transformerEncoder: block,
  transformerDecoder: block,
  multiHeadAttention: fc.record({ heads: pick(1, 2, 4), causal: fc.boolean() }),
  additiveAttention: fc.record({ units: pick(2, 4) }),
  attentionPooling: fc.record({ units: pick(2, 4) }),
  squeezeExcitation: fc.record({ ratio: pick(1, 2, 4) }),
  spatialAttention: fc.record({ kernelSize: pick(1, 3, 5) }),
  cbam: fc.record({ ratio: pick(1, 2), kernelSize: pick(1, 3) }),
  conv1d: fc.record({ filters: pick(2, 4, 8), ...convolution }),
  conv2d: fc.record({ filters: pick(2, 4, 8), ...convolution }),
  depthwiseConv2d: fc.record({ depthMultiplier: pick(1, 2), ...convolution }),
  maxPool2d: pooling,
  avgPool2d: pooling,
  globalAveragePool2d: fc.constant({}),
  globalMaxPool2d: fc.constant({}),
  globalAveragePool1d: fc.constant({}),
  firstToken: fc.constant({}),
  lstm: fc.record(recurrent),
  gru: fc.record(recurrent),
  bidirectional: fc.record({ cell: pick('lstm', 'gru'), merge: pick('concat', 'sum'), ...recurrent }),
  dense: fc.record({ units: pick(2, 4, 8), activation }),
  activation: fc.record({ fn: activation }),
  batchNorm: fc.constant({}),
  layerNorm: fc.constant({}),
  dropout: fc.record({ rate: pick(0, 0.2) }),
  flatten: fc.constant({}),
  add: fc.constant({}),
  concat: fc.constant({}),
  classifier: fc.constant({}),
  tokenClassifier: fc.constant({}),
};
// Heads are placed at the end; in the middle of a graph they leave little that can follow them.
const OPS = (Object.keys(opParamSchemas) as OpName[]).filter((op) => op !== 'classifier' && op !== 'tokenClassifier');
/** What a person puts between a feature map or a sequence and a classification head. */
const ADAPTERS: OpName[] = ['globalAveragePool2d', 'globalAveragePool1d', 'flatten', 'attentionPooling'];

function inputsFor(task: Task, size: number, channels: number): InputSpec[] {
  if (task === 'image-classification') return [{ id: 'image', kind: 'image', height: size, width: size + 1, channels }];
  if (task === 'seq2seq') {
    return [
      { id: 'source', kind: 'tokens', maxLength: size, vocabSize: VOCAB },
      { id: 'target', kind: 'tokens', maxLength: size - 1, vocabSize: VOCAB },
    ];
  }
  return [{ id: 'tokens', kind: 'tokens', maxLength: size, vocabSize: VOCAB }];
}

const binding = (spec: ModelSpec) => ({
  vocabSizes: Object.fromEntries(spec.inputs.map((i) => [i.id, VOCAB])),
  classes: CLASSES,
  dropout: 0.1,
});

/**
 * A graph grown node by node: each try adds a random op reading the newest node (and, for ops with more inputs,
 * any earlier ones); what inference refuses is dropped, except for one refused node kept in about one graph in
 * six. The task's head then reads the newest node that inference lets it read.
 */
const randomSpec = fc.gen().map((gen): ModelSpec => {
  const task = gen(pick<Task>, 'image-classification', 'text-classification', 'sequence-labelling', 'seq2seq');
  const inputs = inputsFor(task, gen(fc.integer, { min: 3, max: 8 }), gen(fc.integer, { min: 1, max: 3 }));
  const nodes: NodeSpec[] = [];
  const ids = inputs.map((i) => i.id);
  const spec = (extra: NodeSpec): ModelSpec => ({
    name: 'random',
    task,
    inputs,
    nodes: [...nodes, extra],
    outputs: [extra.id],
  });
  const add = (node: NodeSpec) => {
    nodes.push(node);
    ids.push(node.id);
  };
  // Most token graphs start by embedding each token input, as a person would draw them.
  for (const input of inputs) {
    if (input.kind === 'tokens' && gen(fc.integer, { min: 0, max: 9 }) > 0) {
      add({ id: `${input.id}Embedding`, op: 'embedding', params: gen(() => PARAMS.embedding), inputs: [input.id] });
    }
  }
  let keepRefused = gen(fc.integer, { min: 0, max: 5 }) === 0;
  const wanted = gen(fc.integer, { min: 2, max: 8 });
  for (let attempt = 0; attempt < 60 && nodes.length < wanted + inputs.length; attempt++) {
    const op = gen(pick<OpName>, ...OPS);
    const arity = arityOf(op);
    const count = gen(fc.integer, { min: arity.min, max: Math.min(arity.max, 3) });
    const others = gen(fc.array, fc.constantFrom(...ids), { minLength: count - 1, maxLength: count - 1 });
    // Mostly the newest node, so that the graph grows deep; sometimes an older one, so that it branches.
    const back = gen(fc.integer, { min: 0, max: 7 }) === 0 ? Math.min(2, ids.length - 1) : 0;
    const first = ids[ids.length - 1 - back]!;
    const node: NodeSpec = { id: `n${attempt}`, op, params: gen(() => PARAMS[op]), inputs: [first, ...others] };
    // Whether the task's output fits is judged at the end, once the head is placed.
    const refused = analyzeSpec(spec(node), binding(spec(node))).issues.some(
      (issue) => issue.nodeId === node.id && issue.param !== 'outputs',
    );
    if (!refused) add(node);
    else if (keepRefused) {
      add(node);
      keepRefused = false;
    }
  }
  const op = task === 'image-classification' || task === 'text-classification' ? 'classifier' : 'tokenClassifier';
  const head = (input: string): NodeSpec => ({ id: 'head', op, params: {}, inputs: [input] });
  const accepted = (candidate: NodeSpec) => analyzeSpec(withoutDeadNodes(spec(candidate))).issues.length === 0;
  const newest = ids[ids.length - 1]!;
  let readable = accepted(head(newest)) ? newest : undefined;
  for (const adapter of readable ? [] : ADAPTERS) {
    nodes.push({
      id: 'adapter',
      op: adapter,
      params: adapter === 'attentionPooling' ? { units: 4 } : {},
      inputs: [newest],
    });
    if (accepted(head('adapter'))) {
      readable = 'adapter';
      break;
    }
    nodes.pop();
  }
  readable ??= [...ids].reverse().find((id) => accepted(head(id)));
  return withoutDeadNodes(spec(head(readable ?? ids[ids.length - 1]!)));
});

/** Drops the nodes that do not lead to an output, as a person tidying a drawing would. */
function withoutDeadNodes(spec: ModelSpec): ModelSpec {
  const byId = new Map(spec.nodes.map((node) => [node.id, node]));
  const live = new Set<string>();
  const stack = [...spec.outputs];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    if (live.has(id)) continue;
    live.add(id);
    stack.push(...(byId.get(id)?.inputs ?? []));
  }
  return { ...spec, nodes: spec.nodes.filter((node) => live.has(node.id)) };
}

function randomBatch(
  spec: ModelSpec,
  outputShape: number[],
  batch: number,
): { inputs: tf.Tensor[]; targets: tf.Tensor } {
  return tf.tidy(() => {
    const inputs = spec.inputs.map((input) =>
      input.kind === 'image'
        ? tf.randomUniform([batch, input.height, input.width, input.channels])
        : // Real tokens then padding, so that masks are exercised.
          tf.mul(
            tf.randomUniform([batch, input.maxLength], 1, VOCAB, 'int32'),
            tf.tensor2d(
              Array.from({ length: batch }, (_, b) =>
                Array.from({ length: input.maxLength }, (_, t) => (t <= input.maxLength - 1 - b ? 1 : 0)),
              ),
              undefined,
              'int32',
            ),
          ),
    );
    const targets = tf.randomUniform([batch, ...outputShape.slice(0, -1)], 0, CLASSES, 'int32');
    return { inputs, targets };
  });
}

beforeAll(async () => {
  await selectBackend(process.env['WORKBENCH_BACKEND']);
});

/** Builds the spec, checks it against inference and returns the loss of one training step on a random batch. */
function trainOneStep(spec: ModelSpec): number {
  const analysis = analyzeSpec(spec, binding(spec));
  expect(analysis.issues).toEqual([]);
  const { model } = buildModel(spec, binding(spec));
  const { inputs, targets } = randomBatch(spec, analysis.nodes[spec.outputs[0]!]!.shape, 2);
  const sequence = spec.task === 'sequence-labelling' || spec.task === 'seq2seq';
  const loss = tf.train
    .sgd(0.1)
    .minimize(() => taskLoss(model.apply(inputs, { training: true }) as tf.Tensor, targets, CLASSES, sequence), true)!;
  const value = loss.dataSync()[0]!;
  tf.dispose([loss, targets, ...inputs]);
  model.dispose();
  return value;
}

describe('self-attention without a padding mask', () => {
  it('builds and trains after a layer that drops the sequence mask (conv1d "valid")', () => {
    for (const block of [
      { op: 'multiHeadAttention', params: { heads: 2 } },
      { op: 'transformerEncoder', params: { heads: 2, ffnDim: 8 } },
    ]) {
      const spec: ModelSpec = {
        name: 'unmasked',
        task: 'text-classification',
        inputs: [{ id: 'tokens', kind: 'tokens', maxLength: 8, vocabSize: VOCAB }],
        nodes: [
          { id: 'embed', op: 'embedding', params: { dim: 8 }, inputs: ['tokens'] },
          { id: 'conv', op: 'conv1d', params: { filters: 8, kernelSize: 3, padding: 'valid' }, inputs: ['embed'] },
          { id: 'attention', ...block, inputs: ['conv'] },
          { id: 'pool', op: 'globalAveragePool1d', params: {}, inputs: ['attention'] },
          { id: 'head', op: 'classifier', params: {}, inputs: ['pool'] },
        ],
        outputs: ['head'],
      };
      expect(Number.isFinite(trainOneStep(spec)), block.op).toBe(true);
    }
  });
});

describe('random specs from the op catalog', () => {
  it('build, match inference and train one step when inference accepts them; fail with its message when it refuses', () => {
    const seen = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(randomSpec, (spec) => {
        const analysis = analyzeSpec(spec, binding(spec));
        if (analysis.issues.length > 0) {
          seen.refused++;
          expect(() => buildModel(spec, binding(spec))).toThrow(describeIssue(analysis.issues[0]!));
          return;
        }
        seen.accepted++;
        // The probe shares the model's layers: disposing the model frees them all.
        const { model } = buildModel(spec, binding(spec));
        try {
          expect(model.countParams()).toBe(analysis.totalParams);
          const outputShape = analysis.nodes['head']!.shape;
          expect(model.outputs[0]!.shape).toEqual([null, ...outputShape]);
          const sequence = spec.task === 'sequence-labelling' || spec.task === 'seq2seq';
          const optimizer = tf.train.adam(1e-3);
          const step = () => {
            const { inputs, targets } = randomBatch(spec, outputShape, 2);
            const loss = optimizer.minimize(
              () => taskLoss(model.apply(inputs, { training: true }) as tf.Tensor, targets, CLASSES, sequence),
              true,
            )!;
            const value = loss.dataSync()[0]!;
            tf.dispose([loss, targets, ...inputs]);
            return value;
          };
          expect(Number.isFinite(step())).toBe(true);
          // The optimizer's slots exist after the first step; a second one must leave no tensor behind.
          const before = tf.memory().numTensors;
          expect(Number.isFinite(step())).toBe(true);
          expect(tf.memory().numTensors).toBe(before);
          optimizer.dispose();
        } finally {
          model.dispose();
        }
      }),
      { numRuns: 150, seed: Number(process.env['SPEC_FUZZ_SEED'] ?? 20261124) },
    );
    // The generator is only worth something if it reaches both outcomes often.
    expect(seen.accepted).toBeGreaterThan(40);
    expect(seen.refused).toBeGreaterThan(5);
  });
});
