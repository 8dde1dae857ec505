import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { DEFAULT_LENGTH_PENALTY, type Example, type Prediction } from '../../../shared/prediction';
import type { RunRecord } from '../../../shared/runs';
import { workbench } from '../api/workbench';
import { imageExample } from '../playground/imageExample';
import { t } from '../i18n';

const message = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));
type Split = 'train' | 'validation' | 'test';

/** How many validation images the grid shows. */
export const GRID_SIZE = 12;

/**
 * The playground: one trained run asked about the user's own text or image, or about any row of its splits, with
 * the answer and its attention; for image runs, a grid of validation images with their maps.
 */
export const usePlaygroundStore = defineStore('playground', () => {
  const runs = shallowRef<RunRecord[]>([]);
  const runId = ref('');
  const text = ref('');
  const beamWidth = ref(4);
  /** GNMT's alpha: 0 ranks the beam by log-probability, which favours short outputs. */
  const lengthPenalty = ref(DEFAULT_LENGTH_PENALTY);
  const split = ref<Split>('validation');
  const row = ref(0);
  /** The image the user dropped or picked, as it is shown (and as a small copy is sent). */
  const image = ref<{ preview: string; example: Example } | null>(null);
  const prediction = shallowRef<Prediction | null>(null);
  const grid = shallowRef<Prediction[]>([]);
  const busy = ref(false);
  const error = ref<string | null>(null);

  const run = computed(() => runs.value.find((r) => r.id === runId.value) ?? null);
  const task = computed(() => run.value?.spec.task ?? null);
  const splitSize = computed(() => prediction.value?.splits[split.value] ?? null);

  /** Runs that can answer: every run whose training got past its first epoch (final, best or latest weights). */
  async function refresh(): Promise<void> {
    try {
      const all = await workbench.invoke('runs:list', {});
      runs.value = all.filter((r) => r.status !== 'queued' && r.best !== undefined);
      if (!runs.value.some((r) => r.id === runId.value)) choose(runs.value[0]?.id ?? '');
    } catch (cause) {
      error.value = message(cause);
    }
  }

  function choose(id: string): void {
    runId.value = id;
    prediction.value = null;
    grid.value = [];
    image.value = null;
    error.value = null;
    row.value = 0;
  }

  async function ask(example: Example): Promise<Prediction | null> {
    if (!runId.value) return null;
    busy.value = true;
    error.value = null;
    try {
      const answer = await workbench.invoke('runs:predict', {
        runId: runId.value,
        example,
        beamWidth: beamWidth.value,
        lengthPenalty: lengthPenalty.value,
      });
      prediction.value = answer;
      return answer;
    } catch (cause) {
      error.value = message(cause);
      return null;
    } finally {
      busy.value = false;
    }
  }

  const askText = () => ask({ kind: 'text', text: text.value });

  async function askSample(next?: number): Promise<void> {
    if (next !== undefined) row.value = Math.max(0, next);
    await ask({ kind: 'sample', split: split.value, row: row.value });
  }

  async function askRandomSample(): Promise<void> {
    const size = splitSize.value ?? (await ask({ kind: 'sample', split: split.value, row: 0 }))?.splits[split.value];
    if (size) await askSample(Math.floor(Math.random() * size));
  }

  /** A dropped or picked image file: decoded and scaled down by the window, then asked about. */
  async function askImage(file: Blob): Promise<void> {
    try {
      image.value = await imageExample(file);
    } catch (cause) {
      error.value = t('errors.notAnImage', { reason: message(cause) });
      return;
    }
    await ask(image.value.example);
  }

  /** The first validation images with their maps, asked one after another. */
  async function fillGrid(): Promise<void> {
    if (!runId.value) return;
    const answers: Prediction[] = [];
    busy.value = true;
    error.value = null;
    try {
      for (let i = 0; i < GRID_SIZE; i++) {
        const answer = await workbench.invoke('runs:predict', {
          runId: runId.value,
          example: { kind: 'sample', split: 'validation', row: i },
        });
        answers.push(answer);
        grid.value = [...answers];
        if (i + 1 >= answer.splits.validation) break;
      }
    } catch (cause) {
      error.value = message(cause);
    } finally {
      busy.value = false;
    }
  }

  return {
    runs,
    runId,
    run,
    task,
    text,
    beamWidth,
    lengthPenalty,
    split,
    row,
    image,
    prediction,
    grid,
    busy,
    error,
    splitSize,
    refresh,
    choose,
    ask,
    askText,
    askSample,
    askRandomSample,
    askImage,
    fillGrid,
  };
});
