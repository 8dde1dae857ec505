import { defineStore } from 'pinia';
import { computed, ref, shallowRef, toRef, triggerRef } from 'vue';
import { isLive, type TrainEvent } from '../../../shared/events';
import { describeIssue } from '../../../shared/architecture/analyzeSpec';
import type { InvokeRequest, PytorchExport } from '../../../shared/ipc';
import { workbench } from '../api/workbench';
import { useArchitectureStore } from './architectureStore';
import { useRecipeStore } from './recipeStore';
import { useDatasetsStore } from './datasetsStore';
import { applyTrainEvent, emptyRunView, type RunView } from './runView';
import type { ComparisonRecord } from '../../../shared/comparison';
import { t } from '../i18n';
import {
  applyComparisonEvent,
  comparisonEnded,
  comparisonProgress,
  type ComparedRunProgress,
} from '../runs/comparisonProgress';

const message = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

/** The run being watched, and what starts one: the recipe (recipeStore) sent with the graph and the dataset. */
export const useTrainingStore = defineStore('training', () => {
  const recipe = useRecipeStore();
  const { hyperParams, tokenizer } = recipe;
  // Events fold into the run in place; shallowRef keeps its long arrays out of deep reactivity.
  const run = shallowRef<RunView | null>(null);
  const error = ref<string | null>(null);
  // Events can overtake the answer to train:start; those of a run not yet known wait here to be replayed.
  const unclaimed: TrainEvent[] = [];
  let listening = false;
  /** The attention-vs-fully-connected comparison started here: both runs' progress, then where its report is. */
  const comparison = shallowRef<{
    record: ComparisonRecord;
    rows: ComparedRunProgress[];
    reportPath: string | null;
  } | null>(null);

  const training = computed(() => run.value?.status === 'starting' || isLive(run.value?.status ?? ''));

  const ended = (view: RunView | null) => !view || (view.status !== 'starting' && !isLive(view.status));

  /** Follows every run's events from now on (once). */
  function listen(): void {
    if (listening) return;
    listening = true;
    workbench.on('train:event', (event) => {
      // When the run shown has ended, the next one of the queue to start (from any window) is shown instead.
      if (event.type === 'started' && ended(run.value) && run.value?.runId !== event.runId) {
        run.value = emptyRunView(event.runId, event.hyperParams.epochs);
      }
      if (run.value && applyTrainEvent(run.value, event)) triggerRef(run);
      if (comparison.value && applyComparisonEvent(comparison.value.rows, event)) {
        triggerRef(comparison);
        if (event.type === 'finished' && comparisonEnded(comparison.value.rows)) void findReport();
      } else if (unclaimed.push(event) > 100) unclaimed.shift();
    });
  }

  /** What Train sends: the graph as drawn, the dataset, the recipe and the tokenizer; null while the graph is invalid. */
  function trainRequest(): InvokeRequest<'train:start'> | null {
    const architecture = useArchitectureStore();
    const datasets = useDatasetsStore();
    if (!architecture.valid) {
      error.value = t('errors.cannotTrain', { problems: architecture.issues.map(describeIssue).join('; ') });
      return null;
    }
    return {
      datasetId: datasets.datasetId,
      // The graph as drawn is what the worker builds; the preset it came from is kept for the record.
      spec: architecture.spec,
      ...(architecture.presetId ? { presetId: architecture.presetId } : {}),
      // Blocks frozen in an earlier graph that this one no longer has are left out, not refused.
      hyperParams: {
        ...hyperParams,
        freeze: hyperParams.freeze.filter((id) => architecture.draft.nodes.some((n) => n.id === id)),
      },
      ...(datasets.tokenizerSettings ? { tokenizer: datasets.tokenizerSettings } : {}),
    };
  }

  /** The architecture as drawn, with its initial weights, as a PyTorch folder bound to the chosen dataset. */
  async function exportPytorch(): Promise<PytorchExport | null> {
    const request = trainRequest();
    if (!request) return null;
    return workbench.invoke('architecture:export-pytorch', request);
  }

  /** Sends the request and watches the run it starts (its events may have come before the answer). */
  async function launch(send: () => Promise<string>): Promise<void> {
    try {
      const runId = await send();
      const view = emptyRunView(runId, hyperParams.epochs);
      for (const event of unclaimed.splice(0)) applyTrainEvent(view, event);
      run.value = view;
    } catch (cause) {
      error.value = message(cause);
    }
  }

  async function start(): Promise<void> {
    error.value = null;
    const request = trainRequest();
    if (!request) return;
    const from = recipe.initFromRun ? { initFromRun: recipe.initFromRun } : {};
    await launch(async () => (await workbench.invoke('train:start', { ...request, ...from })).runId);
  }

  /**
   * Attention vs fully connected: trains the drawn model, then its matched-weights fully connected baseline, on the
   * same split and seed; the Runs view shows the report. The attention run is watched first, the baseline after it.
   */
  async function compareWithBaseline(): Promise<void> {
    error.value = null;
    const request = trainRequest();
    if (!request) return;
    await launch(async () => {
      const record = await workbench.invoke('comparisons:start', request);
      comparison.value = { record, rows: comparisonProgress(record, hyperParams.epochs), reportPath: null };
      return record.attentionRunId;
    });
  }

  /** Main writes the report once both runs have ended; ask until it has (the last event can overtake the file). */
  async function findReport(attempt = 0): Promise<void> {
    const shown = comparison.value;
    if (!shown) return;
    const report = await workbench.invoke('comparisons:report', { comparisonId: shown.record.id }).catch(() => null);
    if (report?.path) comparison.value = { ...shown, reportPath: report.path };
    else if (attempt < 20) setTimeout(() => void findReport(attempt + 1), 500);
  }

  async function stop(): Promise<void> {
    if (!run.value) return;
    await workbench.invoke('train:stop', { runId: run.value.runId });
  }

  async function setPaused(paused: boolean): Promise<void> {
    if (!run.value) return;
    await workbench.invoke('train:pause', { runId: run.value.runId, paused });
  }

  /**
   * Shows a stored run as it stands: its log folded into a view, then its live events on top. A window that opens
   * (or reloads) while a run trains shows that run this way, with Stop and Pause reaching it.
   */
  async function show(runId: string): Promise<void> {
    const { run: record, events } = await workbench.invoke('runs:get', { runId });
    const view = emptyRunView(runId, record.hyperParams.epochs);
    for (const event of events) applyTrainEvent(view, event);
    // Statuses main knows but the log does not say (queued, or interrupted by a closed app).
    if (['queued', 'interrupted'].includes(record.status)) view.status = record.status;
    for (const event of unclaimed.splice(0)) applyTrainEvent(view, event);
    run.value = view;
  }

  /** On connect: the run training now (or paused, or first in the queue), if there is one. */
  async function reconnect(): Promise<void> {
    const active = await workbench.invoke('runs:active', {});
    const current = active.find((r) => r.status === 'running' || r.status === 'paused') ?? active[0];
    if (current) await show(current.id);
  }

  return {
    exportPytorch,
    hyperParams,
    tokenizer,
    run,
    initFromRun: toRef(recipe, 'initFromRun'),
    error,
    training,
    listen,
    start,
    compareWithBaseline,
    comparison,
    stop,
    setPaused,
    show,
    reconnect,
  };
});
