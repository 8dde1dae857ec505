import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef, triggerRef, watch } from 'vue';
import type { AppInfo } from '../../../shared/ipc';
import type { DatasetSummary } from '../../../shared/datasets';
import type { TrainEvent } from '../../../shared/events';
import type { HyperParamsInput } from '../../../shared/hyperParams';
import type { Preset } from '../../../shared/spec/presets';
import { workbench } from '../api/workbench';
import { applyTrainEvent, emptyRunView, type RunView } from './runView';

/** The workbench's one training session: what can be trained, the chosen recipe, and the run being watched. */
export const useWorkbenchStore = defineStore('workbench', () => {
  const appInfo = ref<AppInfo | null>(null);
  const datasets = ref<DatasetSummary[]>([]);
  const presets = ref<Preset[]>([]);
  const datasetId = ref('');
  const presetId = ref('');
  const hyperParams = reactive({ epochs: 3, learningRate: 1e-3, batchSize: 32, optimizer: 'adam', dropout: 0.1 }) as Required<
    Pick<HyperParamsInput, 'epochs' | 'learningRate' | 'batchSize' | 'optimizer' | 'dropout'>
  >;
  // The run is replaced wholesale by each event fold; shallowRef keeps its long arrays out of deep reactivity.
  const run = shallowRef<RunView | null>(null);
  const error = ref<string | null>(null);
  // Events can overtake the answer to train:start; those of a run not yet known wait here to be replayed.
  const unclaimed: TrainEvent[] = [];

  const selectedPreset = computed(() => presets.value.find((p) => p.id === presetId.value) ?? null);
  const compatibleDatasets = computed(() =>
    datasets.value.filter((d) => !selectedPreset.value || d.task === selectedPreset.value.task),
  );
  // A preset for another task leaves the dataset picker on a dataset it cannot train on: move to the preset's own.
  watch(presetId, () => {
    const preset = selectedPreset.value;
    if (preset && !compatibleDatasets.value.some((d) => d.id === datasetId.value)) datasetId.value = preset.defaultDatasetId;
  });
  const training = computed(() => run.value?.status === 'running' || run.value?.status === 'starting');

  async function refreshAppInfo(): Promise<void> {
    appInfo.value = await workbench.invoke('app:info', {});
    // The worker picks its backend while the window opens; ask again until it has.
    if (!appInfo.value.backend) setTimeout(() => void refreshAppInfo().catch(() => undefined), 1000);
  }

  async function init(): Promise<void> {
    workbench.on('train:event', (event) => {
      if (run.value && applyTrainEvent(run.value, event)) triggerRef(run);
      else if (unclaimed.push(event) > 100) unclaimed.shift();
    });
    try {
      [datasets.value, presets.value] = await Promise.all([
        workbench.invoke('datasets:list', {}),
        workbench.invoke('presets:list', {}),
      ]);
      // A valid pair from the first start, so that Train works at once.
      const preset = presets.value[0];
      presetId.value = preset?.id ?? '';
      datasetId.value = preset?.defaultDatasetId ?? datasets.value[0]?.id ?? '';
      await refreshAppInfo();
    } catch (cause) {
      error.value = cause instanceof Error ? cause.message : String(cause);
    }
  }

  async function start(): Promise<void> {
    error.value = null;
    try {
      const { runId } = await workbench.invoke('train:start', {
        datasetId: datasetId.value,
        presetId: presetId.value,
        hyperParams: { ...hyperParams },
      });
      const view = emptyRunView(runId, hyperParams.epochs);
      for (const event of unclaimed.splice(0)) applyTrainEvent(view, event);
      run.value = view;
    } catch (cause) {
      error.value = cause instanceof Error ? cause.message : String(cause);
    }
  }

  async function stop(): Promise<void> {
    if (!run.value) return;
    await workbench.invoke('train:stop', { runId: run.value.runId });
  }

  return {
    appInfo,
    datasets,
    presets,
    datasetId,
    presetId,
    hyperParams,
    run,
    error,
    selectedPreset,
    compatibleDatasets,
    training,
    init,
    start,
    stop,
  };
});
