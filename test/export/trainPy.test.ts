import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMetricsLog } from '../../src/main/runs/metricsLog';
import { RunStore } from '../../src/main/runs/runStore';
import { readEventFile } from '../support/tensorboardReader';
import { writeImageFolder } from '../support/datasetFixtures';
import { fixtureWords, reviews, writeCsv } from '../support/textFixtures';

/**
 * train.py, the exported folder's trainer, run by Debian's PyTorch (.ci/run installs python3-torch): it evaluates
 * what the workbench trained as the workbench measured it, trains on one process and under torchrun with two, and
 * resumes without repeating an epoch. Without PyTorch these tests skip, saying why.
 */
const PYTHON = '/usr/bin/python3';
const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
const torchMissing = probe.status === 0 ? null : `${PYTHON} cannot import torch`;
if (torchMissing) console.log(`skipping the train.py tests: ${torchMissing}`);

const ROOT = new URL('../../', import.meta.url).pathname;
const cli = (script: string, args: string[], dataDir: string, env: Record<string, string> = {}) => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], {
    cwd: ROOT,
    env: { ...process.env, WORKBENCH_DATA_DIR: dataDir, ...env },
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (run.status !== 0) throw new Error(`npm run ${script} failed:\n${run.stderr}`);
  return run.stdout;
};

interface Finished {
  type: 'finished';
  epochs: number;
  test: { loss: number; accuracy: number };
}

