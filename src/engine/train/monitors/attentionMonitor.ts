import type { AttentionEvent } from '../../../shared/events';
import type { TrainingMonitor } from './trainingMonitor';

/**
 * Attention snapshots of one fixed example: before training, at most once per interval while it trains, and after
 * every epoch. `snapshot` reads the maps; the interval keeps monitoring cheap beside the training.
 */
export function attentionMonitor(
  snapshot: (epoch: number, globalStep: number) => Promise<AttentionEvent | null>,
  intervalMs: number,
): TrainingMonitor {
  let last = 0;
  const take = async (state: { epoch: number; globalStep: number; emit: (event: AttentionEvent) => void }) => {
    const event = await snapshot(state.epoch, state.globalStep);
    if (event) state.emit(event);
    last = performance.now();
  };
  return {
    start: (state) => take(state),
    afterStep: async (state) => {
      if (performance.now() - last >= intervalMs) await take(state);
    },
    afterEpoch: async (state) => {
      await take(state);
    },
  };
}
