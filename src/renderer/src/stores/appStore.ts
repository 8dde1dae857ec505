import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AppInfo } from '../../../shared/ipc';
import { workbench } from '../api/workbench';
import { useArchitectureStore } from './architectureStore';
import { useDatasetsStore } from './datasetsStore';
import { useTrainingStore } from './trainingStore';

const message = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

/** The app itself: which transport and backend it runs on, what main had to say, and the first load. */
export const useAppStore = defineStore('app', () => {
  const appInfo = ref<AppInfo | null>(null);
  /** What could not be loaded, shown above every view. */
  const error = ref<string | null>(null);

  async function refreshAppInfo(): Promise<void> {
    appInfo.value = await workbench.invoke('app:info', {});
    // The worker picks its backend while the window opens; ask again until it has.
    if (!appInfo.value.backend) setTimeout(() => void refreshAppInfo().catch(() => undefined), 1000);
  }

  /** Loads datasets and presets and opens a valid pair, so that Train works at once. */
  async function init(): Promise<void> {
    const datasets = useDatasetsStore();
    const architecture = useArchitectureStore();
    useTrainingStore().listen();
    // A failed run may have cost the worker its backend: the status bar then says what main did about it.
    workbench.on('train:event', (event) => {
      if (event.type === 'finished' && event.status === 'failed') void refreshAppInfo().catch(() => undefined);
    });
    try {
      await Promise.all([datasets.refreshList(), architecture.loadPresets()]);
      const preset = architecture.presets[0];
      if (preset) architecture.open(preset.spec, preset.id);
      datasets.select(preset?.defaultDatasetId ?? datasets.datasets[0]?.id ?? '');
      await useTrainingStore().reconnect();
      await refreshAppInfo();
    } catch (cause) {
      error.value = message(cause);
    }
  }

  return { appInfo, error, refreshAppInfo, init };
});
