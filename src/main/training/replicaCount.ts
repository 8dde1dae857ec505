import { availableParallelism } from 'node:os';
import type { BackendName } from '../../shared/backends';
import type { RunPlan } from '../../shared/runPlan';

/**
 * The backends that gain from data-parallel replica threads: wasm and cpu compute on one thread each. TensorFlow's
 * native backends already use every core (and the GPU is one device), and their addon is only reliable in the first
 * thread that loads it, so they train with one replica.
 */
const REPLICATED_BACKENDS: readonly BackendName[] = ['wasm', 'cpu'];

/**
 * The plan with the number of replicas it trains with on `backend`: the recipe's, or one per core of this machine
 * when the recipe says 0. Never more than the cores (a replica beyond them only waits for a turn, holding a copy of
 * the model and the data) nor than the batch has examples (a replica with no share of any step would only wait).
 * Resolved when the run is queued, so that run.json, the status bar and the Runs tab show the number used.
 */
export function withReplicaCount(plan: RunPlan, backend: BackendName | null, cores = availableParallelism()): RunPlan {
  const { replicas, batchSize } = plan.hyperParams;
  const wanted = replicas > 0 ? replicas : cores;
  const count = backend && !REPLICATED_BACKENDS.includes(backend) ? 1 : Math.max(1, Math.min(wanted, cores, batchSize));
  return count === replicas ? plan : { ...plan, hyperParams: { ...plan.hyperParams, replicas: count } };
}
