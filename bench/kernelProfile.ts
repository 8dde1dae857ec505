import * as tf from '@tensorflow/tfjs-core';
import { describeBackend, selectBackend } from '../src/engine/backend';
import type { Preset } from '../src/shared/architecture/presets';
import { availableParallelism } from 'node:os';
import { timePresetStep } from './presetStep';
import { timeReplicaStep } from './replicaStep';

const STEPS = 5;

/**
 * Where a preset's training step spends its time, kernel by kernel (tf.profile over five steps after a warm-up):
 * milliseconds and calls a step for the kernels that take the most, by name and input shapes, and the step's
 * total. tfjs' profiler times each kernel synchronously, so the figures run above a plain step's; they say where to
 * look, `side-by-side` says how fast.
 */
export async function kernelProfile(backendName: string | undefined, presets: readonly Preset[], rows = 25) {
  const backend = await selectBackend(backendName);
  console.log(`kernel profile, one Adam step at batch 32, backend ${describeBackend(backend)}:`);
  for (const preset of presets) {
    const totals = new Map<string, { ms: number; calls: number }>();
    await timePresetStep(preset, 2, 0, async (step) => {
      for (let i = 0; i < STEPS; i++) {
        const info = await tf.profile(step);
        for (const kernel of info.kernels) {
          const key = `${kernel.name} ${kernel.inputShapes.map((shape) => JSON.stringify(shape)).join(' ')}`;
          const entry = totals.get(key) ?? { ms: 0, calls: 0 };
          entry.ms += (await kernel.kernelTimeMs) as number;
          entry.calls++;
          totals.set(key, entry);
        }
      }
    });
    const all = [...totals.values()];
    const [ms, calls] = [all.reduce((a, b) => a + b.ms, 0) / STEPS, all.reduce((a, b) => a + b.calls, 0) / STEPS];
    console.log(`  ${preset.id}: ${ms.toFixed(1)} ms in ${calls} kernel calls a step (profiled)`);
    for (const [key, entry] of [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, rows)) {
      console.log(
        `    ${(entry.ms / STEPS).toFixed(2).padStart(7)} ms ${String(entry.calls / STEPS).padStart(5)}x  ${key}`,
      );
    }
    const cores = availableParallelism();
    if (cores > 1) {
      const replicas = await timeReplicaStep(preset, backend.name, cores, 1000);
      console.log(
        `    on ${cores} replicas: ${replicas.msPerStep.toFixed(1)} ms a step, ${replicas.allReduceMs.toFixed(2)} ms of it in the all-reduce (copying the gradients into the shared buffer, waiting for the other replicas, summing)`,
      );
    }
  }
}
