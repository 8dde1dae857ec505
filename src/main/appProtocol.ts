import { protocol } from 'electron';
import { APP_SCHEME, appProtocolResponse } from './appProtocolResponse';

/**
 * app:// must be declared before the app is ready: standard (so URLs have an origin and relative imports resolve),
 * secure (a secure context, like https), with fetch. Nothing else: no CORS bypass, no service workers.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves the built renderer on app://workbench/ (after the app is ready). */
export function setupAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => appProtocolResponse(request.url, rendererDir));
}
