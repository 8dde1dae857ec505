/**
 * The parts of an HTTP request target that the browser host acts on, read without ever throwing: a target such as
 * `//[` or `/%E0%A4%A` is hostile input, not a bug, and must cost the sender a 400, not the host its process.
 */
export interface RequestTarget {
  /** The path, still percent-encoded. */
  rawPath: string;
  token: string | null;
}

/** null when the target is not a path the host could serve (absolute-form, authority-form, unparsable). */
export function parseRequestTarget(target: string | undefined): RequestTarget | null {
  if (!target || !target.startsWith('/') || target.startsWith('//')) return null;
  try {
    const url = new URL(target, 'http://host.invalid');
    return { rawPath: url.pathname, token: url.searchParams.get('token') };
  } catch {
    return null;
  }
}

/** The decoded path relative to the served folder, or null when its percent-encoding is broken or it names a NUL. */
export function decodeServedPath(rawPath: string): string | null {
  try {
    const path = decodeURIComponent(rawPath);
    return path.includes('\0') ? null : path === '/' ? 'index.html' : path.replace(/^\/+/, '');
  } catch {
    return null;
  }
}