/** Runs train.py (or torchrun with `processes`) in an export folder; returns its JSON events. */
function trainPy(folder: string, args: string[], processes = 1): Record<string, unknown>[] {
  // Debian's torch 1.13 on Python 3.11 cannot parse torchrun's default --redirects/--tee ("0"): 1 works alike here.
  const command =
    processes === 1
      ? [PYTHON, join(folder, 'train.py'), ...args]
      : [
          PYTHON,
          '-m',
          'torch.distributed.run',
          `--nproc_per_node=${processes}`,
          '--redirects',
          '1',
          '--tee',
          '1',
          '--log_dir',
          join(folder, 'torchrun-logs'),
          join(folder, 'train.py'),
          ...args,
        ];
  const run = spawnSync(command[0]!, command.slice(1), {
    cwd: folder,
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1' },
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`train.py failed (${run.status ?? run.error}):\n${run.stderr}\n${run.stdout}`);
  return run.stdout
    .split('\n')
    .map((line) => line.replace(/^\[default\d+\]:/, ''))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const finished = (events: Record<string, unknown>[]) =>
  events.find((e) => e['type'] === 'finished') as unknown as Finished;

describe('train.py', () => {
  it('evaluates a workbench run on its test split as the workbench measured it, to 0.2 points', async () => {
    if (torchMissing) return;
    const dataDir = await mkdtemp(join(tmpdir(), 'train-py-'));
    const trained = cli(
      'train',
      ['--preset', 'transformer-text', '--dataset', 'keyword-topics', '--epochs', '2', '--json'],
      dataDir,
    );
    const workbench = trained
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { type: string; runId: string; test?: { accuracy: number } })
      .find((event) => event.type === 'finished')!;
    const folder = join(dataDir, 'exported');
    cli('export', ['--format', 'pytorch', '--run', workbench.runId, '--out', folder], dataDir);
    const python = finished(trainPy(folder, ['--epochs', '0', '--out', join(folder, 'evaluated')]));
    console.log(`test accuracy: workbench ${workbench.test!.accuracy}, PyTorch ${python.test.accuracy}`);
    expect(Math.abs(python.test.accuracy - workbench.test!.accuracy)).toBeLessThanOrEqual(0.002);
    expect(python.epochs).toBe(0);
  }, 300_000);

  it.each([
    ['transformer-text', 'keyword-topics'],
    ['conv-attention-image', 'object-in-clutter'],
  ])(
    '%s: one epoch under torchrun with two processes lowers the test loss, and writes the run',
    async (preset, dataset) => {
      if (torchMissing) return;
      const dataDir = await mkdtemp(join(tmpdir(), 'torchrun-'));
      const folder = join(dataDir, 'exported');
      cli('export', ['--format', 'pytorch', '--preset', preset, '--dataset', dataset, '--out', folder], dataDir);
      const before = finished(trainPy(folder, ['--epochs', '0', '--out', join(folder, 'untrained')]));
      const events = trainPy(folder, ['--epochs', '1', '--out', join(folder, 'run')], 2);
      const after = finished(events);
      console.log(
        `${preset} under torchrun x2: test loss ${before.test.loss.toFixed(3)} -> ${after.test.loss.toFixed(3)}`,
      );
      expect(after.test.loss).toBeLessThan(before.test.loss);
      expect(events[0]).toMatchObject({
        type: 'started',
        processes: 2,
        backend: expect.stringMatching(/torchrun 2×cpu$/),
      });
      const record = JSON.parse(await readFile(join(folder, 'run', 'run.json'), 'utf8'));
      expect(record).toMatchObject({ status: 'completed', test: after.test });
      const logged = parseMetricsLog(await readFile(join(folder, 'run', 'metrics.log'), 'utf8'));
      expect(logged.skipped).toBe(0);
      expect(logged.records.map((r) => (r as { type: string }).type)).toContain('epoch');

      // TensorBoard's files, read by the same independent reader as the workbench's own.
      const board = join(folder, 'run', 'tensorboard');
      const [eventFile] = await readdir(board);
      const scalars = readEventFile(await readFile(join(board, eventFile!)));
      expect(scalars[0]!.fileVersion).toBe('brain.Event:2');
      const epochScalars = scalars.find((e) => 'validation/loss' in e.scalars)!.scalars;
      const epochEvent = events.find((e) => e['type'] === 'epoch') as { valLoss: number };
      expect(epochScalars['validation/loss']).toBeCloseTo(epochEvent.valLoss, 5);
      expect(scalars.at(-1)!.scalars['test/accuracy']).toBeCloseTo(after.test.accuracy, 5);

      // Back in the workbench: listed like a local run, its test report computed by the workbench from its weights.
      const imported = cli('train', ['--import-run', folder], dataDir);
      const runId = /^imported run (\S+) \(pytorch .* · torchrun 2×cpu, test accuracy [\d.]+%\)/m.exec(imported)![1]!;
      const store = new RunStore(join(dataDir, 'runs'));
      expect(await store.record(runId)).toMatchObject({ origin: 'import', status: 'completed', test: after.test });
      const evaluation = (await store.evaluation(runId))!;
      console.log(
        `${preset} imported: test accuracy ${after.test.accuracy} in PyTorch, ${evaluation.accuracy} in the workbench`,
      );
      expect(Math.abs(evaluation.accuracy - after.test.accuracy)).toBeLessThanOrEqual(0.002);
      expect(await store.attentionEpochs(runId)).toEqual([1]);
      const stored = await store.get(runId);
      expect(stored.events.filter((e) => e.type === 'epoch')).toHaveLength(1);
    },
    300_000,
  );

  it('reads an image folder from its shards where they lie: the same examples, and torchrun x2 learns from them', async () => {
    if (torchMissing) return;
    const dataDir = await mkdtemp(join(tmpdir(), 'train-py-shards-'));
    await writeImageFolder(join(dataDir, 'colours'), 60);
    const imported = cli('import', [join(dataDir, 'colours'), '--format', 'image-folder'], dataDir, { LANG: 'C' });
    const datasetId = /^dataset (\S+) \(colours\): 120 examples$/m.exec(imported)![1]!;
    const exportFolder = (name: string, env: Record<string, string>) => {
      const folder = join(dataDir, name);
      // mlp-image: its recipe has no warm-up, so a few steps on 120 images move the loss.
      const args = ['--format', 'pytorch', '--preset', 'mlp-image', '--dataset', datasetId, '--out', folder];
      cli('export', args, dataDir, env);
      return folder;
    };
    // The same dataset exported twice: streamed from its shards (as a set over the in-memory size is), and copied.
    const sharded = exportFolder('sharded', { WORKBENCH_IN_MEMORY_BYTES: '0' });
    const copied = exportFolder('copied', {});
    const files = await readdir(join(sharded, 'data'));
    expect(files).toContain('shards.json');
    expect(files).not.toContain('train.safetensors');
    expect(await readdir(sharded)).toContain('sharded_dataset.py');
    expect(await readFile(join(sharded, 'README.md'), 'utf8')).toMatch(
      /its shards are read where they are .*--shards FOLDER/s,
    );
    // Every example of every split, as train.py feeds them, is the same bytes from the shards as from the copy.
    const digest = (folder: string) => {
      const script = [
        'import hashlib, sys',
        `sys.path.insert(0, ${JSON.stringify(folder)})`,
        'import train',
        'for name in ("train", "validation", "test"):',
        '    data, h = train.split(name), hashlib.sha256()',
        '    for item in data:',
        '        for x in item: h.update(str(x.dtype).encode()); h.update(x.numpy().tobytes())',
        '    print(name, len(data), h.hexdigest())',
      ].join('\n');
      const run = spawnSync(PYTHON, ['-c', script], { cwd: folder, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(run.stderr);
      return run.stdout;
    };
    const fromShards = digest(sharded);
    expect(fromShards).toMatch(/^train \d+ [0-9a-f]{64}\nvalidation \d+ [0-9a-f]{64}\ntest \d+ [0-9a-f]{64}\n$/);
    expect(fromShards).toBe(digest(copied));
    // DistributedSampler shares the shards among two processes, and three epochs lower the test loss.
    const before = finished(trainPy(sharded, ['--epochs', '0', '--out', join(sharded, 'untrained')]));
    const after = finished(trainPy(sharded, ['--epochs', '3', '--out', join(sharded, 'run')], 2));
    console.log(
      `sharded colours under torchrun x2: test loss ${before.test.loss.toFixed(3)} -> ${after.test.loss.toFixed(3)}`,
    );
    expect(after.test.loss).toBeLessThan(before.test.loss);
  }, 300_000);

  it('reads a big text file from its token-id shards: each text’s first ids, and train.py learns from them', async () => {
    if (torchMissing) return;
    const dataDir = await mkdtemp(join(tmpdir(), 'train-py-text-shards-'));
    const rows = reviews(400);
    await writeCsv(join(dataDir, 'reviews.csv'), rows);
    // Streamed into shards however small: the threshold is 0 bytes.
    const imported = cli('import', [join(dataDir, 'reviews.csv'), '--max-tokens', '40'], dataDir, {
      LANG: 'C',
      WORKBENCH_STREAM_TEXT_BYTES: '0',
    });
    expect(imported).toMatch(/texts\/s .*streamed into token-id shards/);
    const datasetId = /^dataset (\S+) \(reviews\.csv\): 400 examples$/m.exec(imported)![1]!;
    const folder = join(dataDir, 'exported');
    cli(
      'export',
      ['--format', 'pytorch', '--preset', 'transformer-text', '--dataset', datasetId, '--out', folder],
      dataDir,
    );
    expect(await readdir(join(folder, 'data'))).toContain('shards.json');
    // Each example as train.py feeds it: the record it reads, its ids decoded by the exported vocabulary, its class.
    const script = [
      'import json, sys',
      `sys.path.insert(0, ${JSON.stringify(folder)})`,
      'import train',
      'vocab = json.load(open("data/vocab.json"))["tokens"]',
      'classes = json.load(open("data/classes.json"))',
      'data = train.split("train")',
      'for i in range(len(data)):',
      '    ids, label = data[i]',
      '    assert ids.dtype == train.torch.int64 and tuple(ids.shape) == (64,)',
      '    print(int(data.records[i]), classes[int(label)], " ".join(vocab[t] for t in ids.tolist() if t != 0))',
    ].join('\n');
    const run = spawnSync(PYTHON, ['-c', script], { cwd: folder, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(run.stderr);
    const lines = run.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(250);
    for (const line of lines) {
      const [record, label, ...words] = line.split(' ');
      const source = rows[Number(record)]!;
      expect(label).toBe(source.label);
      expect(words).toEqual(fixtureWords(source.text).slice(0, 40));
    }
    const before = finished(trainPy(folder, ['--epochs', '0', '--out', join(folder, 'untrained')]));
    // One process: under torchrun x2 one rank of this model sometimes never leaves destroy_process_group (open, in
    // the note); the image test above covers the shards under DistributedSampler.
    const after = finished(trainPy(folder, ['--epochs', '3', '--out', join(folder, 'run')]));
    console.log(
      `sharded reviews, one process: test loss ${before.test.loss.toFixed(3)} -> ${after.test.loss.toFixed(3)}`,
    );
    expect(after.test.loss).toBeLessThan(before.test.loss);
  }, 300_000);

  it('resumes from its checkpoint without repeating an epoch, and writes model.onnx', async () => {
    if (torchMissing) return;
    const dataDir = await mkdtemp(join(tmpdir(), 'train-py-resume-'));
    const folder = join(dataDir, 'exported');
    cli(
      'export',
      ['--format', 'pytorch', '--preset', 'mlp-text', '--dataset', 'keyword-topics', '--out', folder],
      dataDir,
    );
    const out = join(folder, 'run');
    trainPy(folder, ['--epochs', '2', '--out', out]);
    const resumed = trainPy(folder, ['--epochs', '3', '--out', out, '--resume', '--onnx']);
    expect(resumed[0]).toMatchObject({ type: 'started', resumedFrom: { epoch: 2 } });
    const log = parseMetricsLog(await readFile(join(out, 'metrics.log'), 'utf8')).records as {
      type: string;
      epoch?: number;
    }[];
    expect(log.filter((r) => r.type === 'epoch').map((r) => r.epoch)).toEqual([1, 2, 3]);
    // --onnx: an ONNX model (a protocol buffer opening with its IR version, field 1) beside the weights.
    const onnx = await readFile(join(out, 'model.onnx'));
    expect(onnx.length).toBeGreaterThan(100_000);
    expect(onnx[0]).toBe(0x08);
    expect(onnx.includes(Buffer.from('logits'))).toBe(true);
  }, 300_000);
});
