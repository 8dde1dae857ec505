/**
 * Attention vs fully connected (the seed's comparison): an attention model and its matched-weights fully connected
 * baseline, trained on the same split with the same seed and recipe, and a report of both.
 */

/** training: either run is queued or training; done: both ended and the report is written. */
export type ComparisonStatus = 'training' | 'done';

/** comparisons/<id>.json: which two runs were started together. */
export interface ComparisonRecord {
  id: string;
  createdAt: string;
  datasetId: string;
  attentionRunId: string;
  baselineRunId: string;
  /** The baseline's first hidden width, chosen to match the attention model's weights. */
  baselineHidden: number;
}

/** One model's line of the report. */
export interface ComparisonRow {
  role: 'attention' | 'fully connected';
  runId: string;
  model: string;
  status: string;
  /** Trainable weights as the run built them (embeddings at the vocabulary its tokenizer learnt). */
  weights: number | null;
  /** Weights as the spec counts them (embeddings at the vocabulary cap): what the baseline was matched on. */
  specWeights: number;
  flopsPerExample: number;
  testAccuracy: number | null;
  bestValAccuracy: number | null;
  epochs: number;
  secondsPerEpoch: number | null;
}

/** What the app shows of a comparison; `html` is the same report as one self-contained file. */
export interface ComparisonReport {
  record: ComparisonRecord;
  status: ComparisonStatus;
  rows: ComparisonRow[];
  html: string;
  /** Where the HTML file was written: once both runs have ended. */
  path: string | null;
}
