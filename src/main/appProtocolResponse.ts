import { readFile } from 'node:fs/promises';
import { CONTENT_SECURITY_POLICY } from './contentSecurityPolicy';
import { contentTypeOf, servedFilePath } from './servedFile';

/** The desktop app's renderer is served from app://workbench/, a standard, secure origin of its own. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'workbench';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * The answer to one app:// request: a file of the built renderer, with the CSP; 404 for anything else (another
 * host, a path out of the folder, a missing file). Unlike file://, the origin is the app alone: no other file on
 * the disk is reachable from the page, and fetch and the CSP's 'self' mean the renderer folder.
 */
export async function appProtocolResponse(url: string, rendererDir: string): Promise<Response> {
  const notFound = () => new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return notFound();
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return notFound();
  const path = servedFilePath(rendererDir, parsed.pathname);
  if (!path) return notFound();
  try {
    return new Response(await readFile(path), {
      status: 200,
      headers: {
        'content-type': contentTypeOf(path),
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
      },
    });
  } catch {
    return notFound();
  }
}
