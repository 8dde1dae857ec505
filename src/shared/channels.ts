/**
 * Channel names alone, with no imports, so that the preload bundle can check them without pulling in the schemas.
 * ipc.ts gives each one its request schema and response type.
 */
export const INVOKE_CHANNELS = [
  'app:info',
  'app:language',
  'datasets:list',
  'datasets:import',
  'datasets:cancel-import',
  'datasets:remove',
  'datasets:inspect',
  'datasets:samples',
  'dialog:pick-path',
  'presets:list',
  'train:start',
  'train:stop',
  'train:pause',
  'train:queue-move',
  'runs:list',
  'runs:damaged',
  'runs:export-pytorch',
  'runs:import',
  'architecture:export-pytorch',
  'runs:get',
  'runs:metrics-csv',
  'runs:active',
  'runs:resume',
  'runs:update',
  'runs:delete',
  'runs:details',
  'runs:attention',
  'runs:evaluation',
  'runs:predict',
  'comparisons:start',
  'comparisons:list',
  'comparisons:report',
] as const;
export type InvokeChannel = (typeof INVOKE_CHANNELS)[number];

export const EVENT_CHANNELS = ['train:event', 'datasets:progress', 'menu:command'] as const;
export type EventChannel = (typeof EVENT_CHANNELS)[number];

export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(value);
}

export function isEventChannel(value: unknown): value is EventChannel {
  return typeof value === 'string' && (EVENT_CHANNELS as readonly string[]).includes(value);
}

/** Every response crosses a transport in this envelope, so that an error arrives as a message, not a stack trace. */
export type InvokeResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** What the preload exposes as window.workbench: the raw transport; api/workbench.ts types it from the contract. */
export interface WorkbenchBridge {
  invoke(channel: InvokeChannel, request: unknown): Promise<InvokeResult<unknown>>;
  on(channel: EventChannel, listener: (payload: unknown) => void): () => void;
  /** Desktop app only: the path of a file dropped on the window (the browser never reveals one). */
  pathForFile?(file: File): string;
}

/** The two Electron IPC channels that carry every invoke and every event of the contract. */
export const ELECTRON_INVOKE_CHANNEL = 'workbench:invoke';
export const ELECTRON_EVENT_CHANNEL = 'workbench:event';
