import { fileURLToPath } from 'node:url';
import { app, BrowserWindow } from 'electron';
import { setupApplicationMenu } from './applicationMenu';
import { APP_VERSION } from './appVersion';
import { createWorkbench } from './createWorkbench';
import { forkUtilityProcess } from './forkUtilityProcess';
import { pickDatasetPath } from './pickDatasetPath';
import { setupElectronIpc } from './ipc/bindElectronIpc';
import { registerAppScheme, setupAppProtocol } from './appProtocol';
import { createMainWindow, RENDERER_DIR, rendererUrl } from './mainWindow';
import { setupSecurity } from './security';
import { workerLauncher } from './training/launchTrainingWorker';

setupSecurity();
registerAppScheme();

app.whenReady().then(async () => {
  const workbench = await createWorkbench({
    dataDir: app.getPath('userData'),
    version: APP_VERSION,
    transport: 'electron',
    launchWorker: workerLauncher(new URL('./trainingWorker.js', import.meta.url)),
    decodeWorker: new URL('./decodeWorker.js', import.meta.url),
    forkProcess: forkUtilityProcess,
    tokenizeWorker: new URL('./tokenizeWorker.js', import.meta.url),
    ...(process.env['WORKBENCH_BACKEND'] ? { backend: process.env['WORKBENCH_BACKEND'] } : {}),
    // resources/ sits beside out/ in the source tree and in the packaged app.
    resourcesDir: fileURLToPath(new URL('../../resources', import.meta.url)),
    pickPath: pickDatasetPath,
    setLanguage: (language) => setupApplicationMenu(language),
  });
  setupAppProtocol(RENDERER_DIR);
  setupElectronIpc(workbench, rendererUrl());
  setupApplicationMenu();
  createMainWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
  });
  app.on('will-quit', () => void workbench.close());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
