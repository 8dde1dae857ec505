import { existsSync, readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * The Electron security settings, checked without the Electron binary: 'electron' is replaced by recording fakes,
 * and the app's own setup functions run against them. What they register is then called as Electron would.
 */
const electron = vi.hoisted(() => {
  type Handler = (...args: unknown[]) => unknown;
  const appHandlers = new Map<string, Handler>();
  const session = {
    permissionRequest: null as Handler | null,
    permissionCheck: null as Handler | null,
    headers: null as Handler | null,
  };
  const windows: { options: Record<string, unknown>; loaded: string | null }[] = [];
  return {
    appHandlers,
    session,
    windows,
    schemes: [] as unknown[],
    protocolHandlers: new Map<string, Handler>(),
    module: {
      app: {
        on: (name: string, handler: Handler) => appHandlers.set(name, handler),
        whenReady: () => Promise.resolve(),
      },
      session: {
        defaultSession: {
          setPermissionRequestHandler: (handler: Handler) => (session.permissionRequest = handler),
          setPermissionCheckHandler: (handler: Handler) => (session.permissionCheck = handler),
          webRequest: { onHeadersReceived: (handler: Handler) => (session.headers = handler) },
        },
      },
      BrowserWindow: class {
        constructor(options: Record<string, unknown>) {
          windows.push({ options, loaded: null });
        }
        once() {}
        loadURL(url: string) {
          windows.at(-1)!.loaded = url;
          return Promise.resolve();
        }
      },
    },
  };
});
vi.mock('electron', () => ({
  ...electron.module,
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => electron.schemes.push(...schemes),
    handle: (scheme: string, handler: (...args: unknown[]) => unknown) =>
      electron.protocolHandlers.set(scheme, handler),
  },
}));

const { setupSecurity, hardenWebContents } = await import('../../../src/main/security');
const { createMainWindow, hardenedWebPreferences, rendererUrl } = await import('../../../src/main/mainWindow');
const { registerAppScheme, setupAppProtocol } = await import('../../../src/main/appProtocol');
const { CONTENT_SECURITY_POLICY } = await import('../../../src/main/contentSecurityPolicy');

function fakeContents() {
  const listeners = new Map<string, (event: { preventDefault(): void }) => void>();
  let openHandler: (() => unknown) | null = null;
  return {
    listeners,
    open: () => openHandler?.(),
    contents: {
      on: (name: string, listener: (event: { preventDefault(): void }) => void) => listeners.set(name, listener),
      setWindowOpenHandler: (handler: () => unknown) => (openHandler = handler),
    },
  };
}

beforeEach(() => {
  delete process.env['ELECTRON_RENDERER_URL'];
});

describe('the window', () => {
  it('is created isolated, sandboxed, without Node or webviews, with web security, from app://', () => {
    createMainWindow();
    const { options, loaded } = electron.windows.at(-1)!;
    expect(options['webPreferences']).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
    expect(String((options['webPreferences'] as { preload: string }).preload)).toMatch(/preload\/index\.cjs$/);
    expect(loaded).toBe('app://workbench/index.html');
    expect(existsSync(String(options['icon']))).toBe(true);
    expect(hardenedWebPreferences('p')).toEqual({ ...(options['webPreferences'] as object), preload: 'p' });
  });

  it('loads the dev server only when electron-vite names one', () => {
    process.env['ELECTRON_RENDERER_URL'] = 'http://localhost:5173';
    expect(rendererUrl()).toBe('http://localhost:5173');
  });
});

describe('every web contents', () => {
  it('cannot navigate, redirect, attach a webview or open a window', () => {
    setupSecurity();
    const fake = fakeContents();
    electron.appHandlers.get('web-contents-created')!({}, fake.contents);
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = {
        prevented: false,
        preventDefault() {
          this.prevented = true;
        },
      };
      fake.listeners.get(name)!(event);
      expect(event.prevented, name).toBe(true);
    }
    expect(fake.open()).toEqual({ action: 'deny' });
    // The same hardening is what the hook applies.
    const direct = fakeContents();
    hardenWebContents(direct.contents as never);
    expect([...direct.listeners.keys()].sort()).toEqual([...fake.listeners.keys()].sort());
  });

  it('is granted no permission, and every response carries the CSP', async () => {
    setupSecurity();
    await Promise.resolve();
    const answers: boolean[] = [];
    electron.session.permissionRequest!({}, 'media', (granted: boolean) => answers.push(granted));
    electron.session.permissionRequest!({}, 'notifications', (granted: boolean) => answers.push(granted));
    expect(answers).toEqual([false, false]);
    expect(electron.session.permissionCheck!({}, 'clipboard-read')).toBe(false);
    let headers: Record<string, string[]> = {};
    electron.session.headers!(
      { responseHeaders: { 'x-other': ['1'] } },
      (result: { responseHeaders: Record<string, string[]> }) => (headers = result.responseHeaders),
    );
    expect(headers).toEqual({ 'x-other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});

describe('the content security policy', () => {
  it('allows no inline or evaluated code and nothing from elsewhere, and index.html repeats it', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|\*|http:|https:/);
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ]) {
      expect(CONTENT_SECURITY_POLICY).toContain(directive);
    }
    const html = readFileSync(new URL('../../../src/renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)![1]!;
    // frame-ancestors is ignored in a meta tag; the header carries it.
    expect(meta).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''));
  });
});

describe('the app:// protocol', () => {
  it('is registered standard and secure, with no privilege beyond fetch', () => {
    registerAppScheme();
    expect(electron.schemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('serves the renderer folder and nothing outside it', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const parent = await mkdtemp(join(tmpdir(), 'app-protocol-'));
    const dir = join(parent, 'renderer');
    await (await import('node:fs/promises')).mkdir(dir);
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>workbench</title>');
    await writeFile(join(parent, 'secret.txt'), 'secret');
    setupAppProtocol(dir);
    const handle = electron.protocolHandlers.get('app')! as (request: { url: string }) => Promise<Response>;
    const page = await handle({ url: 'app://workbench/index.html' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.text()).toContain('<title>workbench</title>');
    for (const url of [
      'app://workbench/../secret.txt',
      'app://workbench/..%2Fsecret.txt',
      'app://workbench/%E0%A4%A',
      'app://other/index.html',
      'app://workbench/missing.js',
      'file:///etc/passwd',
    ]) {
      expect((await handle({ url })).status, url).toBe(404);
    }
  });
});
