import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../src/main/runs/runStore';
import type { TrainEvent } from '../../src/shared/events';
import { hyperParamsSchema } from '../../src/shared/hyperParams';
import { findPreset } from '../../src/shared/spec/presets';

/**
 * An independent reader of TensorBoard event files, written from the formats' specifications rather than shared
 * with the writer: TFRecord framing with masked CRC-32C (computed bit by bit here, not by the writer's library),
 * and a protocol-buffer decoder of the Event and Summary fields that TensorBoard's scalar plugin reads.
 */
function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
const masked = (bytes: Uint8Array) => {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
};

type Field = { number: number; value: number | bigint | Uint8Array };
function protoFields(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const varint = () => {
    let [value, shift] = [0n, 0n];
    for (;;) {
      const byte = bytes[at++]!;
      value |= BigInt(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return value;
      shift += 7n;
    }
  };
  while (at < bytes.length) {
    const key = Number(varint());
    const [number, wire] = [key >> 3, key & 7];
    if (wire === 0) fields.push({ number, value: varint() });
    else if (wire === 1) fields.push({ number, value: view.getFloat64((at += 8) - 8, true) });
    else if (wire === 5) fields.push({ number, value: view.getFloat32((at += 4) - 4, true) });
    else if (wire === 2) {
      const length = Number(varint());
      fields.push({ number, value: bytes.subarray(at, (at += length)) });
    } else throw new Error(`wire type ${wire}`);
  }
  return fields;
}

interface ReadEvent {
  step: number;
  fileVersion?: string;
  scalars: Record<string, number>;
}
function readEventFile(file: Buffer): ReadEvent[] {
  const events: ReadEvent[] = [];
  for (let at = 0; at < file.length;) {
    const length = Number(file.readBigUInt64LE(at));
    expect(file.readUInt32LE(at + 8)).toBe(masked(file.subarray(at, at + 8)));
    const data = file.subarray(at + 12, at + 12 + length);
    expect(file.readUInt32LE(at + 12 + length)).toBe(masked(data));
    at += 16 + length;
    const event: ReadEvent = { step: 0, scalars: {} };
    for (const field of protoFields(data)) {
      if (field.number === 2) event.step = Number(field.value);
      if (field.number === 3) event.fileVersion = new TextDecoder().decode(field.value as Uint8Array);
      if (field.number === 5) {
        for (const value of protoFields(field.value as Uint8Array)) {
          const parts = protoFields(value.value as Uint8Array);
          const tag = new TextDecoder().decode(parts.find((p) => p.number === 1)!.value as Uint8Array);
          event.scalars[tag] = parts.find((p) => p.number === 2)!.value as number;
        }
      }
    }
    events.push(event);
  }
  return events;
}

describe('TensorBoard event files', () => {
  it("hold the run's scalars, readable by an independent TFRecord and protobuf reader", async () => {
    const root = await mkdtemp(join(tmpdir(), 'tensorboard-'));
    const store = new RunStore(root);
    await store.create({
      id: 'r',
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
      status: 'running',
      datasetId: 'd',
      presetId: null,
      spec: findPreset('transformer-text')!.spec,
      hyperParams: hyperParamsSchema.parse({}),
    });
    const events: TrainEvent[] = [
      { type: 'progress', runId: 'r', epoch: 1, step: 1, globalStep: 1, loss: 1.5, samplesPerSecond: 100 },
      { type: 'progress', runId: 'r', epoch: 1, step: 2, globalStep: 2, loss: 0.75, samplesPerSecond: 120 },
      { type: 'epoch', runId: 'r', epoch: 1, loss: 1.1, accuracy: 0.5, valLoss: 0.9, valAccuracy: 0.625, seconds: 1 },
      { type: 'finished', runId: 'r', status: 'completed', epochs: 1, test: { loss: 0.8, accuracy: 0.75 } },
    ];
    for (const event of events) await store.append('r', event);
    const folder = join(root, 'r', 'tensorboard');
    const [file] = await readdir(folder);
    expect(file).toMatch(/^events\.out\.tfevents\.\d+\./);
    const read = readEventFile(await readFile(join(folder, file!)));
    expect(read[0]!.fileVersion).toBe('brain.Event:2');
    expect(read.slice(1)).toEqual([
      { step: 1, scalars: { 'train/loss': 1.5, 'train/samples_per_second': 100 } },
      { step: 2, scalars: { 'train/loss': 0.75, 'train/samples_per_second': 120 } },
      {
        step: 2,
        scalars: {
          'epoch/loss': expect.closeTo(1.1, 6),
          'epoch/accuracy': 0.5,
          'validation/loss': expect.closeTo(0.9, 6),
          'validation/accuracy': 0.625,
        },
      },
      { step: 2, scalars: { 'test/loss': expect.closeTo(0.8, 6), 'test/accuracy': 0.75 } },
    ]);
  });
});

describe('the metrics CSV', () => {
  it('has a row per progress report and per epoch, which a CSV parser reads back', async () => {
    const { metricsCsv } = await import('../../src/main/runs/metricsCsv');
    const Papa = (await import('papaparse')).default;
    const csv = metricsCsv([
      { type: 'progress', runId: 'r', epoch: 1, step: 1, globalStep: 1, loss: 1.5, samplesPerSecond: 100 },
      { type: 'attention', runId: 'r', epoch: 1, globalStep: 1, tokens: [], label: 'a', predicted: 'a', layers: [] },
      { type: 'progress', runId: 'r', epoch: 1, step: 2, globalStep: 2, loss: 0.75, samplesPerSecond: 120 },
      { type: 'epoch', runId: 'r', epoch: 1, loss: 1.1, accuracy: 0.5, valLoss: 0.9, valAccuracy: 0.625, seconds: 3 },
    ]);
    const rows = Papa.parse<Record<string, string>>(csv, { header: true }).data;
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatchObject({ kind: 'step', global_step: '2', loss: '0.75', samples_per_second: '120' });
    expect(rows[2]).toMatchObject({
      kind: 'epoch',
      epoch: '1',
      global_step: '2',
      val_loss: '0.9',
      val_accuracy: '0.625',
    });
  });
});
