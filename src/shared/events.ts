import type { BackendReport } from './backends';
import type { HyperParams } from './hyperParams';

/**
 * queued: accepted, waiting for the worker; running or paused: in the worker; completed, stopped, failed: ended;
 * interrupted: the app closed while it was queued or running. Stopped, failed and interrupted runs can be resumed
 * from their latest checkpoint.
 */
export const RUN_STATUSES = ['queued', 'running', 'paused', 'completed', 'stopped', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Still to be watched: waiting for the worker, or in it. */
export const isLive = (status: string): boolean => ['queued', 'running', 'paused'].includes(status);
/** Ended before its last epoch: can go on from its latest checkpoint. */
export const isResumable = (status: string): boolean => ['stopped', 'failed', 'interrupted'].includes(status);

/**
 * What the axes of an attention map are: 'tokens' (queries x keys of token sequences, labelled with the tokens),
 * 'channels' (one weight per feature channel: squeeze-and-excitation, CBAM), 'spatial' (one weight per pixel, rows x
 * columns of the feature map).
 */
export type AttentionKind = 'tokens' | 'channels' | 'spatial';

/** The patches of an image as a sequence (a Vision Transformer's): rows x columns of them, row by row, after the
 * class token when there is one. */
export interface PatchGrid {
  rows: number;
  columns: number;
  classToken: boolean;
}

/** The attention weights of one attention layer for one sample, row-major [heads, queries, keys]. */
export interface AttentionLayerSnapshot {
  layer: string;
  kind: AttentionKind;
  /** Label of each query row and key column: tokens for sequences, indices for channels and pixels. */
  queryLabels: string[];
  keyLabels: string[];
  heads: number;
  queries: number;
  keys: number;
  weights: Float32Array;
  /** Set when the keys are an image's patches: what the image views draw them over. */
  patches?: PatchGrid;
}

export interface StartedEvent {
  type: 'started';
  runId: string;
  backend: BackendReport;
  datasetId: string;
  presetId: string | null;
  /** The spec's name: the preset's, or the one the user gave a drawn graph. */
  modelName: string;
  hyperParams: HyperParams;
  parameterCount: number;
  classNames: string[];
  split: { train: number; validation: number; test: number };
  stepsPerEpoch: number;
  /** A resumed run goes on after this epoch and step of its checkpoint; the curves' later points are superseded. */
  resumedFrom?: { epoch: number; globalStep: number };
  /** Something the user should know about how the run started, e.g. that a damaged checkpoint was passed over. */
  notice?: string;
}

/** Training loss, averaged over the steps since the previous progress event. */
export interface ProgressEvent {
  type: 'progress';
  runId: string;
  epoch: number;
  step: number;
  globalStep: number;
  loss: number;
  samplesPerSecond: number;
  /** The learning rate of the window's last step, as the schedule set it. */
  learningRate?: number;
}

export interface EpochEvent {
  type: 'epoch';
  runId: string;
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
  seconds: number;
}

/** What the model looks at for one fixed validation sample, at one moment of training. */
export interface AttentionEvent {
  type: 'attention';
  runId: string;
  epoch: number;
  globalStep: number;
  tokens: string[];
  label: string;
  predicted: string;
  layers: AttentionLayerSnapshot[];
  /**
   * Seq2seq, at the start and the end of each epoch: the sample decoded greedily and by beam search, side by side,
   * each with its log-probability.
   */
  decoded?: {
    greedy: string;
    beam: string;
    beamWidth: number;
    /** GNMT's length-normalisation alpha the beam was ranked with (0: by log-probability). Absent in older runs. */
    lengthPenalty?: number;
    greedyLogProb: number;
    beamLogProb: number;
  };
  /** Image models: the sample image itself, values in [0, 1], row-major height x width x channels. */
  image?: { height: number; width: number; channels: number; pixels: Float32Array };
}

export interface FinishedEvent {
  type: 'finished';
  runId: string;
  status: 'completed' | 'stopped' | 'failed';
  reason?: string;
  epochs: number;
  /** Test split: loss, accuracy (per token for per-token tasks) and, for seq2seq, exact match of greedy decoding. */
  test?: { loss: number; accuracy: number; exactMatch?: number };
}

/** A running run was paused, or a paused one goes on (main says so when it asks the worker). */
export interface PausedEvent {
  type: 'paused';
  runId: string;
  paused: boolean;
}

/** Everything a training run tells the world, in the order it happens. */
export type TrainEvent = StartedEvent | ProgressEvent | EpochEvent | AttentionEvent | PausedEvent | FinishedEvent;
export type TrainEventType = TrainEvent['type'];
