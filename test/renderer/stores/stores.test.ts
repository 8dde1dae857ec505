import { createPinia, setActivePinia } from 'pinia';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import type { InvokeResult, WorkbenchBridge } from '../../../src/shared/channels';
import type { DatasetSummary } from '../../../src/shared/datasets';
import { hyperParamsSchema } from '../../../src/shared/hyperParams';
import { PRESETS } from '../../../src/shared/architecture/presets';
import { hyperParamBounds } from '../../../src/shared/architecture/paramFields';
import { useAppStore } from '../../../src/renderer/src/stores/appStore';
import { useArchitectureStore } from '../../../src/renderer/src/stores/architectureStore';
import { useDatasetsStore } from '../../../src/renderer/src/stores/datasetsStore';
import { useModelActions } from '../../../src/renderer/src/stores/modelActions';
import { applyTrainEvent, emptyRunView } from '../../../src/renderer/src/stores/runView';
import { useTrainingStore } from '../../../src/renderer/src/stores/trainingStore';

/** One dataset per preset's default, of the preset's task (the renderer knows datasets only as summaries). */
const BUILTIN_DATASETS: DatasetSummary[] = [...new Map(PRESETS.map((p) => [p.defaultDatasetId, p.task])).entries()].map(
  ([id, task]) => ({
    id,
    name: id,
    task,
    description: '',
    source: '',
    classNames: ['a', 'b'],
    examples: 10,
    origin: 'builtin',
  }),
);

/** A main process that answers with those datasets and the presets, as the real one would. */
const answers: Record<string, unknown> = {
  'datasets:list': BUILTIN_DATASETS,
  'presets:list': PRESETS,
  'runs:active': [],
  'app:info': {
    version: 't',
    transport: 'browser-host',
    dataDir: '/d',
    backend: { name: 'wasm', skipped: [] },
    notice: null,
  },
};
/** What the stores asked main, in order. */
const requests: { channel: string; request: unknown }[] = [];
beforeAll(() => {
  const bridge: WorkbenchBridge = {
    invoke: async (channel, request): Promise<InvokeResult<unknown>> => {
      requests.push({ channel, request });
      return channel in answers ? { ok: true, value: answers[channel] } : { ok: false, error: `no ${channel} here` };
    },
    on: () => () => undefined,
  };
  (globalThis as unknown as { window: object }).window = { workbench: bridge };
});
beforeEach(() => setActivePinia(createPinia()));

describe('the stores', () => {
  it("start with the schema's training defaults and show its limits", () => {
    expect({ ...useTrainingStore().hyperParams }).toEqual(hyperParamsSchema.parse({}));
    const bounds = hyperParamBounds();
    expect(bounds.epochs).toEqual({ min: 1, max: 10_000, integer: true });
    expect(bounds.batchSize).toEqual({ min: 1, max: 4096, integer: true });
    expect(bounds.learningRate.integer).toBe(false);
    expect(bounds.learningRate.max).toBe(10);
  });

  it('open a valid preset and its dataset at start, and keep task and dataset together both ways', async () => {
    await useAppStore().init();
    const architecture = useArchitectureStore();
    const datasets = useDatasetsStore();
    expect(architecture.presetId).toBe(PRESETS[0]!.id);
    expect(datasets.datasetId).toBe(PRESETS[0]!.defaultDatasetId);
    expect(architecture.dataset?.task).toBe(PRESETS[0]!.task);

    // A dataset of another task opens that task's first preset, while the graph is an unedited preset.
    const seq2seq = BUILTIN_DATASETS.find((d) => d.task === 'seq2seq')!;
    datasets.select(seq2seq.id);
    expect(architecture.draft.task).toBe('seq2seq');
    expect(architecture.presetId).toBe(PRESETS.find((p) => p.task === 'seq2seq')!.id);
    expect(datasets.datasetId).toBe(seq2seq.id);
    // Said, with Undo: back to the first preset and its dataset.
    expect(datasets.switched?.preset.id).toBe(PRESETS.find((p) => p.task === 'seq2seq')!.id);
    datasets.undoSwitch();
    // No watch answers afterwards: what the action left is what stays.
    await nextTick();
    expect(architecture.presetId).toBe(PRESETS[0]!.id);
    expect(datasets.datasetId).toBe(PRESETS[0]!.defaultDatasetId);
    expect(datasets.switched).toBe(null);
    datasets.select(seq2seq.id);

    // A graph of another task moves the dataset to one it can train on, in the same action.
    const model = useModelActions();
    model.choosePreset(PRESETS.find((p) => p.task === 'sequence-labelling')!.id);
    expect(datasets.selectedDataset?.task).toBe('sequence-labelling');
    expect(architecture.dataset?.task).toBe('sequence-labelling');
    // The task picker, and undoing it, move the dataset too.
    model.setTask('text-classification');
    expect(datasets.selectedDataset?.task).toBe('text-classification');
    model.undo();
    expect(architecture.draft.task).toBe('sequence-labelling');
    expect(datasets.selectedDataset?.task).toBe('sequence-labelling');
    model.redo();
    expect(datasets.selectedDataset?.task).toBe('text-classification');
    // The store's own action changes the graph alone: the rule runs in the model's actions, not in a watch.
    architecture.choosePreset(PRESETS.find((p) => p.task === 'seq2seq')!.id);
    await nextTick();
    expect(datasets.selectedDataset?.task).toBe('text-classification');
    datasets.followModelTask();
    expect(datasets.selectedDataset?.task).toBe('seq2seq');

    // A drawn graph is never replaced: the editor says that the tasks differ instead.
    architecture.newGraph('sequence-labelling');
    await nextTick();
    datasets.select(seq2seq.id);
    expect(architecture.draft.task).toBe('sequence-labelling');
    expect(architecture.issues.some((issue) => /seq2seq|task/.test(issue.message))).toBe(true);
  });

  it("carry out the desktop menus' commands as actions", async () => {
    const architecture = useArchitectureStore();
    const preset = PRESETS[2]!;
    await architecture.runMenuCommand({
      command: 'open-spec',
      fileName: 'mine.json',
      text: JSON.stringify(preset.spec),
    });
    expect(architecture.fileMessage).toBe('opened mine.json');
    expect(architecture.draft.name).toBe(preset.spec.name);
    architecture.rename('Renamed');
    await architecture.runMenuCommand({ command: 'undo' });
    expect(architecture.draft.name).toBe(preset.spec.name);
    await architecture.runMenuCommand({ command: 'redo' });
    expect(architecture.draft.name).toBe('Renamed');
    await architecture.runMenuCommand({ command: 'open-spec', fileName: 'broken.json', text: '{"name": ' });
    expect(architecture.fileMessage).toMatch(/^broken\.json is not JSON/);
    expect(architecture.draft.name).toBe('Renamed');
    await architecture.runMenuCommand({ command: 'export-png' });
    expect(architecture.fileMessage).toBe('could not export: the editor is not shown');
  });
});

