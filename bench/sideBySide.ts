import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describeBackend, selectBackend } from '../src/engine/backend';
import { analyzeSpec } from '../src/shared/architecture/analyzeSpec';
import { PRESETS, type Preset } from '../src/shared/architecture/presets';
import { BENCH_BATCH, BENCH_CLASSES, timePresetStep } from './presetStep';

const TORCH_SCRIPT = fileURLToPath(new URL('./torchPresets.py', import.meta.url));
const ROUNDS = 5;
const STEPS = 8;
/** Each side's timed steps last at least this long, so that small models are timed over hundreds of steps. */
const MIN_SECONDS = 1;

interface TorchAnswer {
  threads: number;
  parameters: number;
  msPerStep: number;
  torch: string;
  blas: string;
}

function torchStep(python: string, preset: Preset, threads = 1): TorchAnswer {
  const request = {
    preset: preset.id,
    spec: preset.spec,
    batch: BENCH_BATCH,
    classes: BENCH_CLASSES,
    steps: STEPS,
    warmup: 2,
    seconds: MIN_SECONDS,
    threads,
  };
  const run = spawnSync(python, [TORCH_SCRIPT], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (run.status !== 0) throw new Error(`PyTorch failed on ${preset.id}: ${run.stderr.trim().split('\n').at(-1)}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as TorchAnswer;
}

export { torchStep };

/** The first Python that imports torch: Debian's (python3-torch), then the one on PATH; null if none does. */
export function pythonWithTorch(): string | null {
  for (const python of [process.env['WORKBENCH_PYTHON'], '/usr/bin/python3', 'python3']) {
    if (!python) continue;
    const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
    if (!probe.error && probe.status === 0) return python;
  }
  return null;
}

/**
 * The presets in TensorFlow.js (the workbench's backend) and in PyTorch (Debian's python3-torch, one thread), the
 * same layers and weight counts, one Adam step at batch 32, interleaved preset by preset and round by round so
 * that both see the same machine; five rounds of at least a second a side, the median round's figures. Also the achieved GFLOP/s (3x the forward FLOPs a step).
 */
export async function sideBySide(backendName?: string, only: readonly string[] = []): Promise<void> {
  const python = pythonWithTorch();
  if (!python) {
    console.log('side by side with PyTorch: skipped, no Python here imports torch (apt-get install python3-torch)');
    return;
  }
  const backend = await selectBackend(backendName);
  console.log(
    `side by side, one Adam step at batch ${BENCH_BATCH}: tfjs ${describeBackend(backend)} vs PyTorch, 1 thread`,
  );
  console.log(
    `  ${'preset'.padEnd(22)} ${'tfjs/s'.padStart(8)} ${'torch/s'.padStart(8)} ${'ratio'.padStart(6)} ${'range'.padStart(10)} ${'tfjs GFLOP/s'.padStart(13)} ${'torch GFLOP/s'.padStart(14)}  weights (tfjs / torch)`,
  );
  const presets = only.length > 0 ? PRESETS.filter((p) => only.includes(p.id)) : PRESETS;
  for (const preset of presets) {
    const rounds: { tfjsMs: number; torchMs: number; ratio: number }[] = [];
    let [tfjsWeights, torchWeights, version, blas] = [0, 0, '', ''];
    for (let round = 0; round < ROUNDS; round++) {
      const ours = await timePresetStep(preset, STEPS, MIN_SECONDS * 1000);
      const theirs = torchStep(python, preset);
      rounds.push({ tfjsMs: ours.msPerStep, torchMs: theirs.msPerStep, ratio: theirs.msPerStep / ours.msPerStep });
      [tfjsWeights, torchWeights, version, blas] = [ours.parameters, theirs.parameters, theirs.torch, theirs.blas];
    }
    // The machine's speed drifts within minutes, for both sides: each round's ratio is taken from two timings a
    // second apart, and the median round is reported (its speeds too), with the range of the ratios.
    rounds.sort((a, b) => a.ratio - b.ratio);
    const { tfjsMs, torchMs, ratio } = rounds[Math.floor(ROUNDS / 2)]!;
    const range = `${rounds[0]!.ratio.toFixed(2)}-${rounds.at(-1)!.ratio.toFixed(2)}`;
    const flops = 3 * analyzeSpec(preset.spec, { classes: BENCH_CLASSES }).totalFlops * BENCH_BATCH;
    const perSecond = (ms: number) => (BENCH_BATCH * 1000) / ms;
    const gflops = (ms: number) => (flops / ms / 1e6).toFixed(1);
    console.log(
      `  ${preset.id.padEnd(22)} ${perSecond(tfjsMs).toFixed(0).padStart(8)} ${perSecond(torchMs).toFixed(0).padStart(8)} ${ratio.toFixed(2).padStart(6)} ${range.padStart(10)} ${gflops(tfjsMs).padStart(13)} ${gflops(torchMs).padStart(14)}  ${tfjsWeights.toLocaleString('en-US')} / ${torchWeights.toLocaleString('en-US')}${tfjsWeights === torchWeights ? '' : ' (differ)'}`,
    );
    if (preset === presets.at(-1)) {
      const warning =
        blas === 'openblas'
          ? ''
          : ': not OpenBLAS, so PyTorch is slower than it can be (apt-get install libopenblas0-pthread)';
      console.log(`  (PyTorch ${version}, BLAS ${blas}${warning})`);
    }
  }
}
