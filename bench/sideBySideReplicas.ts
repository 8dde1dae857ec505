import { availableParallelism } from 'node:os';
import { describeBackend, selectBackend } from '../src/engine/backend';
import { PRESETS } from '../src/shared/architecture/presets';
import { BENCH_BATCH, timePresetStep } from './presetStep';
import { timeReplicaStep } from './replicaStep';
import { pythonWithTorch, torchStep } from './sideBySide';

const ROUNDS = 3;
const MIN_MS = 1000;

/** Karp-Flatt: the serial fraction e that a speed-up S on N workers implies, S = 1 / (e + (1 - e) / N). */
export const serialFraction = (speedup: number, workers: number) => (1 / speedup - 1 / workers) / (1 - 1 / workers);
/** Amdahl: the speed-up on N workers of work whose serial fraction is e. */
export const amdahl = (e: number, workers: number) => 1 / (e + (1 - e) / workers);

/**
 * Every preset on all of the machine's cores: the workbench at N data-parallel replicas (N = the cores) beside
 * PyTorch with torch.set_num_threads(N), and the workbench on one thread for the scaling, interleaved round by round;
 * three rounds of at least a second a side, the median round by the ratio. From the scaling, the serial fraction
 * (Karp-Flatt) and what it predicts on 8 and 16 cores (Amdahl). "apart" is what N threads that share nothing reach
 * together against one (N single replicas at once, each on the whole batch): the machine's own ceiling, which this
 * machine's two vCPUs, sharing their vector units, keep well under N.
 */
export async function sideBySideReplicas(backendName?: string, only: readonly string[] = []): Promise<void> {
  const python = pythonWithTorch();
  const cores = availableParallelism();
  if (!python || cores < 2) {
    console.log(`side by side on ${cores} cores: skipped (${python ? 'one core' : 'no Python imports torch'})`);
    return;
  }
  const backend = await selectBackend(backendName);
  console.log(
    `side by side on ${cores} cores, one Adam step at batch ${BENCH_BATCH}: tfjs ${describeBackend(backend)} with ${cores} replicas vs PyTorch with ${cores} threads`,
  );
  console.log(
    `  ${'preset'.padEnd(22)} ${'1 rep/s'.padStart(8)} ${`${cores} rep/s`.padStart(8)} ${'torch/s'.padStart(8)} ${'ratio'.padStart(6)} ${'range'.padStart(10)} ${'scaling'.padStart(8)} ${'serial'.padStart(7)} ${'8 cores'.padStart(8)} ${'16 cores'.padStart(9)} ${'apart'.padStart(6)}  all-reduce ms of the step`,
  );
  const presets = only.length > 0 ? PRESETS.filter((p) => only.includes(p.id)) : PRESETS;
  for (const preset of presets) {
    const rounds: {
      oneMs: number;
      manyMs: number;
      reduceMs: number;
      ceiling: number;
      torchMs: number;
      ratio: number;
    }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const one = await timePresetStep(preset, 8, MIN_MS);
      const many = await timeReplicaStep(preset, backend.name, cores, MIN_MS);
      // What the machine gives N threads that share nothing: N single replicas at once, each on the whole batch.
      const apart = await Promise.all(
        Array.from({ length: cores }, () => timeReplicaStep(preset, backend.name, 1, MIN_MS)),
      );
      const ceiling = (cores * one.msPerStep) / Math.max(...apart.map((a) => a.msPerStep));
      const theirs = torchStep(python, preset, cores);
      const manyMs = many.msPerStep;
      rounds.push({
        oneMs: one.msPerStep,
        manyMs,
        reduceMs: many.allReduceMs,
        ceiling,
        torchMs: theirs.msPerStep,
        ratio: theirs.msPerStep / manyMs,
      });
    }
    rounds.sort((a, b) => a.ratio - b.ratio);
    const { oneMs, manyMs, reduceMs, ceiling, torchMs, ratio } = rounds[Math.floor(ROUNDS / 2)]!;
    const range = `${rounds[0]!.ratio.toFixed(2)}-${rounds.at(-1)!.ratio.toFixed(2)}`;
    const perSecond = (ms: number) => ((BENCH_BATCH * 1000) / ms).toFixed(0);
    const speedup = oneMs / manyMs;
    const serial = Math.max(0, serialFraction(speedup, cores));
    console.log(
      `  ${preset.id.padEnd(22)} ${perSecond(oneMs).padStart(8)} ${perSecond(manyMs).padStart(8)} ${perSecond(torchMs).padStart(8)} ${ratio.toFixed(2).padStart(6)} ${range.padStart(10)} ${`${((speedup / cores) * 100).toFixed(0)}%`.padStart(8)} ${serial.toFixed(2).padStart(7)} ${`${amdahl(serial, 8).toFixed(1)}x`.padStart(8)} ${`${amdahl(serial, 16).toFixed(1)}x`.padStart(9)} ${`${ceiling.toFixed(2)}x`.padStart(6)}  ${reduceMs.toFixed(1)} of ${manyMs.toFixed(1)}`,
    );
  }
}
