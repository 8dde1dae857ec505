import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { seededRandom } from '../../../src/engine/data/split/seededRandom';
import { exportModel } from '../../../src/engine/modelFiles/exportModel';
import { buildModel } from '../../../src/engine/models/buildModel';
import { analyzeSpec } from '../../../src/shared/architecture/analyzeSpec';
import type { ModelSpec } from '../../../src/shared/architecture/modelSpec';
import { PRESETS } from '../../../src/shared/architecture/presets';
import { EVERY_OP_SPECS } from '../../support/everyOpSpecs';
import { expectClose } from '../../support/tensorAssertions';
import type { ExportedCase } from '../../support/predictExported';

const run = promisify(execFile);
const random = seededRandom(4);

/** Two examples for each input of a spec: token ids with padding at the end, or pixels in [0, 1]. */
function exampleInputs(spec: ModelSpec, vocabSizes: Record<string, number>): ExportedCase['inputs'] {
  return spec.inputs.map((input) => {
    if (input.kind === 'image') {
      const shape = [2, input.height, input.width, input.channels];
      return { shape, dtype: 'float32', values: Array.from({ length: shape.reduce((a, b) => a * b) }, () => random()) };
    }
    const values = Array.from({ length: 2 * input.maxLength }, (_, i) =>
      i % input.maxLength < input.maxLength - 2 ? 1 + Math.floor(random() * (vocabSizes[input.id]! - 1)) : 0,
    );
    return { shape: [2, input.maxLength], dtype: 'int32', values };
  });
}

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('exportModel', () => {
  it('every preset and every op: counted weights equal tf, and a fresh Node process loads the export and predicts the same', async () => {
    const specs = [...PRESETS.map((p) => p.spec), ...EVERY_OP_SPECS];
    const root = await mkdtemp(join(tmpdir(), 'export-'));
    const cases: (ExportedCase & { expected: number[] })[] = [];
    for (const [index, spec] of specs.entries()) {
      const vocabSizes = Object.fromEntries(spec.inputs.map((input) => [input.id, 23 + index]));
      const { model } = buildModel(spec, { vocabSizes, classes: 5, dropout: 0.1 });
      expect(analyzeSpec(spec, { vocabSizes, classes: 5 }).totalParams, spec.name).toBe(model.countParams());
      const inputs = exampleInputs(spec, vocabSizes);
      const output = tf.tidy(
        () => model.predict(inputs.map((i) => tf.tensor(i.values, i.shape, i.dtype))) as tf.Tensor,
      );
      const folder = join(root, `model${index}`);
      await exportModel(model, folder, {
        spec,
        classNames: ['a', 'b', 'c', 'd', 'e'],
        vocabularies: { x: ['<pad>', '<unk>'] },
      });
      cases.push({ folder, inputs, expected: [...(await output.data())] });
      output.dispose();
      model.dispose();
    }
    const casesFile = join(root, 'cases.json');
    await writeFile(casesFile, JSON.stringify(cases.map(({ folder, inputs }) => ({ folder, inputs }))));

    const script = new URL('../../support/predictExported.ts', import.meta.url).pathname;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script, casesFile], { maxBuffer: 64 << 20 });
    const loaded = JSON.parse(stdout) as number[][];
    cases.forEach((c, i) => expectClose(loaded[i]!, c.expected, 1e-5));
    const info = JSON.parse(await readFile(join(cases[0]!.folder, 'workbench.json'), 'utf8'));
    expect(info).toMatchObject({ classNames: ['a', 'b', 'c', 'd', 'e'], spec: { name: specs[0]!.name } });
  }, 120_000);
});
