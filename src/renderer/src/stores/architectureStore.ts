import { defineStore } from 'pinia';
import { computed, nextTick, ref, shallowRef } from 'vue';
import type { DatasetSummary } from '../../../shared/datasets';
import { parseSpecText } from '../../../shared/architecture/parseSpecText';
import type { Preset } from '../../../shared/architecture/presets';
import { workbench } from '../api/workbench';
import { t } from '../i18n';
import { saveSpecFile } from '../interaction/documentFiles';
import { useRecipeStore } from './recipeStore';
import type { SpecIssue } from '../../../shared/architecture/graphOrder';
import type { ModelSpec, Task } from '../../../shared/architecture/modelSpec';
import type { BlockKind } from '../../../shared/architecture/opCatalog';
import { blockIds, draftFromSpec, validateDraft, type ArchitectureDraft } from '../editor/architectureDraft';
import type { MenuCommand } from '../../../shared/ipc';
import { autoLayout, BLOCK_GAP, BLOCK_SIZE } from '../editor/autoLayout';
import {
  addBlock as placeBlock,
  connect as wire,
  connectionProblem,
  copyBlocks,
  disconnect as unwire,
  moveBlocks,
  pasteBlocks,
  removeBlocks,
  setParam as setBlockParam,
  type BlockClipboard,
  type Position,
} from '../editor/draftEdits';

/** What the chosen dataset tells the editor: the task it needs, its classes, its image size. */
export interface DatasetContext {
  task: Task;
  classes: number;
  imageShape?: { height: number; width: number; channels: number } | undefined;
}

const HISTORY_LIMIT = 200;

function emptyDraft(task: Task): ArchitectureDraft {
  return { name: t('errors.untitled'), task, inputs: [], nodes: [], layout: {} };
}

/**
 * The architecture being drawn: the draft, its undo history, the selection and the clipboard. Everything shown
 * about the graph (shapes, issues, totals) is derived from the draft, so undo restores it all.
 */
