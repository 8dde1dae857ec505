// npm run serve [-- --port N]: build, then serve the workbench to a browser on this machine (no Electron needed).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildApp } from './build.mjs';

buildApp();
const serve = fileURLToPath(new URL('../out/main/serve.js', import.meta.url));
const child = spawn(process.execPath, [serve, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
