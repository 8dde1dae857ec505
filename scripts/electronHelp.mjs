// What npm start says when the desktop window cannot open, and how to make it open. Plain words first, then the
// ways @electron/get and the electron package read (a mirror, or a copy of Electron already on disk).

/** The zip @electron/get would fetch for this machine, e.g. electron-v45.4.1-linux-x64.zip. */
export function electronZipName(version, platform = process.platform, arch = process.arch) {
  return `electron-v${version}-${platform}-${arch}.zip`;
}

/** Lines for a missing Electron binary: what failed, then how to provide it. */
export function explainMissingElectron({ reason, version, platform = process.platform, arch = process.arch }) {
  const zip = electronZipName(version, platform, arch);
  return [
    `The Electron binary could not be downloaded (${reason}), so the desktop window cannot open.`,
    'To provide it, either:',
    `  - download from a mirror you can reach:  ELECTRON_MIRROR=https://npmmirror.com/mirrors/electron/ npm start`,
    `  - or use a copy: get ${zip} on any machine with internet (github.com/electron/electron/releases/tag/v${version}),`,
    `    unzip it into a folder here, and run:  ELECTRON_OVERRIDE_DIST_PATH=/path/to/that/folder npm start`,
    'Meanwhile the same app runs in your browser, at the address below.',
  ];
}

/** Lines for a machine without a display (a server, an ssh session without X forwarding). */
export function explainNoDisplay() {
  return [
    'There is no display (DISPLAY and WAYLAND_DISPLAY are unset), so the desktop window cannot open.',
    'Run npm start in a desktop session, or over ssh with X forwarding (ssh -X).',
    'Meanwhile the same app runs in your browser, at the address below.',
  ];
}
