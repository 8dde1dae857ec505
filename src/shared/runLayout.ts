/**
 * Where a run's files lie inside its folder: the one place that spells the layout, for main's run store, the
 * training worker's checkpoints and the CLI. Names only (no file system here); forward slashes, which Node's file
 * functions accept on every platform.
 *
 *   runs/<run id>/run.json                      what the run is (rewritten atomically)
 *                 metrics.log                   every event but attention, append-only, each line checksummed
 *                 metrics.ndjson                the same as plain JSON lines, from before framing (read only)
 *                 evaluation.json               the test report, written when training ends
 *                 attention/epoch-<N>.json      the attention snapshot at the end of epoch N
 *                 tensorboard/                  the scalars as TensorBoard event files
 *                 checkpoints/<slot>/           checkpoint.json (position, tensor index) + tensors.bin
 *                 writer.lock                   who writes the run now (pid, process start), while anyone does
 */

/** A run's id is its folder's name, never a field inside it: letters, digits, _ or - (no path in it). */
export const RUN_ID_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;
export const isRunId = (name: string): boolean => RUN_ID_PATTERN.test(name);

export const RUN_FILES = {
  record: 'run.json',
  metrics: 'metrics.log',
  legacyMetrics: 'metrics.ndjson',
  evaluation: 'evaluation.json',
  attention: 'attention',
  tensorboard: 'tensorboard',
  checkpoints: 'checkpoints',
  lock: 'writer.lock',
} as const;

export const CHECKPOINT_FILES = { index: 'checkpoint.json', tensors: 'tensors.bin' } as const;

/** final: the trained model (after restore-best); best: lowest validation loss; latest: the last one saved. */
export const CHECKPOINT_SLOTS = ['final', 'best', 'latest'] as const;
export type CheckpointSlot = (typeof CHECKPOINT_SLOTS)[number];

export const runFolder = (runsDir: string, runId: string) => `${runsDir}/${runId}`;
export const runFile = (runsDir: string, runId: string, name: string) => `${runFolder(runsDir, runId)}/${name}`;

/** The folder that holds a run's checkpoint slots (one subfolder each). */
export const checkpointsFolder = (runsDir: string, runId: string) =>
  `${runFolder(runsDir, runId)}/${RUN_FILES.checkpoints}`;

/** A slot's description file: its position and the tensors' names, shapes and offsets. */
export const checkpointFile = (runsDir: string, runId: string, slot: CheckpointSlot) =>
  `${checkpointsFolder(runsDir, runId)}/${slot}/${CHECKPOINT_FILES.index}`;

export const attentionFileName = (epoch: number) => `epoch-${epoch}.json`;
const ATTENTION_FILE = /^epoch-(\d{1,6})\.json$/;
/** The epoch an attention file holds; null for a name that is not one. */
export function attentionFileEpoch(name: string): number | null {
  const match = ATTENTION_FILE.exec(name);
  return match ? Number(match[1]) : null;
}

/**
 * The most bytes each record may hold: its size is checked (stat) before it is read, so that a hostile or corrupt
 * file cannot make a process allocate without bound. Each is far above what the app itself writes.
 */
export const RECORD_LIMITS = {
  /** run.json: a spec of the largest allowed graph is ~1 MB. */
  record: 4 * 1024 * 1024,
  comparison: 64 * 1024,
  evaluation: 32 * 1024 * 1024,
  /** [heads, T, T] per attention layer as decimal text. */
  attention: 64 * 1024 * 1024,
  checkpointIndex: 16 * 1024 * 1024,
  /** One metrics record: a longer line is skipped without being held whole. */
  metricsLine: 1024 * 1024,
  lock: 4096,
} as const;
