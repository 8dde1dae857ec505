import type { AttentionEvent, EpochEvent, RunStatus, TrainEvent } from '../../../shared/events';
import type { BackendReport } from '../../../shared/backends';

/** What the training view shows of one run, folded from its events. */
export interface RunView {
  runId: string;
  /** Counts the events folded in: the arrays below grow in place, so views watch this to redraw. */
  version: number;
  status: RunStatus | 'starting';
  reason: string | null;
  backend: BackendReport | null;
  /** The data-parallel replicas training it (1: one thread). */
  replicas: number;
  classNames: string[];
  parameterCount: number;
  stepsPerEpoch: number;
  epochs: number;
  epoch: number;
  step: number;
  globalStep: number;
  samplesPerSecond: number;
  /** [global step, train loss] */
  stepLoss: [number, number][];
  epochMetrics: EpochEvent[];
  attention: AttentionEvent | null;
  test: { loss: number; accuracy: number; exactMatch?: number } | null;
}

export function emptyRunView(runId: string, epochs: number): RunView {
  return {
    runId,
    version: 0,
    status: 'starting',
    reason: null,
    backend: null,
    replicas: 1,
    classNames: [],
    parameterCount: 0,
    stepsPerEpoch: 0,
    epochs,
    epoch: 0,
    step: 0,
    globalStep: 0,
    samplesPerSecond: 0,
    stepLoss: [],
    epochMetrics: [],
    attention: null,
    test: null,
  };
}

/** Folds one event into the view; events of other runs are ignored. Returns whether the view changed. */
export function applyTrainEvent(view: RunView, event: TrainEvent): boolean {
  if (event.runId !== view.runId) return false;
  view.version++;
  // Appended in place: copying the arrays on every event made a long run's view quadratic.
  switch (event.type) {
    case 'started':
      view.status = 'running';
      // Shown beside the status while it trains, e.g. that a damaged checkpoint was passed over.
      view.reason = event.notice ?? null;
      // A resumed run goes on from its checkpoint: what the log holds after it was superseded.
      if (event.resumedFrom) {
        const { epoch, globalStep } = event.resumedFrom;
        while ((view.stepLoss.at(-1)?.[0] ?? 0) > globalStep) view.stepLoss.pop();
        while ((view.epochMetrics.at(-1)?.epoch ?? 0) > epoch) view.epochMetrics.pop();
      }
      view.backend = event.backend;
      view.replicas = event.hyperParams.replicas;
      view.classNames = event.classNames;
      view.parameterCount = event.parameterCount;
      view.stepsPerEpoch = event.stepsPerEpoch;
      view.epochs = event.hyperParams.epochs;
      break;
    case 'progress':
      view.epoch = event.epoch;
      view.step = event.step;
      view.globalStep = event.globalStep;
      view.samplesPerSecond = event.samplesPerSecond;
      view.stepLoss.push([event.globalStep, event.loss]);
      break;
    case 'epoch':
      view.epochMetrics.push(event);
      break;
    case 'attention':
      view.attention = event;
      break;
    case 'paused':
      view.status = event.paused ? 'paused' : 'running';
      break;
    case 'finished':
      view.status = event.status;
      view.reason = event.reason ?? null;
      view.test = event.test ?? null;
      break;
  }
  return true;
}
