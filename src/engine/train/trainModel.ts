import type { FinishedEvent } from '../../shared/events';
import type { TrainingHooks, TrainingOptions } from './trainingOptions';
import { TrainingRun } from './trainingRun';

export type { TrainingHooks, TrainingOptions } from './trainingOptions';

/**
 * Trains the model built from `spec` on prepared data of any task: shuffled mini-batches, validation after every
 * epoch, and a test evaluation at the end. What happens at each move is TrainingRun's (trainingRun.ts), and
 * everything besides the step itself (progress, the NaN guard, attention snapshots, epoch reports, checkpoints,
 * early stopping) is a monitor. Emits started / progress / epoch / attention events and returns the finished event,
 * which it also emits.
 */
export async function trainModel(options: TrainingOptions, hooks: TrainingHooks): Promise<FinishedEvent> {
  const run = new TrainingRun(options, hooks);
  hooks.emit(run.started());
  try {
    await run.begin();
    training: for (const epoch of run.epochs()) {
      for (const rows of run.batches(epoch)) {
        if (await run.stopRequested()) break training;
        await run.step(rows);
      }
      if ((await run.endEpoch()) === 'stop') break;
    }
    await run.finish();
  } catch (error) {
    run.fail(error);
  } finally {
    run.dispose();
  }
  hooks.emit(run.finished);
  return run.finished;
}
