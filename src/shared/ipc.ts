import { z } from 'zod';
import type { BackendReport } from './backends';
import { LANGUAGES, type Language } from './i18n/languages';
import type { DatasetSummary } from './datasets';
import { datasetImportRequestSchema, importId, type ImportProgressEvent } from './datasetImport';
import {
  inspectRequestSchema,
  samplesRequestSchema,
  type DatasetInspection,
  type DatasetSamples,
} from './datasetInspection';
import type { AttentionEvent, TrainEvent } from './events';
import type { EventChannel, InvokeChannel } from './channels';
export type { EventChannel, InvokeChannel };
import { hyperParamsSchema } from './hyperParams';
import { tokenizerSettingsSchema } from './tokenizerSettings';
import type { CheckpointInfo, DamagedRecord, RunRecord } from './runs';
import type { RunEvaluation } from './evaluation/runEvaluation';
import { modelSpecSchema } from './architecture/modelSpec';
import { RUN_ID_PATTERN } from './runLayout';
import type { Preset } from './architecture/presets';
import { predictRequestSchema, type Prediction } from './prediction';
import type { ComparisonRecord, ComparisonReport } from './comparison';

/**
 * The one contract between the renderer and the main process. Each invoke channel pairs the schema that main
 * validates its request with (which also gives the request's type) with the type of its response; each event
 * channel names what it pushes. Both transports (Electron IPC and the browser host's WebSocket) are bound from it.
 */

const runId = z.string().regex(RUN_ID_PATTERN, 'a run id is letters, digits, _ or -');

export const trainStartRequestSchema = z
  .object({
    datasetId: z.string().min(1).max(200),
    /** The preset to train, or the one the spec was drawn from. */
    presetId: z.string().min(1).max(200).optional(),
    /** The architecture to train, as drawn in the editor; wins over the preset's. */
    spec: modelSpecSchema.optional(),
    hyperParams: hyperParamsSchema.default(hyperParamsSchema.parse({})),
    /** How text is cut into tokens; the dataset's suggestion and the model's vocabulary size fill what is unset. */
    tokenizer: tokenizerSettingsSchema.optional(),
    /** Start from this finished run's weights (fine-tuning): those of the same name and shape are copied. */
    initFromRun: z.string().regex(RUN_ID_PATTERN).optional(),
  })
  .strict()
  .refine((request) => request.presetId !== undefined || request.spec !== undefined, {
    message: 'name a preset or send a spec',
    path: ['spec'],
  });
export type TrainStartRequest = z.infer<typeof trainStartRequestSchema>;

export interface AppInfo {
  version: string;
  transport: 'electron' | 'browser-host';
  dataDir: string;
  /** The backend of the training worker, once it has started. */
  backend: BackendReport | null;
  /** Why the training worker had to be restarted, if it was. */
  notice: string | null;
}

const noRequest = z.object({}).strict();
/** The language the window shows, so that the native menus speak it too. */
const languageRequest = z.object({ language: z.enum(LANGUAGES) }).strict();
const importRunRequest = z.object({ path: z.string().min(1).max(4096) }).strict();

/** What an export wrote, and where. */
export interface PytorchExport {
  path: string;
  files: string[];
  source: string;
}
const comparisonRequest = z
  .object({ comparisonId: z.string().regex(/^cmp-[0-9a-f]{12}$/, 'a comparison id is cmp- and 12 hex digits') })
  .strict();
const cancelImportRequest = z.object({ importId }).strict();
const datasetRequest = z.object({ datasetId: z.string().min(1).max(200) }).strict();
const pickPathRequest = z.object({ kind: z.enum(['file', 'folder']) }).strict();
const pauseRequest = z.object({ runId, paused: z.boolean() }).strict();
const moveRequest = z.object({ runId, offset: z.union([z.literal(-1), z.literal(1)]) }).strict();
const attentionRequest = z.object({ runId, epoch: z.number().int().min(0).max(100_000) }).strict();
const runUpdateRequest = z
  .object({
    runId,
    name: z.string().trim().min(1).max(200).optional(),
    tags: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
  })
  .strict();

/** Ties a request schema to a response type that exists only for the compiler. */
function channel<Request extends z.ZodType, Response>(request: Request) {
  return { request, response: undefined as unknown as Response };
}

type ChannelShape = { request: z.ZodType; response: unknown };

