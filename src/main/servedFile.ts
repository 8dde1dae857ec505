import { extname, join, normalize, sep } from 'node:path';
import { decodeServedPath } from './host/requestTarget';

/** Content types of what the built renderer holds. */
export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';
}

/**
 * The file under `root` that a URL path names, or null when it names none: broken percent-encoding, a NUL, or a
 * path that climbs out of the root. The one rule for both ways the renderer is served: the app:// protocol of the
 * desktop app and the browser host.
 */
export function servedFilePath(root: string, rawPath: string): string | null {
  const relative = decodeServedPath(rawPath);
  if (relative === null) return null;
  const path = normalize(join(root, relative));
  return path.startsWith(root + sep) ? path : null;
}
