import { headStatistics } from '../../../shared/attentionStatistics';
import type { AttentionEvent } from '../../../shared/events';

export interface HeadHistory {
  epochs: number[];
  /** One series per layer and head: its statistics at each saved epoch. */
  series: { name: string; points: { epoch: number; entropy: number; meanDistance: number | null }[] }[];
}

/** Every head's statistics across a run's saved attention snapshots, oldest first. */
export function headHistory(snapshots: readonly AttentionEvent[]): HeadHistory {
  const series = new Map<string, HeadHistory['series'][number]>();
  for (const snapshot of snapshots) {
    snapshot.layers.forEach((layer, l) => {
      if (layer.kind !== 'tokens') return;
      headStatistics(layer).forEach((stats, head) => {
        const name = `layer ${l + 1} head ${head + 1}`;
        const entry = series.get(name) ?? series.set(name, { name, points: [] }).get(name)!;
        entry.points.push({ epoch: snapshot.epoch, ...stats });
      });
    });
  }
  return { epochs: snapshots.map((s) => s.epoch), series: [...series.values()] };
}
