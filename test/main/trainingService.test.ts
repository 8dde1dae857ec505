import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetLibrary } from '../../src/engine/data/library/datasetLibrary';
import { RunStore } from '../../src/main/runs/runStore';
import { TrainingService } from '../../src/main/services/trainingService';
import { hyperParamsSchema } from '../../src/shared/hyperParams';
import { findPreset } from '../../src/shared/architecture/presets';
import { playedProcess } from '../support/playedProcess';
import { fakeSupervisor } from '../support/fakeSupervisor';

// Built-in datasets only: the import folder is empty.
const builtinOnly = new DatasetLibrary({ cacheDir: tmpdir(), datasetsDir: join(tmpdir(), 'no-imported-datasets') });

describe('TrainingService', () => {
  it('refuses an unknown preset before creating a run', async () => {
    const fake = fakeSupervisor();
    const service = new TrainingService(
      fake.supervisor,
      new RunStore(await mkdtemp(join(tmpdir(), 'runs-'))),
      () => undefined,
      builtinOnly,
    );
    await expect(
      service.start({ presetId: 'nope', datasetId: 'spam-assassin', hyperParams: hyperParamsSchema.parse({}) }),
    ).rejects.toThrow('unknown preset "nope"');
    expect(fake.started).toEqual([]);
  });

  it("records the spec a request sends as the run's spec, and refuses an invalid or mismatched one naming the node", async () => {
    const root = await mkdtemp(join(tmpdir(), 'runs-'));
    const fake = fakeSupervisor();
    const service = new TrainingService(fake.supervisor, new RunStore(root), () => undefined, builtinOnly);
    const preset = findPreset('transformer-text')!.spec;
    const drawn = {
      ...preset,
      name: 'Two heads',
      nodes: preset.nodes.map((n) => (n.op === 'transformerEncoder' ? { ...n, params: { heads: 2, ffnDim: 32 } } : n)),
    };
    const { runId } = await service.start({
      spec: drawn,
      datasetId: 'keyword-topics',
      hyperParams: hyperParamsSchema.parse({}),
    });
    const record = JSON.parse(readFileSync(join(root, runId, 'run.json'), 'utf8'));
    expect(record).toMatchObject({ presetId: null, spec: { name: 'Two heads' } });
    expect(record.spec.nodes.find((n: { id: string }) => n.id === 'encoder2').params).toEqual({ heads: 2, ffnDim: 32 });

    const wrong = {
      ...drawn,
      nodes: drawn.nodes.map((n) => (n.id === 'encoder2' ? { ...n, params: { heads: 5, ffnDim: 32 } } : n)),
    };
    await expect(
      service.start({ spec: wrong, datasetId: 'keyword-topics', hyperParams: hyperParamsSchema.parse({}) }),
    ).rejects.toThrow(
      'the architecture "Two heads" is invalid: node "encoder2", parameter "heads": 5 heads do not divide the model width 64',
    );
    await expect(
      service.start({ spec: drawn, datasetId: 'date-formats', hyperParams: hyperParamsSchema.parse({}) }),
    ).rejects.toThrow('the architecture "Two heads" is for text-classification, but the dataset "');
    expect(fake.started).toEqual([runId]);
  });

  it('refuses a model that cannot fit the backend at train:start, with the estimate and the limit, before creating a run', async () => {
    const root = await mkdtemp(join(tmpdir(), 'runs-'));
    const fake = fakeSupervisor();
    const service = new TrainingService(fake.supervisor, new RunStore(root), () => undefined, builtinOnly);
    const preset = findPreset('transformer-text')!.spec;
    // Two 65,536-wide dense layers on a 64 x 64 sequence: about 4.3 billion weights, 69 GiB with Adam.
    const huge = {
      ...preset,
      name: 'Too big',
      nodes: [
        ...preset.nodes.slice(0, preset.nodes.findIndex((n) => n.id === 'encoder2') + 1),
        { id: 'wide', op: 'flatten', params: {}, inputs: ['encoder2'] },
        { id: 'wider', op: 'dense', params: { units: 65_536 }, inputs: ['wide'] },
        { id: 'widest', op: 'dense', params: { units: 65_536 }, inputs: ['wider'] },
        { id: 'head', op: 'classifier', params: {}, inputs: ['widest'] },
      ],
      outputs: ['head'],
    };
    await expect(
      service.start({ spec: huge, datasetId: 'keyword-topics', hyperParams: hyperParamsSchema.parse({ replicas: 1 }) }),
    ).rejects.toThrow(
      /^the architecture "Too big" needs about \d+\.\d GiB to train at batch size 32 \(weights .*\), more than the 4\.0 GiB heap of the wasm backend: make the model smaller or lower the batch size$/,
    );
    // Two replicas: two copies, each with its own heap, each too big for it.
    await expect(
      service.start({ spec: huge, datasetId: 'keyword-topics', hyperParams: hyperParamsSchema.parse({ replicas: 2 }) }),
    ).rejects.toThrow(
      /over 2 replicas \(each .* for its 16 examples\), more than the 4\.0 GiB heap of each replica's wasm backend: .* or the replicas$/,
    );
    expect(fake.started).toEqual([]);
    expect(readdirSync(root)).toEqual([]);
  });

  it('records a run as queued until the worker starts it, and marks queued and running runs of a closed app interrupted', async () => {
    const root = await mkdtemp(join(tmpdir(), 'runs-'));
    const fake = fakeSupervisor();
    // The first app plays a process that then dies: the restarted one finds its locks stale.
    const store = new RunStore(root, { identity: playedProcess() });
    const service = new TrainingService(fake.supervisor, store, () => undefined, builtinOnly);
    const hyperParams = hyperParamsSchema.parse({});
    const status = (id: string) => JSON.parse(readFileSync(join(root, id, 'run.json'), 'utf8')).status as string;
    const first = await service.start({ presetId: 'transformer-text', datasetId: 'keyword-topics', hyperParams });
    const second = await service.start({ presetId: 'transformer-text', datasetId: 'keyword-topics', hyperParams });
    expect([status(first.runId), status(second.runId)]).toEqual(['queued', 'queued']);
    fake.emit({
      type: 'started',
      runId: first.runId,
      backend: { name: 'wasm', skipped: [] },
      datasetId: 'keyword-topics',
      presetId: 'transformer-text',
      modelName: 'm',
      hyperParams,
      parameterCount: 1,
      classNames: ['a', 'b'],
      split: { train: 1, validation: 1, test: 1 },
      stepsPerEpoch: 1,
    });
    await expect.poll(() => status(first.runId)).toBe('running');
    const restarted = new TrainingService(
      fakeSupervisor().supervisor,
      new RunStore(root),
      () => undefined,
      builtinOnly,
    );
    await restarted.recoverInterrupted();
    const reason = (id: string) => JSON.parse(readFileSync(join(root, id, 'run.json'), 'utf8')).reason as string;
    expect([status(first.runId), reason(first.runId)]).toEqual(['interrupted', 'the app closed while it trained']);
    expect([status(second.runId), reason(second.runId)]).toEqual(['interrupted', 'the app closed before it started']);

    // An interrupted run resumes from its latest checkpoint; one that never finished an epoch has none to go on from.
    await expect(restarted.resume(second.runId)).rejects.toThrow(
      `run ${second.runId} has no checkpoint to resume from`,
    );
    await mkdir(join(root, first.runId, 'checkpoints', 'latest'), { recursive: true });
    const index = { format: 1, epoch: 1, globalStep: 1, valLoss: 0.5, weights: [], optimizer: [] };
    await writeFile(join(root, first.runId, 'checkpoints', 'latest', 'checkpoint.json'), JSON.stringify(index));
    await writeFile(join(root, first.runId, 'checkpoints', 'latest', 'tensors.bin'), '');
    const resumer = fakeSupervisor();
    const again = new TrainingService(resumer.supervisor, new RunStore(root), () => undefined, builtinOnly);
    await again.resume(first.runId);
    expect(resumer.plans).toEqual([
      expect.objectContaining({ runId: first.runId, resume: true, datasetId: 'keyword-topics' }),
    ]);
    expect(status(first.runId)).toBe('queued');
    expect((await again.active()).map((run) => run.id)).toEqual([first.runId]);
    // A second resume while the first holds the run is refused, naming the holder.
    await expect(again.resume(first.runId)).rejects.toThrow(
      new RegExp(`^run ${first.runId} is being resumed by the app \\(pid ${process.pid}, since `),
    );
  });

  it('resolves the request once into a plan: the worker gets what run.json records, sized to the dataset', async () => {
    const root = await mkdtemp(join(tmpdir(), 'runs-'));
    const fake = fakeSupervisor();
    const service = new TrainingService(fake.supervisor, new RunStore(root), () => undefined, builtinOnly);
    // The preset is drawn for 32x32 colour; mnist-digits holds 28x28 grey digits.
    const { runId } = await service.start({
      presetId: 'conv-attention-image',
      datasetId: 'mnist-digits',
      hyperParams: hyperParamsSchema.parse({ epochs: 2 }),
      tokenizer: { kind: 'word', minFrequency: 1 },
    });
    const [plan] = fake.plans;
    expect(plan).toMatchObject({
      runId,
      datasetId: 'mnist-digits',
      presetId: 'conv-attention-image',
      hyperParams: { epochs: 2 },
    });
    expect(plan!.spec.inputs[0]).toMatchObject({ height: 28, width: 28, channels: 1 });
    const record = JSON.parse(readFileSync(join(root, runId, 'run.json'), 'utf8'));
    expect(record.spec).toEqual(plan!.spec);
    expect(record.hyperParams).toEqual(plan!.hyperParams);
  });

  it('passes events on in order, each only once it is on disk', async () => {
    const root = await mkdtemp(join(tmpdir(), 'runs-'));
    const fake = fakeSupervisor();
    const seen: { type: string; statusOnDisk: string }[] = [];
    const service = new TrainingService(
      fake.supervisor,
      new RunStore(root),
      (event) => {
        const onDisk = JSON.parse(readFileSync(join(root, event.runId, 'run.json'), 'utf8'));
        seen.push({ type: event.type, statusOnDisk: onDisk.status });
      },
      builtinOnly,
    );
    const { runId } = await service.start({
      presetId: 'transformer-text',
      datasetId: 'keyword-topics',
      hyperParams: hyperParamsSchema.parse({}),
    });
    expect(fake.started).toEqual([runId]);
    fake.emit({
      type: 'attention',
      runId,
      epoch: 0,
      globalStep: 0,
      tokens: [],
      label: 'a',
      predicted: 'a',
      layers: [],
    });
    for (let step = 1; step <= 3; step++) {
      fake.emit({ type: 'progress', runId, epoch: 1, step, globalStep: step, loss: 1, samplesPerSecond: 1 });
    }
    fake.emit({ type: 'finished', runId, status: 'stopped', reason: 'stopped by the user', epochs: 0 });
    await expect.poll(() => seen.length).toBe(5);
    expect(seen.map((s) => s.type)).toEqual(['attention', 'progress', 'progress', 'progress', 'finished']);
    expect(seen.at(-1)).toEqual({ type: 'finished', statusOnDisk: 'stopped' });
  });
});
