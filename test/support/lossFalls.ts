import { expect } from 'vitest';
import { runTraining, type TrainingJob } from '../../src/engine/train/runTraining';
import type { EpochEvent, TrainEvent } from '../../src/shared/events';

/**
 * Trains a job with no monitoring during epochs and checks that it completed, ran `epochs` epochs, and ended with a
 * lower training loss than its first epoch's.
 */
export async function expectTrainingLossFalls(job: TrainingJob, epochs: number): Promise<void> {
  const events: TrainEvent[] = [];
  const finished = await runTraining(
    job,
    { emit: (event) => events.push(event), stopRequested: () => false },
    { attentionIntervalMs: 1e9, progressIntervalMs: 1e9 },
  );
  expect(finished.reason ?? '').toBe('');
  expect(finished.status).toBe('completed');
  const ended = events.filter((e): e is EpochEvent => e.type === 'epoch');
  expect(ended).toHaveLength(epochs);
  expect(ended.at(-1)!.loss).toBeLessThan(ended[0]!.loss);
}
