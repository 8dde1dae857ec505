import { describe, expect, it } from 'vitest';
import { electronZipName, explainMissingElectron, explainNoDisplay } from '../../scripts/electronHelp.mjs';

describe('what npm start says when the desktop window cannot open', () => {
  it('says the binary could not be downloaded, why, and both ways to provide it', () => {
    const text = explainMissingElectron({
      reason: 'TypeError: fetch failed',
      version: '45.4.1',
      platform: 'linux',
      arch: 'x64',
    }).join('\n');
    expect(text).toMatch(/^The Electron binary could not be downloaded \(TypeError: fetch failed\)/);
    expect(text).toContain('ELECTRON_MIRROR=');
    expect(text).toContain('ELECTRON_OVERRIDE_DIST_PATH=');
    expect(text).toContain('electron-v45.4.1-linux-x64.zip');
    expect(text).not.toMatch(/Electron is not available/);
  });

  it('names the zip @electron/get fetches for the machine, and says plainly when there is no display', () => {
    expect(electronZipName('45.4.1', 'win32', 'arm64')).toBe('electron-v45.4.1-win32-arm64.zip');
    expect(explainNoDisplay()[0]).toMatch(/no display \(DISPLAY and WAYLAND_DISPLAY are unset\)/);
  });
});
