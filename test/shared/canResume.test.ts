import { describe, expect, it } from 'vitest';
import { hyperParamsSchema } from '../../src/shared/hyperParams';
import { canResume, type RunRecord } from '../../src/shared/runs';
import { runRecord } from '../support/runRecords';

const run = (overrides: Partial<RunRecord>): RunRecord => runRecord('r', { status: 'stopped', ...overrides });

describe('which runs the Runs view offers to resume', () => {
  const best = { epoch: 1, valLoss: 0.4, valAccuracy: 0.9 };

  it('a stopped, failed or interrupted run with an epoch behind it (and so a checkpoint)', () => {
    for (const status of ['stopped', 'failed', 'interrupted'] as const)
      expect(canResume(run({ status, best }))).toBe(true);
  });

  it('not one stopped before its first epoch ended, nor one trained with checkpoints off', () => {
    expect(canResume(run({ status: 'stopped' }))).toBe(false);
    expect(canResume(run({ best, hyperParams: hyperParamsSchema.parse({ checkpointEvery: 0 }) }))).toBe(false);
  });

  it('not one that is live or completed', () => {
    for (const status of ['queued', 'running', 'paused', 'completed'] as const)
      expect(canResume(run({ status, best }))).toBe(false);
  });
});