export const useArchitectureStore = defineStore('architecture', () => {
  const draft = shallowRef<ArchitectureDraft>(emptyDraft('text-classification'));
  const past = shallowRef<ArchitectureDraft[]>([]);
  const future = shallowRef<ArchitectureDraft[]>([]);
  const selection = ref<string[]>([]);
  const expanded = ref<string[]>([]);
  /** The preset last opened; the graph is that preset until it is edited. */
  const basePresetId = ref<string | null>(null);
  const modified = ref(false);
  const dataset = shallowRef<DatasetContext | null>(null);
  const notice = ref<string | null>(null);
  const presets = shallowRef<Preset[]>([]);
  /** What the last file action did (opened, saved, exported) or why it could not. */
  const fileMessage = ref<string | null>(null);
  /** The canvas's image export, while the editor is shown. */
  let exporter: ((format: 'png' | 'svg') => Promise<string>) | null = null;
  /** Counts documents opened, so that the canvas can fit each new one into view. */
  const openedCount = ref(0);
  let clipboard: BlockClipboard | null = null;

  const validation = computed(() => {
    const context = dataset.value;
    const targetInput = draft.value.task === 'seq2seq' ? draft.value.inputs[1] : undefined;
    // Seq2seq predicts target tokens: its classes are the target vocabulary, which the tokenizer caps at vocabSize.
    const classes = targetInput?.kind === 'tokens' ? targetInput.vocabSize : (context?.classes ?? 2);
    return validateDraft(draft.value, { classes: Math.max(2, classes), datasetTask: context?.task });
  });
  const spec = computed((): ModelSpec => validation.value.spec);
  const issues = computed((): SpecIssue[] => validation.value.issues);
  const valid = computed(() => issues.value.length === 0);
  const issuesByBlock = computed(() => validation.value.issuesByBlock);
  const presetId = computed(() => (modified.value ? null : basePresetId.value));
  const canUndo = computed(() => past.value.length > 0);
  const canRedo = computed(() => future.value.length > 0);

  /** Every edit goes through here: the previous draft is kept for undo. */
  function commit(next: ArchitectureDraft): void {
    if (next === draft.value) return;
    past.value = [...past.value.slice(-(HISTORY_LIMIT - 1)), draft.value];
    future.value = [];
    draft.value = next;
    modified.value = true;
  }

  function undo(): void {
    const previous = past.value[past.value.length - 1];
    if (!previous) return;
    future.value = [draft.value, ...future.value];
    past.value = past.value.slice(0, -1);
    draft.value = previous;
    dropMissingSelection();
  }

  function redo(): void {
    const next = future.value[0];
    if (!next) return;
    past.value = [...past.value, draft.value];
    future.value = future.value.slice(1);
    draft.value = next;
    dropMissingSelection();
  }

  function dropMissingSelection(): void {
    const ids = blockIds(draft.value);
    selection.value = selection.value.filter((id) => ids.has(id));
  }

  /** Opens a document (a preset, a file, an empty graph): a fresh history, laid out if it came without positions. */
  function open(spec: ModelSpec | ArchitectureDraft, fromPreset: string | null): void {
    const opened = 'outputs' in spec ? draftFromSpec(spec) : spec;
    const positioned = [...opened.inputs, ...opened.nodes].every((block) => opened.layout[block.id]);
    draft.value = positioned ? opened : { ...opened, layout: autoLayout(opened) };
    past.value = [];
    future.value = [];
    selection.value = [];
    expanded.value = [];
    basePresetId.value = fromPreset;
    modified.value = fromPreset === null;
    notice.value = null;
    openedCount.value++;
  }

  function newGraph(task: Task): void {
    open(emptyDraft(task), null);
  }

  /** Where a block added without a drop point goes: under the selected block, else under everything. */
  function nextPosition(after: string | null): Position {
    const layout = draft.value.layout;
    const anchor = after ? layout[after] : undefined;
    if (anchor) return { x: anchor.x, y: anchor.y + BLOCK_SIZE.height + BLOCK_GAP };
    const all = Object.values(layout);
    if (all.length === 0) return { x: 40, y: 40 };
    return { x: Math.min(...all.map((p) => p.x)), y: Math.max(...all.map((p) => p.y)) + BLOCK_SIZE.height + BLOCK_GAP };
  }

  /**
   * Adds a block from the palette. Dropped, it goes where it was dropped, unwired. Clicked (or chosen with the
   * keyboard) with one block selected, it reads that block and is placed under it; either way it becomes the
   * selection, so that pressing palette entries one after another builds a chain.
   */
  function addBlock(kind: BlockKind, position?: Position): string {
    const after = position === undefined && selection.value.length === 1 ? selection.value[0]! : null;
    const placed = placeBlock(draft.value, kind, position ?? nextPosition(after), after, dataset.value?.imageShape);
    commit(placed.draft);
    selection.value = [placed.id];
    return placed.id;
  }

  function connect(source: string, target: string, slot?: number): boolean {
    const next = wire(draft.value, source, target, slot);
    const changed = next !== draft.value;
    notice.value = changed ? null : connectionProblem(draft.value, source, target);
    commit(next);
    return changed;
  }

  function disconnect(target: string, index: number): void {
    commit(unwire(draft.value, target, index));
  }

  /** Deletes the selected blocks and the given wires (the canvas's selected edges) as one edit. */
  function removeSelected(wires: { target: string; index: number }[] = []): void {
    if (selection.value.length === 0 && wires.length === 0) return;
    // Later inputs first, so that each index still points at its wire when it is removed.
    let next = [...wires].sort((a, b) => b.index - a.index).reduce((d, w) => unwire(d, w.target, w.index), draft.value);
    next = removeBlocks(next, selection.value);
    commit(next);
    selection.value = [];
  }

  function copySelection(): number {
    if (selection.value.length === 0) return 0;
    clipboard = copyBlocks(draft.value, selection.value);
    return selection.value.length;
  }

  function paste(): void {
    if (!clipboard) return;
    const pasted = pasteBlocks(draft.value, clipboard, { x: 40, y: 40 });
    commit(pasted.draft);
    selection.value = pasted.ids;
    // The next paste lands further on rather than on top of this one.
    clipboard = copyBlocks(pasted.draft, pasted.ids);
  }

  function setParam(id: string, name: string, value: unknown): void {
    commit(setBlockParam(draft.value, id, name, value));
  }

  function move(positions: Record<string, Position>): void {
    commit(moveBlocks(draft.value, positions));
  }

  function layOut(): void {
    commit({ ...draft.value, layout: autoLayout(draft.value) });
  }

  function rename(name: string): void {
    if (name.trim()) commit({ ...draft.value, name: name.trim().slice(0, 200) });
  }

  function setTask(task: Task): void {
    commit({ ...draft.value, task });
  }

  async function loadPresets(): Promise<void> {
    presets.value = await workbench.invoke('presets:list', {});
  }

  function choosePreset(id: string): void {
    const preset = presets.value.find((p) => p.id === id);
    if (!preset) return;
    open(preset.spec, preset.id);
    useRecipeStore().applyPresetRecipe(preset.recipe);
  }

  /** The dataset training would use: its task, classes and image size check the graph. */
  function setDatasetContext(summary: DatasetSummary | null): void {
    dataset.value = summary
      ? { task: summary.task, classes: summary.classNames.length, imageShape: summary.imageShape }
      : null;
  }

  /** Opens a ModelSpec file's text; a broken file is refused by name and the graph stays as it was. */
  function openSpecText(text: string, fileName: string): void {
    try {
      open(parseSpecText(text, fileName), null);
      fileMessage.value = t('editor.opened', { file: fileName });
    } catch (error) {
      fileMessage.value = error instanceof Error ? error.message : String(error);
    }
  }

  function saveSpec(): void {
    fileMessage.value = t('editor.saved', { file: saveSpecFile(spec.value) });
  }

  function setExporter(next: typeof exporter): void {
    exporter = next;
  }

  async function exportImage(format: 'png' | 'svg'): Promise<void> {
    // A menu command may have just shown the editor: its canvas registers itself once mounted.
    if (!exporter) await nextTick();
    try {
      if (!exporter) throw new Error(t('errors.editorHidden'));
      fileMessage.value = t('editor.exported', { file: await exporter(format) });
    } catch (error) {
      fileMessage.value = t('editor.exportFailed', { reason: error instanceof Error ? error.message : String(error) });
    }
  }

  /** A command of the desktop app's File and Edit menus. */
  async function runMenuCommand(command: MenuCommand): Promise<void> {
    if (command.command === 'open-spec') openSpecText(command.text, command.fileName);
    else if (command.command === 'save-spec') saveSpec();
    else if (command.command === 'export-png' || command.command === 'export-svg')
      await exportImage(command.command === 'export-png' ? 'png' : 'svg');
    else if (command.command === 'undo') undo();
    else redo();
  }

  function toggleExpanded(id: string): void {
    expanded.value = expanded.value.includes(id) ? expanded.value.filter((e) => e !== id) : [...expanded.value, id];
  }

  return {
    draft,
    selection,
    expanded,
    basePresetId,
    modified,
    dataset,
    notice,
    openedCount,
    presets,
    fileMessage,
    loadPresets,
    choosePreset,
    setDatasetContext,
    openSpecText,
    saveSpec,
    setExporter,
    exportImage,
    runMenuCommand,
    validation,
    spec,
    issues,
    valid,
    issuesByBlock,
    presetId,
    canUndo,
    canRedo,
    undo,
    redo,
    open,
    newGraph,
    addBlock,
    connect,
    disconnect,
    removeSelected,
    copySelection,
    paste,
    setParam,
    move,
    layOut,
    rename,
    setTask,
    toggleExpanded,
  };
});
