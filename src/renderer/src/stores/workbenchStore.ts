import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef, triggerRef, watch } from 'vue';
import type { AppInfo } from '../../../shared/ipc';
import type { DatasetSummary } from '../../../shared/datasets';
import type { TrainEvent } from '../../../shared/events';
import type { HyperParamsInput } from '../../../shared/hyperParams';
import { describeIssue } from '../../../shared/spec/analyzeSpec';
import type { Preset } from '../../../shared/spec/presets';
import type { TokenizerKind, TokenizerSettings } from '../../../shared/tokenizerSettings';
import { workbench } from '../api/workbench';
import { useArchitectureStore } from './architectureStore';
import { applyTrainEvent, emptyRunView, type RunView } from './runView';

/** The workbench's one training session: what can be trained, the chosen recipe, and the run being watched. */
export const useWorkbenchStore = defineStore('workbench', () => {
  const appInfo = ref<AppInfo | null>(null);
  const datasets = ref<DatasetSummary[]>([]);
  const presets = ref<Preset[]>([]);
  const datasetId = ref('');
  const hyperParams = reactive({
    epochs: 3,
    learningRate: 1e-3,
    batchSize: 32,
    optimizer: 'adam',
    dropout: 0.1,
    validationFraction: 0.15,
    testFraction: 0.1,
    seed: 42,
    useFileSplit: true,
  }) as Required<
    Pick<
      HyperParamsInput,
      | 'epochs'
      | 'learningRate'
      | 'batchSize'
      | 'optimizer'
      | 'dropout'
      | 'validationFraction'
      | 'testFraction'
      | 'seed'
      | 'useFileSplit'
    >
  >;
  /** The tokenizer the Datasets view previews and training uses; 'auto' takes the dataset's suggestion. */
  const tokenizer = reactive({
    kind: 'auto' as TokenizerKind | 'auto',
    vocabSize: null as number | null,
    minFrequency: 1,
  });
  // The run is replaced wholesale by each event fold; shallowRef keeps its long arrays out of deep reactivity.
  const run = shallowRef<RunView | null>(null);
  const error = ref<string | null>(null);
  // Events can overtake the answer to train:start; those of a run not yet known wait here to be replayed.
  const unclaimed: TrainEvent[] = [];

  const architecture = useArchitectureStore();
  /** The task of the architecture being drawn: it decides which datasets can train it. */
  const modelTask = computed(() => architecture.draft.task);
  const compatibleDatasets = computed(() => datasets.value.filter((d) => d.task === modelTask.value));
  const selectedDataset = computed(() => datasets.value.find((d) => d.id === datasetId.value) ?? null);
  // A graph for another task leaves the dataset picker on a dataset it cannot train on: move to one it can.
  watch(modelTask, (task) => {
    if (selectedDataset.value && selectedDataset.value.task !== task) {
      datasetId.value =
        presets.value.find((p) => p.task === task)?.defaultDatasetId ??
        compatibleDatasets.value[0]?.id ??
        datasetId.value;
    }
  });
  // And the other way: a dataset chosen in the Datasets view opens a preset of its task, unless the user has drawn
  // a graph of their own, which is never thrown away (the editor then says that the tasks differ).
  watch(selectedDataset, (dataset) => {
    architecture.dataset = dataset
      ? { task: dataset.task, classes: dataset.classNames.length, imageShape: dataset.imageShape }
      : null;
    if (dataset && dataset.task !== modelTask.value && architecture.presetId !== null) {
      const preset = presets.value.find((p) => p.task === dataset.task);
      if (preset) architecture.open(preset.spec, preset.id);
    }
  });

  function choosePreset(id: string): void {
    const preset = presets.value.find((p) => p.id === id);
    if (preset) architecture.open(preset.spec, preset.id);
  }
  /** What train:start and the inspection send: nothing when every setting is the default. */
  const tokenizerSettings = computed((): TokenizerSettings | undefined => {
    if (tokenizer.kind === 'auto' && tokenizer.vocabSize === null && tokenizer.minFrequency === 1) return undefined;
    const kind = tokenizer.kind === 'auto' ? (selectedDataset.value?.defaultTokenizer ?? 'word') : tokenizer.kind;
    return {
      kind,
      minFrequency: tokenizer.minFrequency,
      ...(tokenizer.vocabSize ? { vocabSize: tokenizer.vocabSize } : {}),
    };
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
      // A failed run may have cost the worker its backend: the status bar then says what main did about it.
      if (event.type === 'finished' && event.status === 'failed') void refreshAppInfo().catch(() => undefined);
    });
    try {
      [datasets.value, presets.value] = await Promise.all([
        workbench.invoke('datasets:list', {}),
        workbench.invoke('presets:list', {}),
      ]);
      // A valid pair from the first start, so that Train works at once.
      const preset = presets.value[0];
      if (preset) architecture.open(preset.spec, preset.id);
      datasetId.value = preset?.defaultDatasetId ?? datasets.value[0]?.id ?? '';
      await refreshAppInfo();
    } catch (cause) {
      error.value = cause instanceof Error ? cause.message : String(cause);
    }
  }

  async function start(): Promise<void> {
    error.value = null;
    if (!architecture.valid) {
      error.value = `the architecture cannot be trained yet: ${architecture.issues.map(describeIssue).join('; ')}`;
      return;
    }
    try {
      const { runId } = await workbench.invoke('train:start', {
        datasetId: datasetId.value,
        // The graph as drawn is what the worker builds; the preset it came from is kept for the record.
        spec: architecture.spec,
        ...(architecture.presetId ? { presetId: architecture.presetId } : {}),
        hyperParams: { ...hyperParams },
        ...(tokenizerSettings.value ? { tokenizer: tokenizerSettings.value } : {}),
      });
      const view = emptyRunView(runId, hyperParams.epochs);
      for (const event of unclaimed.splice(0)) applyTrainEvent(view, event);
      run.value = view;
    } catch (cause) {
      error.value = cause instanceof Error ? cause.message : String(cause);
    }
  }

  /** Reloads the dataset list (after an import or a removal), keeping the selection when it still exists. */
  async function refreshDatasets(select?: string): Promise<void> {
    datasets.value = await workbench.invoke('datasets:list', {});
    if (select) datasetId.value = select;
    else if (!datasets.value.some((d) => d.id === datasetId.value))
      datasetId.value = compatibleDatasets.value[0]?.id ?? '';
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
    hyperParams,
    tokenizer,
    tokenizerSettings,
    selectedDataset,
    run,
    error,
    modelTask,
    compatibleDatasets,
    choosePreset,
    training,
    init,
    start,
    stop,
    refreshDatasets,
  };
});
