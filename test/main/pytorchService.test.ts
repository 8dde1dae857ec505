import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../../src/export/safetensors';
import { createWorkbench } from '../../src/main/createWorkbench';
import { hyperParamsSchema } from '../../src/shared/hyperParams';
import { launchSourceWorker } from '../support/sourceWorker';

const PYTHON = '/usr/bin/python3';
const torchMissing = spawnSync(PYTHON, ['-c', 'import torch']).status === 0 ? null : `${PYTHON} cannot import torch`;
if (torchMissing) console.log(`skipping the app's PyTorch export and import test: ${torchMissing}`);

describe("the app's Export to PyTorch and Import run", () => {
  it('exports an architecture through the worker, trains it with train.py, and imports the run back', async () => {
    if (torchMissing) return;
    const dataDir = await mkdtemp(join(tmpdir(), 'app-pytorch-'));
    const workbench = await createWorkbench({
      dataDir,
      version: 'test',
      transport: 'browser-host',
      launchWorker: launchSourceWorker,
      backend: 'wasm',
    });
    try {
      const request = {
        presetId: 'mlp-text',
        datasetId: 'keyword-topics',
        hyperParams: hyperParamsSchema.parse({ epochs: 1 }),
      };
      const exported = await workbench.handlers['architecture:export-pytorch'](request);
      expect(exported.path.startsWith(join(dataDir, 'exports', 'Fully-connected-text-baseline-'))).toBe(true);
      expect(exported.files).toContain('train.py');
      expect(exported.source).toBe('initial weights (seed 42), not trained');

      const trained = spawnSync(PYTHON, ['train.py'], {
        cwd: exported.path,
        encoding: 'utf8',
        env: { ...process.env, OMP_NUM_THREADS: '1' },
      });
      expect(trained.status, trained.stderr).toBe(0);

      const record = await workbench.handlers['runs:import']({ path: exported.path });
      expect(record).toMatchObject({ origin: 'import', status: 'completed', datasetId: 'keyword-topics' });
      expect(record.trainedBy).toMatch(/^pytorch 1\.13.* · 1×cpu$/);
      const evaluation = (await workbench.handlers['runs:evaluation']({ runId: record.id }))!;
      expect(Math.abs(evaluation.accuracy - record.test!.accuracy)).toBeLessThanOrEqual(0.002);
      // The same predictions, example by example: the test rows PyTorch gets wrong, with what it predicts, are the
      // mistakes the workbench lists from the imported weights (all of them: fewer than its 200).
      const predicted = spawnSync(
        PYTHON,
        [
          '-c',
          `import json, sys, torch
sys.path.insert(0, ".")
from model import Model, load_workbench_weights, read_safetensors
model = Model().eval()
load_workbench_weights(model, "run/weights.safetensors")
test = read_safetensors("data/test.safetensors")
with torch.no_grad():
    logits, _ = model(test["tokens"].long())
guess, truth = logits.argmax(-1).tolist(), test["targets"].tolist()
print(json.dumps([[row, g, t] for row, (g, t) in enumerate(zip(guess, truth)) if g != t]))`,
        ],
        { cwd: exported.path, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } },
      );
      expect(predicted.status, predicted.stderr).toBe(0);
      const wrongInTorch = JSON.parse(predicted.stdout) as number[][];
      expect(wrongInTorch.length).toBeGreaterThan(0);
      expect(wrongInTorch.length).toBeLessThan(200);
      expect(evaluation.mistakes.map((m) => [m.row, m.predictedClass, m.trueClass])).toEqual(wrongInTorch);

      expect((await workbench.handlers['runs:details']({ runId: record.id })).checkpoints).toEqual([
        expect.objectContaining({ slot: 'final', epoch: 1 }),
      ]);

      // The imported run exports again with the weights PyTorch trained.
      const again = await workbench.handlers['runs:export-pytorch']({ runId: record.id });
      expect(again.source).toBe(`run ${record.id}, its final weights after epoch 1`);
      const python = decodeSafetensors(await readFile(join(exported.path, 'run', 'weights.safetensors')));
      const workbenchCopy = decodeSafetensors(await readFile(join(again.path, 'weights.safetensors')));
      const byName = new Map(python.tensors.map((t) => [t.name, [...t.data]]));
      for (const tensor of workbenchCopy.tensors)
        expect([...tensor.data], tensor.name).toEqual(byName.get(tensor.name));

      await expect(workbench.handlers['runs:import']({ path: join(dataDir, 'nowhere') })).rejects.toThrow(
        /workbench\.json: missing$/,
      );
    } finally {
      await workbench.close();
    }
  }, 180_000);
});
