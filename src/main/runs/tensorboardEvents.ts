import { hostname } from 'node:os';
import { join } from 'node:path';
import crc32c from 'crc-32/crc32c.js';
import protobuf from 'protobufjs';
import type { TrainEvent } from '../../shared/events';
import { nodeFileSystem, type RunFileSystem } from './runFileSystem';

/**
 * TensorBoard's event files for a run's scalars, so that `tensorboard --logdir <runs folder>` shows its curves.
 * A file is a TFRecord stream (length, masked CRC-32C of the length, data, masked CRC-32C of the data) of Event
 * protocol buffers: first one naming the file version, then one per scalar. protobufjs encodes them from the
 * two messages' definitions (tensorflow/core/util/event.proto and framework/summary.proto, scalar fields only).
 */
const root = protobuf.Root.fromJSON({
  nested: {
    Event: {
      fields: {
        wallTime: { type: 'double', id: 1 },
        step: { type: 'int64', id: 2 },
        fileVersion: { type: 'string', id: 3 },
        summary: { type: 'Summary', id: 5 },
      },
    },
    Summary: {
      fields: { value: { rule: 'repeated', type: 'Value', id: 1 } },
      nested: { Value: { fields: { tag: { type: 'string', id: 1 }, simpleValue: { type: 'float', id: 2 } } } },
    },
  },
});
const EventMessage = root.lookupType('Event');

/** TFRecord's checksum: CRC-32C, rotated right by 15 bits, plus a constant. */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c.buf(bytes) >>> 0;
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

export function tfRecord(data: Uint8Array): Buffer {
  const header = Buffer.alloc(12);
  header.writeBigUInt64LE(BigInt(data.length), 0);
  header.writeUInt32LE(maskedCrc32c(header.subarray(0, 8)), 8);
  const footer = Buffer.alloc(4);
  footer.writeUInt32LE(maskedCrc32c(data), 0);
  return Buffer.concat([header, data, footer]);
}

function eventRecord(fields: { step?: number; fileVersion?: string; scalars?: Record<string, number> }): Buffer {
  const message = EventMessage.create({
    wallTime: Date.now() / 1000,
    ...(fields.step !== undefined ? { step: fields.step } : {}),
    ...(fields.fileVersion ? { fileVersion: fields.fileVersion } : {}),
    ...(fields.scalars
      ? { summary: { value: Object.entries(fields.scalars).map(([tag, simpleValue]) => ({ tag, simpleValue })) } }
      : {}),
  });
  return tfRecord(EventMessage.encode(message).finish());
}

/** The scalars an event carries, with the step TensorBoard files them under. */
function scalarsOf(event: TrainEvent, lastStep: number): { step: number; scalars: Record<string, number> } | null {
  if (event.type === 'progress')
    return {
      step: event.globalStep,
      scalars: { 'train/loss': event.loss, 'train/samples_per_second': event.samplesPerSecond },
    };
  if (event.type === 'epoch') {
    return {
      step: lastStep,
      scalars: {
        'epoch/loss': event.loss,
        'epoch/accuracy': event.accuracy,
        'validation/loss': event.valLoss,
        'validation/accuracy': event.valAccuracy,
      },
    };
  }
  if (event.type === 'finished' && event.test)
    return { step: lastStep, scalars: { 'test/loss': event.test.loss, 'test/accuracy': event.test.accuracy } };
  return null;
}

/** Appends one run's scalars to its event file under `<run folder>/tensorboard/`; one writer per run. */
export class TensorboardWriter {
  private file: string | null = null;
  private lastStep = 0;

  constructor(
    private readonly folder: string,
    private readonly files: RunFileSystem = nodeFileSystem,
  ) {}

  async write(event: TrainEvent): Promise<void> {
    if (event.type === 'progress') this.lastStep = event.globalStep;
    const scalars = scalarsOf(event, this.lastStep);
    if (!scalars) return;
    if (!this.file) {
      await this.files.mkdir(this.folder, { recursive: true });
      this.file = join(this.folder, `events.out.tfevents.${Math.floor(Date.now() / 1000)}.${hostname()}`);
      await this.files.appendFile(this.file, eventRecord({ fileVersion: 'brain.Event:2' }));
    }
    await this.files.appendFile(this.file, eventRecord(scalars));
  }
}
