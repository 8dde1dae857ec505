import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef, watch } from 'vue';
import type { DatasetInspection, DatasetSamples, InspectRequest, SplitName } from '../../../shared/datasetInspection';
import type { ImportFormat, ImportProgressEvent } from '../../../shared/datasetImport';
import type { DatasetSummary } from '../../../shared/datasets';
import { workbench } from '../api/workbench';
import { useArchitectureStore } from './architectureStore';
import { datasetForTask, presetForDataset } from './taskDatasetRule';
import { useRecipeStore } from './recipeStore';

const PAGE_SIZE = 24;
const message = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

/**
 * The datasets and the one chosen for training; for the Datasets view, that dataset inspected with the training
 * settings, paged samples, and imports.
 */
export const useDatasetsStore = defineStore('datasets', () => {
  const recipe = useRecipeStore();
  const architecture = useArchitectureStore();
  const datasets = ref<DatasetSummary[]>([]);
  const datasetId = ref('');
  const selectedDataset = computed(() => datasets.value.find((d) => d.id === datasetId.value) ?? null);
  /** The recipe's tokenizer for the chosen dataset's suggestion: what inspection and training both send. */
  const tokenizerSettings = computed(() =>
    recipe.tokenizerSettingsFor(selectedDataset.value?.defaultTokenizer ?? 'word'),
  );
  /** The datasets the drawn model can train on: those of its task. */
  const compatibleDatasets = computed(() => datasets.value.filter((d) => d.task === architecture.draft.task));
  const inspection = shallowRef<DatasetInspection | null>(null);
  const samples = shallowRef<DatasetSamples | null>(null);
  const sampleSplit = ref<SplitName>('train');
  const loading = ref(false);
  const error = ref<string | null>(null);
  const active = ref(false);
  const importForm = reactive({
    path: '',
    format: 'auto' as ImportFormat,
    imageSize: 32,
    channels: 3 as 1 | 3,
    textColumn: '',
    labelColumn: '',
    /** Tokens kept per text when a big text file is streamed into shards. */
    maxTokens: 256,
  });
  const importing = reactive({
    importId: null as string | null,
    progress: null as ImportProgressEvent | null,
    error: null as string | null,
    notes: [] as string[],
  });

  /**
   * The last time choosing a dataset replaced the architecture (an unedited preset of another task): said, never
   * silent, and undone by one click, back to the preset and the dataset before.
   */
  const switched = shallowRef<{
    preset: { id: string; name: string };
    dataset: { id: string; name: string };
    undo: { presetId: string | null; datasetId: string };
  } | null>(null);

  /** Chooses the dataset to train on; a dataset of another task opens a preset of it (taskDatasetRule). */
  function select(id: string): void {
    const before = { presetId: architecture.presetId, datasetId: datasetId.value };
    datasetId.value = id;
    const dataset = selectedDataset.value;
    architecture.setDatasetContext(dataset);
    if (!dataset) return;
    const preset = presetForDataset(
      dataset,
      architecture.draft.task,
      architecture.presetId !== null,
      architecture.presets,
    );
    if (!preset) return;
    switched.value = { preset, dataset, undo: { presetId: before.presetId, datasetId: before.datasetId } };
    architecture.open(preset.spec, preset.id);
  }

  function undoSwitch(): void {
    const undo = switched.value?.undo;
    switched.value = null;
    if (!undo) return;
    if (undo.presetId) architecture.choosePreset(undo.presetId);
    datasetId.value = undo.datasetId;
    architecture.setDatasetContext(selectedDataset.value);
  }

  /**
   * The rule's other half, called by every action that can change the model's task (modelActions.ts): a graph of
   * another task moves the selection to a dataset it can train on.
   */
  function followModelTask(): void {
    const id = datasetForTask(architecture.draft.task, datasetId.value, datasets.value, architecture.presets);
    if (id === datasetId.value) return;
    datasetId.value = id;
    architecture.setDatasetContext(selectedDataset.value);
  }

  /** Reloads the dataset list (after an import or a removal), keeping the selection when it still exists. */
  async function refreshList(choose?: string): Promise<void> {
    datasets.value = await workbench.invoke('datasets:list', {});
    if (choose) select(choose);
    else if (!selectedDataset.value) select(compatibleDatasets.value[0]?.id ?? '');
  }

  const request = computed((): InspectRequest => ({
    datasetId: datasetId.value,
    // The drawn model's token inputs give the lengths and vocabulary sizes the inspection shows.
    ...(architecture.draft.task === selectedDataset.value?.task && architecture.draft.inputs.length > 0
      ? { modelInputs: architecture.draft.inputs }
      : {}),
    ...(tokenizerSettings.value ? { tokenizer: tokenizerSettings.value } : {}),
    validationFraction: recipe.hyperParams.validationFraction,
    testFraction: recipe.hyperParams.testFraction,
    seed: recipe.hyperParams.seed,
    useFileSplit: recipe.hyperParams.useFileSplit,
  }));

  // Each answer is kept only if no newer request was made meanwhile, so a slow inspection never overwrites a newer one.
  let generation = 0;
  async function refresh(): Promise<void> {
    if (!active.value || !datasetId.value) return;
    const mine = ++generation;
    loading.value = true;
    error.value = null;
    try {
      const [found, page] = await Promise.all([
        workbench.invoke('datasets:inspect', request.value),
        workbench.invoke('datasets:samples', {
          ...request.value,
          split: sampleSplit.value,
          offset: 0,
          limit: PAGE_SIZE,
        }),
      ]);
      if (mine !== generation) return;
      inspection.value = found;
      samples.value = page;
    } catch (cause) {
      if (mine === generation) error.value = message(cause);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  async function page(direction: -1 | 1): Promise<void> {
    const current = samples.value;
    if (!current) return;
    const offset = Math.max(0, current.offset + direction * PAGE_SIZE);
    if (offset >= current.total) return;
    try {
      samples.value = await workbench.invoke('datasets:samples', {
        ...request.value,
        split: sampleSplit.value,
        offset,
        limit: PAGE_SIZE,
      });
    } catch (cause) {
      error.value = message(cause);
    }
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  watch(
    [request, sampleSplit, active],
    () => {
      clearTimeout(timer);
      timer = setTimeout(() => void refresh(), 150); // typing a number should not start an inspection per keystroke
    },
    { deep: true },
  );

  async function startImport(path = importForm.path): Promise<void> {
    if (!path.trim() || importing.importId) return;
    importForm.path = path;
    const importId = `import-${Date.now().toString(36)}`;
    Object.assign(importing, { importId, progress: null, error: null, notes: [] });
    const off = workbench.on('datasets:progress', (event) => {
      if (event.importId === importId) importing.progress = event;
    });
    try {
      const summary = await workbench.invoke('datasets:import', {
        importId,
        path: path.trim(),
        options: {
          format: importForm.format,
          imageHeight: importForm.imageSize,
          imageWidth: importForm.imageSize,
          channels: importForm.channels,
          maxTokens: importForm.maxTokens,
          ...(importForm.textColumn.trim() ? { textColumn: importForm.textColumn.trim() } : {}),
          ...(importForm.labelColumn.trim() ? { labelColumn: importForm.labelColumn.trim() } : {}),
        },
      });
      importing.notes = summary.notes ?? [];
      await refreshList(summary.id);
    } catch (cause) {
      importing.error = message(cause);
    } finally {
      off();
      importing.importId = null;
      importing.progress = null;
    }
  }

  async function cancelImport(): Promise<void> {
    if (importing.importId) await workbench.invoke('datasets:cancel-import', { importId: importing.importId });
  }

  async function pickPath(kind: 'file' | 'folder'): Promise<void> {
    try {
      const { path } = await workbench.invoke('dialog:pick-path', { kind });
      if (path) await startImport(path);
    } catch (cause) {
      importing.error = message(cause);
    }
  }

  async function remove(datasetId: string): Promise<void> {
    try {
      await workbench.invoke('datasets:remove', { datasetId });
      await refreshList();
    } catch (cause) {
      error.value = message(cause);
    }
  }

  return {
    datasets,
    datasetId,
    selectedDataset,
    tokenizerSettings,
    compatibleDatasets,
    select,
    switched,
    undoSwitch,
    followModelTask,
    refreshList,
    inspection,
    samples,
    sampleSplit,
    loading,
    error,
    active,
    importForm,
    importing,
    refresh,
    page,
    startImport,
    cancelImport,
    pickPath,
    remove,
  };
});