export const invokeContract = {
  'app:info': channel<typeof noRequest, AppInfo>(noRequest),
  'app:language': channel<typeof languageRequest, { language: Language }>(languageRequest),
  'datasets:list': channel<typeof noRequest, DatasetSummary[]>(noRequest),
  'datasets:import': channel<typeof datasetImportRequestSchema, DatasetSummary>(datasetImportRequestSchema),
  'datasets:cancel-import': channel<typeof cancelImportRequest, { cancelled: boolean }>(cancelImportRequest),
  'datasets:remove': channel<typeof datasetRequest, { removed: boolean }>(datasetRequest),
  'datasets:inspect': channel<typeof inspectRequestSchema, DatasetInspection>(inspectRequestSchema),
  'datasets:samples': channel<typeof samplesRequestSchema, DatasetSamples>(samplesRequestSchema),
  /** The desktop app's file or folder picker; the browser host has none and answers with an error. */
  'dialog:pick-path': channel<typeof pickPathRequest, { path: string | null }>(pickPathRequest),
  'presets:list': channel<typeof noRequest, Preset[]>(noRequest),
  'train:start': channel<typeof trainStartRequestSchema, { runId: string }>(trainStartRequestSchema),
  'train:stop': channel<z.ZodObject<{ runId: typeof runId }>, { stopped: boolean }>(z.object({ runId }).strict()),
  /** Pauses the running run between two steps (paused: true), or lets it go on. */
  'train:pause': channel<typeof pauseRequest, { changed: boolean }>(pauseRequest),
  /** Moves a queued run one place earlier (-1) or later (1). */
  'train:queue-move': channel<typeof moveRequest, { moved: boolean }>(moveRequest),
  'runs:list': channel<typeof noRequest, RunRecord[]>(noRequest),
  /** Records of the run store (runs, comparisons) that could not be read, each with its file and the reason. */
  'runs:damaged': channel<typeof noRequest, DamagedRecord[]>(noRequest),
  /** The run as a PyTorch folder (model.py, weights, train.py, its split) under the data folder's exports/. */
  'runs:export-pytorch': channel<z.ZodObject<{ runId: typeof runId }>, PytorchExport>(z.object({ runId }).strict()),
  /** A drawn architecture as a PyTorch folder, with its initial weights, bound to the request's dataset. */
  'architecture:export-pytorch': channel<typeof trainStartRequestSchema, PytorchExport>(trainStartRequestSchema),
  /** A run trained by an exported train.py, back into the store: the export folder's path. */
  'runs:import': channel<typeof importRunRequest, RunRecord>(importRunRequest),
  'runs:get': channel<z.ZodObject<{ runId: typeof runId }>, { run: RunRecord; events: TrainEvent[] }>(
    z.object({ runId }).strict(),
  ),
  /** The run's metrics as CSV, with a file name to save it under. */
  'runs:metrics-csv': channel<z.ZodObject<{ runId: typeof runId }>, { fileName: string; csv: string }>(
    z.object({ runId }).strict(),
  ),
  /** Queued, running and paused runs, the queue's order: what a window that (re)connects must show. */
  'runs:active': channel<typeof noRequest, RunRecord[]>(noRequest),
  /** Queues a stopped, failed or interrupted run again, from its latest checkpoint. */
  'runs:resume': channel<z.ZodObject<{ runId: typeof runId }>, { runId: string }>(z.object({ runId }).strict()),
  'runs:update': channel<typeof runUpdateRequest, RunRecord>(runUpdateRequest),
  'runs:delete': channel<z.ZodObject<{ runId: typeof runId }>, { deleted: boolean }>(z.object({ runId }).strict()),
  /** A run's checkpoints and the epochs of its saved attention snapshots. */
  'runs:details': channel<
    z.ZodObject<{ runId: typeof runId }>,
    { checkpoints: CheckpointInfo[]; attentionEpochs: number[] }
  >(z.object({ runId }).strict()),
  /** The attention snapshot a run saved at the end of an epoch (0: before training). */
  'runs:attention': channel<typeof attentionRequest, AttentionEvent>(attentionRequest),
  /** The run's test-split report (confusion matrix, per-class and entity scores, BLEU/chrF, mistakes); null if none. */
  'runs:evaluation': channel<z.ZodObject<{ runId: typeof runId }>, RunEvaluation | null>(z.object({ runId }).strict()),
  /** What a trained run says about one example (typed, dropped, or a row of its splits), with its attention. */
  'runs:predict': channel<typeof predictRequestSchema, Prediction>(predictRequestSchema),
  /** Trains the request's attention model and its matched-weights fully connected baseline, as two queued runs. */
  'comparisons:start': channel<typeof trainStartRequestSchema, ComparisonRecord>(trainStartRequestSchema),
  'comparisons:list': channel<typeof noRequest, ComparisonRecord[]>(noRequest),
  /** A comparison's report as it stands (written to an HTML file once both runs have ended). */
  'comparisons:report': channel<typeof comparisonRequest, ComparisonReport>(comparisonRequest),
} satisfies Record<InvokeChannel, ChannelShape>;

export type InvokeRequest<C extends InvokeChannel> = z.input<(typeof invokeContract)[C]['request']>;
export type ValidInvokeRequest<C extends InvokeChannel> = z.output<(typeof invokeContract)[C]['request']>;
export type InvokeResponse<C extends InvokeChannel> = (typeof invokeContract)[C]['response'];

/** A command of the desktop app's menus, carried out by the window (the browser host has no menus). */
export type MenuCommand =
  | { command: 'open-spec'; fileName: string; text: string }
  | { command: 'save-spec' | 'export-png' | 'export-svg' | 'undo' | 'redo' };

export interface EventPayloads {
  'train:event': TrainEvent;
  'datasets:progress': ImportProgressEvent;
  'menu:command': MenuCommand;
}
// Fails to compile if channels.ts names an event channel without a payload here, or the other way round.
type EventPayloadsCoverChannels = [EventChannel] extends [keyof EventPayloads]
  ? [keyof EventPayloads] extends [EventChannel]
    ? true
    : never
  : never;
export const eventPayloadsCoverChannels: EventPayloadsCoverChannels = true;

/** window.workbench: all the renderer knows of the main process, whatever the transport. */
export interface WorkbenchApi {
  // typed from the contract; the transports below it only move envelopes
  invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>>;
  on<E extends EventChannel>(channel: E, listener: (payload: EventPayloads[E]) => void): () => void;
}
