import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { taskLoss } from '../../../src/engine/train/losses';
import { seededRandom } from '../../../src/engine/data/split/seededRandom';
import { expectClose } from '../../support/tensorAssertions';
import { onCpuAndWasm } from '../../support/cpuAndWasm';

const random = seededRandom(101);
const values = (n: number) => Array.from({ length: n }, () => (random() * 2 - 1) * 6);

describe('the training loss as one kernel each way on wasm', () => {
  beforeAll(async () => {
    expect((await selectBackend('wasm')).name).toBe('wasm');
  });
  afterEach(() => vi.restoreAllMocks());

  for (const [name, shape, targets, sequence, smoothing] of [
    ['classes', [8, 10], [1, 0, 9, 3, 3, 7, 2, 5], false, 0],
    ['classes, label smoothing 0.1', [8, 10], [1, 0, 9, 3, 3, 7, 2, 5], false, 0.1],
    ['a target out of range', [3, 4], [1, 7, 2], false, 0.2],
    ['tokens with padding', [2, 4, 6], [3, 1, 0, 0, 5, 2, 4, 0], true, 0],
    ['tokens, label smoothing 0.1', [2, 4, 6], [3, 1, 0, 0, 5, 2, 4, 0], true, 0.1],
    ['tokens, all padding', [1, 3, 5], [0, 0, 0], true, 0],
  ] as [string, number[], number[], boolean, number][]) {
    it(`${name}: the loss and its gradient are the cpu backend's composed ones`, async () => {
      const x = values(tf.util.sizeFromShape(shape));
      const classes = shape.at(-1)!;
      const targetShape = shape.slice(0, -1);
      const { cpu, wasm } = await onCpuAndWasm(() => {
        const logits = tf.tensor(x, shape);
        const t = tf.tensor(targets, targetShape, 'int32');
        const loss = (l: tf.Tensor) => taskLoss(l, t, classes, sequence, smoothing);
        return [loss(logits), tf.grad(loss)(logits)];
      });
      expectClose(wasm[0]!, cpu[0]!, 1e-5);
      expectClose(wasm[1]!, cpu[1]!, 1e-6);
    });
  }

  it('on wasm the loss is the two kernels, not tfjs’ twenty', async () => {
    const logits = tf.tensor2d(values(40), [4, 10]);
    const t = tf.tensor1d([1, 2, 3, 4], 'int32');
    const profile = await tf.profile(() => tf.grad((l: tf.Tensor) => taskLoss(l, t, 10, false))(logits));
    const names = profile.kernels.map((k) => k.name);
    expect(names).toContain('WorkbenchCrossEntropy');
    expect(names).toContain('WorkbenchCrossEntropyGrad');
    expect(names).not.toContain('OneHot');
    tf.dispose([logits, t, profile.result as tf.Tensor]);
  });
});
