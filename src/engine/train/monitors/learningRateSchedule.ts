import type { HyperParams } from '../../../shared/hyperParams';
import { learningRateAt } from '../../../shared/learningRateSchedule';
import type { TrainingMonitor } from './trainingMonitor';

/** Sets each step's learning rate from the recipe's schedule, before the step (src/shared/learningRateSchedule.ts). */
export function learningRateSchedule(
  hyperParams: HyperParams,
  stepsPerEpoch: number,
  apply: (rate: number) => void,
): TrainingMonitor {
  const totalSteps = hyperParams.epochs * stepsPerEpoch;
  return {
    beforeStep: (state) => apply(learningRateAt(hyperParams, state.globalStep + 1, totalSteps, stepsPerEpoch)),
  };
}
