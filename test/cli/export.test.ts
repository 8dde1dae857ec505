import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../../src/export/safetensors';
import { RunArtifactFiles } from '../../src/main/runs/runArtifactFiles';
import { nodeFileSystem } from '../../src/main/runs/runFileSystem';

const ROOT = new URL('../../', import.meta.url).pathname;
const cli = (script: string, args: string[], dataDir: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], {
    cwd: ROOT,
    env: { ...process.env, WORKBENCH_DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 120_000,
  });

describe('npm run export -- --format pytorch', () => {
  it("writes a trained run's final weights under the workbench's names, and refuses what it cannot export", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cli-export-'));
    const trained = cli(
      'train',
      ['--preset', 'mlp-text', '--dataset', 'keyword-topics', '--epochs', '1', '--max-train', '320'],
      dataDir,
    );
    expect(trained.status, trained.stderr).toBe(0);
    const runId = /^run (\S+) saved in/m.exec(trained.stdout)![1]!;

    const out = join(dataDir, 'exported');
    const exported = cli('export', ['--format', 'pytorch', '--run', runId, '--out', out], dataDir);
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stdout).toBe(
      'model.py, weights.safetensors, README.md, train.py, workbench.json, recipe.json, data/dataset.json, ' +
        'data/classes.json, data/vocab.json, data/tokenizer.json, data/train.safetensors, ' +
        `data/validation.safetensors, data/test.safetensors written to ${out} (run ${runId}, its final weights after epoch 1)\n`,
    );
    const { tensors, metadata } = decodeSafetensors(await readFile(join(out, 'weights.safetensors')));
    expect(metadata.source).toBe(`run ${runId}, its final weights after epoch 1`);
    const final = (await new RunArtifactFiles(nodeFileSystem, join(dataDir, 'runs')).loadCheckpoint(runId, ['final']))!;
    expect(tensors.map((t) => t.name)).toEqual(final.index.weights.map((w) => w.name.replace(/^\d+:/, '')));
    for (const [i, entry] of final.index.weights.entries()) {
      const bytes = final.tensors.slice(entry.offset, entry.offset + tensors[i]!.data.byteLength);
      const data = tensors[i]!.data;
      expect(Buffer.from(data.buffer, data.byteOffset, data.byteLength).equals(bytes)).toBe(true);
    }

    const refused = cli('export', ['--format', 'pytorch', '--preset', 'nope', '--out', join(dataDir, 'x')], dataDir);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('unknown preset "nope"');
    // A preset's initial weights export too: the whole catalog is covered (test/export/pytorchExport.test.ts).
    const preset = cli(
      'export',
      ['--format', 'pytorch', '--preset', 'cnn-lstm-text', '--out', join(dataDir, 'y')],
      dataDir,
    );
    expect(preset.status, preset.stderr).toBe(0);
    expect(preset.stdout).toContain('(initial weights (seed 42), not trained)');
    const wrongFormat = cli('export', ['--format', 'onnx', '--run', runId, '--out', out], dataDir);
    expect(wrongFormat.stderr).toContain('--format onnx: the one format is pytorch');
  }, 180_000);
});
