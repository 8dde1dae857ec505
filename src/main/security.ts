import { app, session } from 'electron';
import { CONTENT_SECURITY_POLICY } from './contentSecurityPolicy';

/**
 * Electron's security checklist, applied to every web contents the app ever creates: no navigation away from the
 * app, no new windows, no permission granted, and the CSP sent as a header on every response.
 */
export function setupSecurity(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
    });
  });
}
