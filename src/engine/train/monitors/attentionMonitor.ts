import type { AttentionEvent } from '../../../shared/events';
import type { TrainingMonitor } from './trainingMonitor';

/**
 * Attention snapshots of one fixed example: before training, at most once per interval while it trains, and after
 * every epoch. `snapshot` reads the maps; the interval keeps monitoring cheap beside the training.
 */
export function attentionMonitor(
  snapshot: (epoch: number, globalStep: number, full: boolean) => Promise<AttentionEvent | null>,
  intervalMs: number,
): TrainingMonitor {
  let last = 0;
  // `full`: also the costlier parts (decoding the sample), only at the start and the end of each epoch.
  const take = async (
    state: { epoch: number; globalStep: number; emit: (event: AttentionEvent) => void },
    full: boolean,
  ) => {
    const event = await snapshot(state.epoch, state.globalStep, full);
    if (event) state.emit(event);
    last = performance.now();
  };
  return {
    start: (state) => take(state, true),
    afterStep: async (state) => {
      if (performance.now() - last >= intervalMs) await take(state, false);
    },
    afterEpoch: async (state) => {
      await take(state, true);
    },
  };
}
