import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { APP_VERSION } from '../appVersion';
import { createWorkbench } from '../createWorkbench';
import { defaultDataDir } from '../defaultDataDir';
import { workerLauncher } from '../training/launchTrainingWorker';
import { startBrowserHost } from './browserHost';

/** `npm run serve`: the workbench without Electron, its UI in any browser on this machine. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '0' }, 'data-dir': { type: 'string' } },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port ${values.port} is not a port number`);
  const here = dirname(fileURLToPath(import.meta.url));
  const workbench = await createWorkbench({
    dataDir: values['data-dir'] ?? defaultDataDir(),
    version: APP_VERSION,
    transport: 'browser-host',
    launchWorker: workerLauncher(new URL('./trainingWorker.js', import.meta.url)),
    decodeWorker: new URL('./decodeWorker.js', import.meta.url),
    tokenizeWorker: new URL('./tokenizeWorker.js', import.meta.url),
    ...(process.env['WORKBENCH_BACKEND'] ? { backend: process.env['WORKBENCH_BACKEND'] } : {}),
    // resources/ sits beside out/ in the source tree and in the packaged app.
    resourcesDir: fileURLToPath(new URL('../../resources', import.meta.url)),
  });
  const host = await startBrowserHost(workbench, join(here, '../renderer'), port);
  console.log(`Attention Workbench is serving at ${host.url}`);
  const shutdown = async () => {
    await host.close();
    await workbench.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(`Attention Workbench could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
