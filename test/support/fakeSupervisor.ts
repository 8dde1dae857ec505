import type { TrainingSupervisor } from '../../src/main/training/trainingSupervisor';
import type { TrainEvent } from '../../src/shared/events';
import type { RunPlan } from '../../src/shared/runPlan';

/** A supervisor that trains nothing: the test plays the worker's events itself, and sees what it was asked. */
export function fakeSupervisor() {
  let listener: (event: TrainEvent) => void = () => undefined;
  const started: string[] = [];
  const plans: RunPlan[] = [];
  const stopped: string[] = [];
  const supervisor = {
    onEvent: (l: (event: TrainEvent) => void) => ((listener = l), () => undefined),
    start: (plan: RunPlan) => (started.push(plan.runId), plans.push(plan)),
    stop: (runId: string) => (stopped.push(runId), true),
    whenReady: async () => ({ name: 'wasm', skipped: [] }),
    queued: () => [...started],
    isActive: (runId: string) => started.includes(runId),
  } as unknown as TrainingSupervisor;
  return { supervisor, started, plans, stopped, emit: (event: TrainEvent) => listener(event) };
}
