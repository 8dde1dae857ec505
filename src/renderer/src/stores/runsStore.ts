import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { AttentionEvent, TrainEvent } from '../../../shared/events';
import type { RunEvaluation } from '../../../shared/evaluation/runEvaluation';
import type { CheckpointInfo, DamagedRecord, RunRecord } from '../../../shared/runs';
import { workbench } from '../api/workbench';
import type { PytorchExport } from '../../../shared/ipc';
import { headHistory, type HeadHistory } from '../runs/headHistory';
import { filterRuns, sortRuns, type RunSort } from '../runs/runTable';

const message = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

/** An opened run: its record, its whole log, its checkpoints, and the attention snapshot being looked at. */
export interface OpenedRun {
  run: RunRecord;
  events: TrainEvent[];
  checkpoints: CheckpointInfo[];
  attentionEpochs: number[];
  attention: AttentionEvent | null;
  /** Its test report, if training wrote one. */
  evaluation: RunEvaluation | null;
  /** Every head's statistics over the saved epochs (token attention only). */
  heads: HeadHistory | null;
}

/** The Runs view: every stored run (the app's and the CLI's), one opened, several compared. */
export const useRunsStore = defineStore('runs', () => {
  const runs = shallowRef<RunRecord[]>([]);
  /** The queued runs' ids, next first. */
  const queue = ref<string[]>([]);
  const filter = ref('');
  const status = ref('');
  const sort = ref<RunSort>('started');
  const selected = ref<string[]>([]);
  const opened = shallowRef<OpenedRun | null>(null);
  const compared = shallowRef<{ run: RunRecord; events: TrainEvent[] }[]>([]);
  const error = ref<string | null>(null);
  /** Records that could not be read, each with its file and the reason. */
  const damaged = shallowRef<DamagedRecord[]>([]);

  const shown = computed(() => sortRuns(filterRuns(runs.value, filter.value, status.value), sort.value));

  async function act<T>(work: () => Promise<T>): Promise<T | undefined> {
    error.value = null;
    try {
      return await work();
    } catch (cause) {
      error.value = message(cause);
      return undefined;
    }
  }

  const refresh = () =>
    act(async () => {
      const [all, active, unreadable] = await Promise.all([
        workbench.invoke('runs:list', {}),
        workbench.invoke('runs:active', {}),
        workbench.invoke('runs:damaged', {}),
      ]);
      runs.value = all;
      damaged.value = unreadable;
      queue.value = active.filter((run) => run.status === 'queued').map((run) => run.id);
    });

  async function move(runId: string, offset: -1 | 1): Promise<void> {
    await act(async () => {
      await workbench.invoke('train:queue-move', { runId, offset });
      await refresh();
    });
  }

  function toggleSelected(runId: string): void {
    selected.value = selected.value.includes(runId)
      ? selected.value.filter((id) => id !== runId)
      : [...selected.value, runId].slice(-6);
  }

  async function open(runId: string): Promise<void> {
    await act(async () => {
      const [{ run, events }, details, evaluation] = await Promise.all([
        workbench.invoke('runs:get', { runId }),
        workbench.invoke('runs:details', { runId }),
        workbench.invoke('runs:evaluation', { runId }),
      ]);
      const snapshots = await Promise.all(
        details.attentionEpochs.map((epoch) => workbench.invoke('runs:attention', { runId, epoch })),
      );
      const history = headHistory(snapshots);
      opened.value = {
        run,
        events,
        ...details,
        attention: snapshots.at(-1) ?? null,
        evaluation,
        heads: history.series.length > 0 ? history : null,
      };
    });
  }

  async function showAttention(epoch: number): Promise<void> {
    const current = opened.value;
    if (!current) return;
    await act(async () => {
      const attention = await workbench.invoke('runs:attention', { runId: current.run.id, epoch });
      opened.value = { ...current, attention };
    });
  }

  async function compare(): Promise<void> {
    await act(async () => {
      compared.value = await Promise.all(selected.value.map((runId) => workbench.invoke('runs:get', { runId })));
    });
  }

  async function update(runId: string, patch: { name?: string; tags?: string[] }): Promise<void> {
    await act(async () => {
      const run = await workbench.invoke('runs:update', { runId, ...patch });
      runs.value = runs.value.map((r) => (r.id === runId ? run : r));
      if (opened.value?.run.id === runId) opened.value = { ...opened.value, run };
    });
  }

  /** Where the last PyTorch export went, to show it; null before any. */
  const exported = shallowRef<PytorchExport | null>(null);

  async function exportPytorch(runId: string): Promise<void> {
    exported.value = null;
    await act(async () => {
      exported.value = await workbench.invoke('runs:export-pytorch', { runId });
    });
  }

  /** A run trained by an exported train.py, back in the list: opened, so that its curves and report show. */
  async function importRun(path: string): Promise<void> {
    await act(async () => {
      const record = await workbench.invoke('runs:import', { path });
      await refresh();
      await open(record.id);
    });
  }

  async function remove(runId: string): Promise<void> {
    await act(async () => {
      await workbench.invoke('runs:delete', { runId });
      selected.value = selected.value.filter((id) => id !== runId);
      if (opened.value?.run.id === runId) opened.value = null;
      await refresh();
    });
  }

  async function resume(runId: string): Promise<void> {
    await act(async () => {
      await workbench.invoke('runs:resume', { runId });
      await refresh();
    });
  }

  async function stop(runId: string): Promise<void> {
    await act(async () => {
      await workbench.invoke('train:stop', { runId });
      await refresh();
    });
  }

  async function downloadCsv(runId: string): Promise<void> {
    await act(async () => {
      const { fileName, csv } = await workbench.invoke('runs:metrics-csv', { runId });
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      link.download = fileName;
      link.click();
      URL.revokeObjectURL(link.href);
    });
  }

  return {
    runs,
    queue,
    move,
    filter,
    status,
    sort,
    selected,
    opened,
    compared,
    error,
    damaged,
    shown,
    refresh,
    toggleSelected,
    open,
    showAttention,
    compare,
    update,
    remove,
    resume,
    stop,
    downloadCsv,
    exported,
    exportPytorch,
    importRun,
  };
});
