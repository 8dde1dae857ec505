import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetLibrary } from '../../src/engine/data/datasetLibrary';
import { RunStore } from '../../src/main/runStore';
import { TrainingService } from '../../src/main/services/trainingService';
import type { TrainingSupervisor } from '../../src/main/training/trainingSupervisor';
import type { TrainEvent } from '../../src/shared/events';
import { hyperParamsSchema } from '../../src/shared/hyperParams';
import { findPreset } from '../../src/shared/spec/presets';

/** A supervisor that trains nothing: the test plays the worker's events itself. */
function fakeSupervisor() {
  let listener: (event: TrainEvent) => void = () => undefined;
  const started: string[] = [];
  const supervisor = {
    onEvent: (l: (event: TrainEvent) => void) => ((listener = l), () => undefined),
    start: (runId: string) => started.push(runId),
    stop: () => true,
  } as unknown as TrainingSupervisor;
  return { supervisor, started, emit: (event: TrainEvent) => listener(event) };
}

// Built-in datasets only: the import folder is empty.
const builtinOnly = new DatasetLibrary({ cacheDir: tmpdir(), datasetsDir: join(tmpdir(), 'no-imported-datasets') });

describe('TrainingService', () => {
  it('refuses an unknown preset before creating a run', async () => {
    const fake = fakeSupervisor();
    const service = new TrainingService(fake.supervisor, new RunStore(await mkdtemp(join(tmpdir(), 'runs-'))), () => undefined, builtinOnly);
    await expect(service.start({ presetId: 'nope', datasetId: 'spam-assassin', hyperParams: hyperParamsSchema.parse({}) })).rejects.toThrow(
      'unknown preset "nope"',
    );
    expect(fake.started).toEqual([]);
  });

  it('records the spec a request sends as the run\'s spec, and refuses an invalid or mismatched one naming the node', async () => {
    const root = await mkdtemp(join(tmpdir(), 'runs-'));
    const fake = fakeSupervisor();
    const service = new TrainingService(fake.supervisor, new RunStore(root), () => undefined, builtinOnly);
    const preset = findPreset('transformer-text')!.spec;
    const drawn = { ...preset, name: 'Two heads', nodes: preset.nodes.map((n) => (n.op === 'transformerEncoder' ? { ...n, params: { heads: 2, ffnDim: 32 } } : n)) };
    const { runId } = await service.start({ spec: drawn, datasetId: 'keyword-topics', hyperParams: hyperParamsSchema.parse({}) });
    const record = JSON.parse(readFileSync(join(root, runId, 'run.json'), 'utf8'));
    expect(record).toMatchObject({ presetId: null, spec: { name: 'Two heads' } });
    expect(record.spec.nodes.find((n: { id: string }) => n.id === 'encoder2').params).toEqual({ heads: 2, ffnDim: 32 });

    const wrong = { ...drawn, nodes: drawn.nodes.map((n) => (n.id === 'encoder2' ? { ...n, params: { heads: 5, ffnDim: 32 } } : n)) };
    await expect(service.start({ spec: wrong, datasetId: 'keyword-topics', hyperParams: hyperParamsSchema.parse({}) })).rejects.toThrow(
      'the architecture "Two heads" is invalid: node "encoder2", parameter "heads": 5 heads do not divide the model width 64',
    );
    await expect(service.start({ spec: drawn, datasetId: 'date-formats', hyperParams: hyperParamsSchema.parse({}) })).rejects.toThrow(
      'the architecture "Two heads" is for text-classification, but the dataset "',
    );
    expect(fake.started).toEqual([runId]);
  });

  it('passes events on in order, each only once it is on disk', async () => {
    const root = await mkdtemp(join(tmpdir(), 'runs-'));
    const fake = fakeSupervisor();
    const seen: { type: string; statusOnDisk: string }[] = [];
    const service = new TrainingService(fake.supervisor, new RunStore(root), (event) => {
      const onDisk = JSON.parse(readFileSync(join(root, event.runId, 'run.json'), 'utf8'));
      seen.push({ type: event.type, statusOnDisk: onDisk.status });
    }, builtinOnly);
    const { runId } = await service.start({ presetId: 'transformer-text', datasetId: 'keyword-topics', hyperParams: hyperParamsSchema.parse({}) });
    expect(fake.started).toEqual([runId]);
    fake.emit({ type: 'attention', runId, epoch: 0, globalStep: 0, tokens: [], label: 'a', predicted: 'a', layers: [] });
    for (let step = 1; step <= 3; step++) {
      fake.emit({ type: 'progress', runId, epoch: 1, step, globalStep: step, loss: 1, samplesPerSecond: 1 });
    }
    fake.emit({ type: 'finished', runId, status: 'stopped', reason: 'stopped by the user', epochs: 0 });
    await expect.poll(() => seen.length).toBe(5);
    expect(seen.map((s) => s.type)).toEqual(['attention', 'progress', 'progress', 'progress', 'finished']);
    expect(seen.at(-1)).toEqual({ type: 'finished', statusOnDisk: 'stopped' });
  });
});
