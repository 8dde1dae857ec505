import type { MenuCommand } from '../../../shared/ipc';
import { useArchitectureStore } from './architectureStore';
import { useDatasetsStore } from './datasetsStore';

/**
 * Every way the drawn model's task can change (a preset, a new graph, the task picker, a file, a run, undo), each
 * followed by the task-dataset rule's other half: the dataset moves to one the model can train on
 * (datasetsStore.followModelTask). An action per way in, not a watch on the draft's task, so that choosing a
 * dataset (datasetsStore.select, the rule's first half) never has a watch answering it.
 */
export function useModelActions() {
  const architecture = useArchitectureStore();
  const datasets = useDatasetsStore();
  const thenFollow =
    <A extends unknown[]>(action: (...args: A) => void) =>
    (...args: A): void => {
      action(...args);
      datasets.followModelTask();
    };
  return {
    open: thenFollow(architecture.open),
    choosePreset: thenFollow(architecture.choosePreset),
    newGraph: thenFollow(architecture.newGraph),
    setTask: thenFollow(architecture.setTask),
    openSpecText: thenFollow(architecture.openSpecText),
    undo: thenFollow(architecture.undo),
    redo: thenFollow(architecture.redo),
    async runMenuCommand(command: MenuCommand): Promise<void> {
      await architecture.runMenuCommand(command);
      datasets.followModelTask();
    },
  };
}
