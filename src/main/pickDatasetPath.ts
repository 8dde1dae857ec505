import { BrowserWindow, dialog } from 'electron';

/** The native dialog for choosing a dataset file or folder; null when the user cancels. */
export async function pickDatasetPath(kind: 'file' | 'folder'): Promise<string | null> {
  const options: Electron.OpenDialogOptions = {
    title: kind === 'folder' ? 'Import a dataset folder' : 'Import a dataset file',
    properties: [kind === 'folder' ? 'openDirectory' : 'openFile'],
    ...(kind === 'file'
      ? {
          filters: [
            {
              name: 'Datasets',
              extensions: ['csv', 'tsv', 'jsonl', 'ndjson', 'conll', 'conllu', 'iob', 'txt', 'bin', 'gz', 'idx3-ubyte'],
            },
            { name: 'All files', extensions: ['*'] },
          ],
        }
      : {}),
  };
  const window = BrowserWindow.getFocusedWindow();
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
