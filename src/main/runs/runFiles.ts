import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AttentionEvent } from '../../shared/events';
import type { RunEvaluation } from '../../shared/evaluation/runEvaluation';
import type { CheckpointInfo } from '../../shared/runs';
import { CHECKPOINT_SLOTS, checkpointFile } from '../../shared/runLayout';

/** The checkpoints a run has (final, best, latest), with where each stands; an unreadable one is left out. */
export async function listCheckpoints(runsDir: string, runId: string): Promise<CheckpointInfo[]> {
  const found: CheckpointInfo[] = [];
  for (const slot of CHECKPOINT_SLOTS) {
    try {
      const file = JSON.parse(await readFile(checkpointFile(runsDir, runId, slot), 'utf8')) as {
        epoch: number;
        globalStep: number;
        valLoss: number;
      };
      found.push({
        slot,
        epoch: file.epoch,
        globalStep: file.globalStep,
        valLoss: Number.isFinite(file.valLoss) ? file.valLoss : null,
      });
    } catch {
      // none in this slot
    }
  }
  return found;
}

/** The run's test report, written when its training ended; null when there is none (no test split, or it failed). */
export async function readEvaluation(runFolder: string): Promise<RunEvaluation | null> {
  const text = await readFile(join(runFolder, 'evaluation.json'), 'utf8').catch(() => null);
  return text === null ? null : (JSON.parse(text) as RunEvaluation);
}

/** The epochs whose attention snapshot the run kept, in order. */
export async function attentionEpochs(runFolder: string): Promise<number[]> {
  const names = await readdir(join(runFolder, 'attention')).catch(() => [] as string[]);
  return names
    .flatMap((name) => {
      const match = /^epoch-(\d+)\.json$/.exec(name);
      return match ? [Number(match[1])] : [];
    })
    .sort((a, b) => a - b);
}

/** One saved attention snapshot, its weights back as Float32Arrays (the files keep them as plain numbers). */
export async function readAttentionSnapshot(runFolder: string, epoch: number): Promise<AttentionEvent> {
  const event = JSON.parse(
    await readFile(join(runFolder, 'attention', `epoch-${epoch}.json`), 'utf8'),
  ) as AttentionEvent;
  return {
    ...event,
    layers: event.layers.map((layer) => ({ ...layer, weights: Float32Array.from(layer.weights) })),
    ...(event.image ? { image: { ...event.image, pixels: Float32Array.from(event.image.pixels) } } : {}),
  };
}
