import { appendFile, mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../src/main/runs/runStore';
import type { RunRecord } from '../../src/shared/runs';
import { hyperParamsSchema } from '../../src/shared/hyperParams';
import { findPreset } from '../../src/shared/architecture/presets';

const record = (id: string, createdAt: string): RunRecord => ({
  id,
  createdAt,
  updatedAt: createdAt,
  status: 'running',
  datasetId: 'keyword-topics',
  presetId: 'transformer-text',
  spec: findPreset('transformer-text')!.spec,
  hyperParams: hyperParamsSchema.parse({}),
});

describe('RunStore', () => {
  it('keeps run.json, an append-only metrics log in order, and one attention snapshot per epoch', async () => {
    const root = await mkdtemp(join(tmpdir(), 'runs-'));
    const store = new RunStore(root);
    await store.create(record('r1', '2026-01-01T00:00:00Z'));
    const writes = [];
    for (let step = 1; step <= 20; step++) {
      writes.push(
        store.append('r1', {
          type: 'progress',
          runId: 'r1',
          epoch: 1,
          step,
          globalStep: step,
          loss: 1 / step,
          samplesPerSecond: 10,
        }),
      );
    }
    writes.push(
      store.append('r1', {
        type: 'attention',
        runId: 'r1',
        epoch: 1,
        globalStep: 20,
        tokens: ['a', 'b'],
        label: 'x',
        predicted: 'x',
        layers: [
          {
            layer: 'l',
            kind: 'tokens',
            queryLabels: ['a', 'b'],
            keyLabels: ['a', 'b'],
            heads: 1,
            queries: 2,
            keys: 2,
            weights: new Float32Array([0.25, 0.75, 0.5, 0.5]),
          },
        ],
      }),
    );
    writes.push(
      store.append('r1', {
        type: 'epoch',
        runId: 'r1',
        epoch: 1,
        loss: 0.5,
        accuracy: 0.8,
        valLoss: 0.6,
        valAccuracy: 0.7,
        seconds: 1,
      }),
    );
    await Promise.all(writes);
    await store.update('r1', { status: 'completed', test: { loss: 0.4, accuracy: 0.9 } });

    const { run, events } = await store.get('r1');
    expect(run.status).toBe('completed');
    expect(run.test).toEqual({ loss: 0.4, accuracy: 0.9 });
    expect(events.map((e) => (e.type === 'progress' ? e.step : e.type))).toEqual([
      ...Array.from({ length: 20 }, (_, i) => i + 1),
      'epoch',
    ]);
    const snapshot = JSON.parse(await readFile(join(root, 'r1', 'attention', 'epoch-1.json'), 'utf8'));
    expect(snapshot.layers[0].weights).toEqual([0.25, 0.75, 0.5, 0.5]);
    expect(await readdir(join(root, 'r1'))).not.toContain('run.json.tmp');
  });

  it('reads every complete line when a crash left the last one half-written, and lists newest first', async () => {
    const root = await mkdtemp(join(tmpdir(), 'runs-'));
    const store = new RunStore(root);
    await store.create(record('old', '2026-01-01T00:00:00Z'));
    await store.create(record('new', '2026-02-01T00:00:00Z'));
    await store.append('old', {
      type: 'progress',
      runId: 'old',
      epoch: 1,
      step: 1,
      globalStep: 1,
      loss: 1,
      samplesPerSecond: 1,
    });
    await appendFile(join(root, 'old', 'metrics.log'), '0badc0de {"type":"progress","runId":"old","ep');
    expect((await store.get('old')).events).toHaveLength(1);
    // The next process to log to the run (a resumed run) cuts the torn record first: nothing complete is lost.
    await store.release('old');
    await new RunStore(root).append('old', {
      type: 'progress',
      runId: 'old',
      epoch: 1,
      step: 2,
      globalStep: 2,
      loss: 1,
      samplesPerSecond: 1,
    });
    const { events } = await store.get('old');
    expect(events.map((e) => e.type === 'progress' && e.step)).toEqual([1, 2]);
    expect((await store.list()).map((r) => r.id)).toEqual(['new', 'old']);
  });
});
