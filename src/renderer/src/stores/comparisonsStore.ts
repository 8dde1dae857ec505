import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { ComparisonRecord, ComparisonReport } from '../../../shared/comparison';
import type { TrainEvent } from '../../../shared/events';
import type { RunRecord } from '../../../shared/runs';
import { workbench } from '../api/workbench';
import { offerDownload } from '../interaction/documentFiles';

const message = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

/** Attention vs fully connected: the comparisons started, and the one opened with both runs' logs for its chart. */
export const useComparisonsStore = defineStore('comparisons', () => {
  const comparisons = shallowRef<ComparisonRecord[]>([]);
  const report = shallowRef<ComparisonReport | null>(null);
  const runs = shallowRef<{ run: RunRecord; events: TrainEvent[] }[]>([]);
  const error = ref<string | null>(null);

  async function act(work: () => Promise<void>): Promise<void> {
    error.value = null;
    try {
      await work();
    } catch (cause) {
      error.value = message(cause);
    }
  }

  const refresh = () =>
    act(async () => {
      comparisons.value = await workbench.invoke('comparisons:list', {});
    });

  const open = (comparisonId: string) =>
    act(async () => {
      const opened = await workbench.invoke('comparisons:report', { comparisonId });
      runs.value = await Promise.all(
        [opened.record.attentionRunId, opened.record.baselineRunId].map((runId) =>
          workbench.invoke('runs:get', { runId }),
        ),
      );
      report.value = opened;
    });

  /** The report as the self-contained HTML file main wrote (or would write, while training). */
  function saveHtml(): void {
    if (!report.value) return;
    const url = URL.createObjectURL(new Blob([report.value.html], { type: 'text/html' }));
    offerDownload(`attention-vs-fully-connected-${report.value.record.datasetId}.html`, url);
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  return { comparisons, report, runs, error, refresh, open, saveHtml };
});