describe('the run view', () => {
  it('appends each event in place, counting versions, instead of copying its arrays', () => {
    const view = emptyRunView('r', 1);
    const stepLoss = view.stepLoss;
    for (let step = 1; step <= 1000; step++) {
      applyTrainEvent(view, {
        type: 'progress',
        runId: 'r',
        epoch: 1,
        step,
        globalStep: step,
        loss: 1 / step,
        samplesPerSecond: 1,
      });
    }
    expect(view.stepLoss).toBe(stepLoss);
    expect(view.stepLoss).toHaveLength(1000);
    expect(view.version).toBe(1000);
    expect(
      applyTrainEvent(view, {
        type: 'progress',
        runId: 'other',
        epoch: 1,
        step: 1,
        globalStep: 1,
        loss: 1,
        samplesPerSecond: 1,
      }),
    ).toBe(false);
    expect(view.version).toBe(1000);
  });
});

describe('the run view of a resumed run', () => {
  it('drops the points its checkpoint superseded and follows pause and resume', () => {
    const view = emptyRunView('r', 3);
    const progress = (globalStep: number) =>
      applyTrainEvent(view, {
        type: 'progress',
        runId: 'r',
        epoch: 1,
        step: globalStep,
        globalStep,
        loss: 1,
        samplesPerSecond: 1,
      });
    for (let step = 1; step <= 14; step++) progress(step);
    applyTrainEvent(view, {
      type: 'epoch',
      runId: 'r',
      epoch: 1,
      loss: 1,
      accuracy: 0,
      valLoss: 1,
      valAccuracy: 0,
      seconds: 1,
    });
    applyTrainEvent(view, { type: 'paused', runId: 'r', paused: true });
    expect(view.status).toBe('paused');
    applyTrainEvent(view, { type: 'paused', runId: 'r', paused: false });
    expect(view.status).toBe('running');
    applyTrainEvent(view, {
      type: 'started',
      runId: 'r',
      backend: { name: 'wasm', skipped: [] },
      datasetId: 'd',
      presetId: null,
      modelName: 'm',
      hyperParams: hyperParamsSchema.parse({ epochs: 3 }),
      parameterCount: 1,
      classNames: ['a', 'b'],
      split: { train: 1, validation: 1, test: 1 },
      stepsPerEpoch: 10,
      resumedFrom: { epoch: 1, globalStep: 10 },
    });
    expect(view.stepLoss.map(([step]) => step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(view.epochMetrics).toHaveLength(1);
  });

  it('export the architecture as drawn to PyTorch, bound to the chosen dataset, and show where it went', async () => {
    await useAppStore().init();
    answers['architecture:export-pytorch'] = {
      path: '/data/exports/x-pytorch',
      files: ['model.py'],
      source: 'initial weights',
    };
    const result = await useTrainingStore().exportPytorch();
    expect(result?.path).toBe('/data/exports/x-pytorch');
    const sent = requests.filter((r) => r.channel === 'architecture:export-pytorch').at(-1)!.request as {
      datasetId: string;
      spec: { name: string };
    };
    expect(sent.datasetId).toBe(useDatasetsStore().datasetId);
    expect(sent.spec.name).toBe(useArchitectureStore().spec.name);
  });
});
