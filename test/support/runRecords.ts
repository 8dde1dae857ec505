import { hyperParamsSchema } from '../../src/shared/hyperParams';
import type { RunRecord } from '../../src/shared/runs';
import { findPreset } from '../../src/shared/architecture/presets';

/** A valid run.json of the transformer-text preset, with whatever a test changes. */
export function runRecord(id: string, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    status: 'completed',
    datasetId: 'keyword-topics',
    presetId: 'transformer-text',
    spec: findPreset('transformer-text')!.spec,
    hyperParams: hyperParamsSchema.parse({}),
    ...extra,
  };
}
