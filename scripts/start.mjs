// npm start: build, then open the Electron app. Where Electron cannot run (its binary could not be downloaded, or
// there is no display), say so in one line and serve the same UI through the browser host instead.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { buildApp } from './build.mjs';
import { explainMissingElectron, explainNoDisplay } from './electronHelp.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The Electron binary's path, or the reason there is none. require('electron') downloads it on first use. */
function findElectron() {
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (probe.status === 0 && probe.stdout) return { path: probe.stdout };
  const reason = (probe.stderr || '')
    .split('\n')
    .find((line) => /Error|error/.test(line))
    ?.trim();
  return { reason: reason || (probe.error ? probe.error.message : 'its binary could not be downloaded') };
}

buildApp();
const electron = findElectron();
const headless = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
if (electron.path && !headless) {
  const child = spawn(electron.path, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const version = JSON.parse(
    readFileSync(new URL('../node_modules/electron/package.json', import.meta.url), 'utf8'),
  ).version;
  const lines = electron.path ? explainNoDisplay() : explainMissingElectron({ reason: electron.reason, version });
  console.log(lines.join('\n'));
  const child = spawn(process.execPath, [fileURLToPath(new URL('../out/main/serve.js', import.meta.url))], {
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}
