import type { DatasetSummary } from '../../shared/datasets';
import type { DatasetImportRequest, ImportProgressEvent } from '../../shared/datasetImport';
import {
  inspectRequestSchema,
  samplesRequestSchema,
  type DatasetInspection,
  type DatasetSamples,
} from '../../shared/datasetInspection';
import type { z } from 'zod';
import type { DatasetLibrary } from '../../engine/data/library/datasetLibrary';
import {
  buildInspectionContext,
  inspectDataset,
  sampleDataset,
  type InspectionContext,
} from '../../engine/data/inspection/inspectDataset';

type InspectSettings = z.output<typeof inspectRequestSchema>;

/**
 * The Datasets view's side of main: lists, imports (with progress, cancellable), removes and inspects datasets.
 * Imports run in this process, yielding every few milliseconds, so that the app keeps answering while they read.
 */
export class DatasetService {
  private readonly imports = new Map<string, AbortController>();
  // The last inspection's derived state (split, learnt tokenizers): paging through samples reuses it.
  private lastContext: { key: string; context: Promise<InspectionContext> } | null = null;

  constructor(
    readonly library: DatasetLibrary,
    private readonly progress: (event: ImportProgressEvent) => void,
  ) {}

  list(): Promise<DatasetSummary[]> {
    return this.library.list();
  }

  async import(request: DatasetImportRequest): Promise<DatasetSummary> {
    if (this.imports.has(request.importId))
      throw new Error(`an import with id "${request.importId}" is already running`);
    const controller = new AbortController();
    this.imports.set(request.importId, controller);
    try {
      return await this.library.import(request.path, request.options, {
        signal: controller.signal,
        onProgress: (progress) => this.progress({ importId: request.importId, ...progress }),
      });
    } finally {
      this.imports.delete(request.importId);
    }
  }

  cancelImport(importId: string): { cancelled: boolean } {
    const controller = this.imports.get(importId);
    controller?.abort();
    return { cancelled: Boolean(controller) };
  }

  async remove(datasetId: string): Promise<{ removed: boolean }> {
    if (this.lastContext?.key.startsWith(`${JSON.stringify(datasetId)},`)) this.lastContext = null;
    return { removed: await this.library.remove(datasetId) };
  }

  async inspect(request: InspectSettings): Promise<DatasetInspection> {
    return inspectDataset(await this.context(request));
  }

  async samples(request: z.output<typeof samplesRequestSchema>): Promise<DatasetSamples> {
    const { split, offset, limit, ...settings } = request;
    return sampleDataset(await this.context(settings), split, offset, limit);
  }

  private context(settings: InspectSettings): Promise<InspectionContext> {
    const { datasetId, modelInputs, tokenizer, ...split } = settings;
    const key = `${JSON.stringify(datasetId)},${JSON.stringify([modelInputs, tokenizer, split])}`;
    if (this.lastContext?.key !== key) {
      const context = (async () => {
        const summary = await this.library.summary(datasetId);
        if (!summary) throw new Error(`unknown dataset "${datasetId}"`);
        return buildInspectionContext(
          summary,
          await this.library.load(datasetId),
          { ...split, tokenizer },
          modelInputs,
        );
      })();
      context.catch(() => (this.lastContext = this.lastContext?.key === key ? null : this.lastContext));
      this.lastContext = { key, context };
    }
    return this.lastContext.context;
  }
}
