import type { TrainEvent } from '../../../shared/events';
import { trainedByOf, type RunRecord } from '../../../shared/runs';

export type CompareMetric = 'loss' | 'valLoss' | 'valAccuracy';
export type CompareAxis = 'step' | 'epoch';

/**
 * One run's curve of a metric: the training loss by step (or its epoch means by epoch), the validation figures by
 * epoch (placed at the epoch's last step on a step axis). A resumed run's superseded points are dropped, as the
 * live view drops them.
 */
export function runCurve(events: readonly TrainEvent[], metric: CompareMetric, axis: CompareAxis): [number, number][] {
  const steps: [number, number][] = [];
  const epochs: { epoch: number; step: number; loss: number; valLoss: number; valAccuracy: number }[] = [];
  let lastStep = 0;
  for (const event of events) {
    if (event.type === 'started' && event.resumedFrom) {
      const { epoch, globalStep } = event.resumedFrom;
      while ((steps.at(-1)?.[0] ?? 0) > globalStep) steps.pop();
      while ((epochs.at(-1)?.epoch ?? 0) > epoch) epochs.pop();
    } else if (event.type === 'progress') {
      steps.push([event.globalStep, event.loss]);
      lastStep = event.globalStep;
    } else if (event.type === 'epoch') {
      epochs.push({
        epoch: event.epoch,
        step: lastStep,
        loss: event.loss,
        valLoss: event.valLoss,
        valAccuracy: event.valAccuracy,
      });
    }
  }
  // A progress point is the mean loss of its read window, placed at the window's last step. The first window's mean
  // also stands for the steps before it, from 0: a fast model (the fully connected baseline) reads many steps per
  // window, and its curve would otherwise start late, or be one point that draws no line at all.
  if (metric === 'loss' && axis === 'step')
    return steps.length > 0 && steps[0]![0] > 0 ? [[0, steps[0]![1]], ...steps] : steps;
  return epochs.map((e) => [axis === 'step' ? e.step : e.epoch, e[metric]]);
}

/** TensorBoard's smoothing: an exponential moving average with weight `weight` (0: none), debiased at the start. */
export function smooth(points: readonly [number, number][], weight: number): [number, number][] {
  if (weight <= 0) return [...points];
  let [average, debias] = [0, 0];
  return points.map(([x, y]) => {
    average = average * weight + (1 - weight) * y;
    debias = debias * weight + (1 - weight);
    return [x, average / debias];
  });
}

export interface DiffRow {
  label: string;
  values: string[];
  /** Not the same in every run compared. */
  differs: boolean;
}

/** Six significant digits, grouped: 79,555 and 0.001. The view passes its language's grouping. */
const groupedNumber = (value: number) => value.toLocaleString('en', { maximumSignificantDigits: 6 });

/**
 * The runs side by side: what they trained on, every hyper-parameter, and what they reached. A row's label is the
 * field's name (a hyper-parameter's, or dataset, architecture, …): the view translates it.
 */
export function compareTable(runs: readonly RunRecord[], formatNumber = groupedNumber): DiffRow[] {
  const format = (value: unknown): string =>
    value === undefined || value === null
      ? '–'
      : typeof value === 'number'
        ? formatNumber(Number(value.toPrecision(6)))
        : Array.isArray(value)
          ? value.join(', ') || '–'
          : String(value);
  const percent = (value: number | undefined) => (value === undefined ? '–' : `${(value * 100).toFixed(1)}%`);
  const rows: { label: string; values: string[] }[] = [
    { label: 'dataset', values: runs.map((r) => r.datasetId) },
    { label: 'architecture', values: runs.map((r) => r.spec.name) },
    { label: 'parameters', values: runs.map((r) => format(r.parameterCount)) },
    { label: 'backend', values: runs.map((r) => trainedByOf(r) || '–') },
  ];
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.hyperParams)))].sort();
  for (const key of keys)
    rows.push({ label: key, values: runs.map((r) => format((r.hyperParams as Record<string, unknown>)[key])) });
  rows.push(
    { label: 'bestValAccuracy', values: runs.map((r) => percent(r.best?.valAccuracy)) },
    { label: 'bestValLoss', values: runs.map((r) => format(r.best?.valLoss)) },
    { label: 'testAccuracy', values: runs.map((r) => percent(r.test?.accuracy)) },
    { label: 'status', values: runs.map((r) => r.status) },
  );
  return rows.map((row) => ({ ...row, differs: new Set(row.values).size > 1 }));
}
