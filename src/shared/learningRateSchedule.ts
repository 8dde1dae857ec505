import type { HyperParams } from './hyperParams';

type ScheduleParams = Pick<HyperParams, 'learningRate' | 'schedule' | 'warmupSteps' | 'stepEpochs' | 'stepGamma'>;

/**
 * The learning rate of step `step` (counted from 1) of a run of `totalSteps` steps, `stepsPerEpoch` an epoch. Pure,
 * so that the training loop sets it and the form draws it from the same function.
 */
export function learningRateAt(
  params: ScheduleParams,
  step: number,
  totalSteps: number,
  stepsPerEpoch: number,
): number {
  const { learningRate: peak, warmupSteps: warmup } = params;
  if (params.schedule === 'inverse-sqrt') {
    // Vaswani et al. 2017, 5.3, scaled so that the peak (at the end of the warm-up) is the learning rate.
    const w = Math.max(1, warmup);
    return peak * Math.min(step / w, Math.sqrt(w / step));
  }
  if (warmup > 0 && step <= warmup) return (peak * step) / warmup;
  switch (params.schedule) {
    case 'constant':
      return peak;
    case 'step':
      return peak * params.stepGamma ** Math.floor((step - 1) / (params.stepEpochs * Math.max(1, stepsPerEpoch)));
    case 'cosine': {
      const progress = Math.min(1, (step - warmup) / Math.max(1, totalSteps - warmup));
      return 0.5 * peak * (1 + Math.cos(Math.PI * progress));
    }
  }
}
