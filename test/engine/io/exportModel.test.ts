import { execFile } from 'node:child_process';
import { readFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { exportModel } from '../../../src/engine/io/exportModel';
import { buildModel } from '../../../src/engine/models/buildModel';
import { findPreset } from '../../../src/shared/spec/presets';
import { expectClose } from '../../support/tensorAssertions';

const run = promisify(execFile);

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('exportModel', () => {
  it('writes a model that a fresh Node process loads with tf.loadLayersModel and that predicts the same', async () => {
    const spec = structuredClone(findPreset('transformer-text')!.spec);
    spec.inputs[0] = { id: 'tokens', kind: 'tokens', maxLength: 12, vocabSize: 50 };
    const { model } = buildModel(spec, { vocabSize: 50, classes: 3, dropout: 0.1 });
    const ids = [
      [5, 9, 2, 44, 7, 0, 0, 0, 0, 0, 0, 0],
      [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 49],
    ];
    const expected = (await (model.predict(tf.tensor2d(ids, undefined, 'int32')) as tf.Tensor).array()) as number[][];
    const folder = await mkdtemp(join(tmpdir(), 'export-'));
    await exportModel(model, folder, { spec, classNames: ['a', 'b', 'c'], maxLength: 12, vocabulary: ['<pad>', '<unk>', 'x'] });
    model.dispose();

    const script = new URL('../../support/predictExported.ts', import.meta.url).pathname;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script, folder, JSON.stringify(ids)]);
    const loaded = JSON.parse(stdout) as number[][];
    expectClose(loaded.flat(), expected.flat(), 1e-5);
    const info = JSON.parse(await readFile(join(folder, 'workbench.json'), 'utf8'));
    expect(info).toMatchObject({ classNames: ['a', 'b', 'c'], maxLength: 12, spec: { name: spec.name } });
  });
});
