import { describeBackend, selectBackend } from '../src/engine/backend';
import { PRESETS } from '../src/shared/architecture/presets';
import { BENCH_BATCH, timePresetStep } from './presetStep';

/** Training samples per second of one Adam step, batch 32, for every preset, on random inputs of its shapes. */
export async function presetThroughput(backendName?: string): Promise<void> {
  const backend = await selectBackend(backendName);
  console.log(`training step of every preset, batch ${BENCH_BATCH}, backend ${describeBackend(backend)}:`);
  for (const preset of PRESETS) {
    const { msPerStep, leak } = await timePresetStep(preset, 5);
    console.log(
      `  ${preset.id.padEnd(22)} ${msPerStep.toFixed(0).padStart(6)} ms/step ${((BENCH_BATCH * 1000) / msPerStep).toFixed(1).padStart(8)} samples/s  tensors +${leak}`,
    );
  }
}
