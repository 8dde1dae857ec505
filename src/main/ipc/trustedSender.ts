/**
 * Only the app's own page may call main; a frame from anywhere else (an injected iframe, a stray URL) is refused.
 * Scheme and host are compared, not URL.origin: for a custom scheme such as app:// that origin is "null" for every
 * URL, and would let any other custom-scheme page through.
 */
export function isTrustedSender(frameUrl: string | undefined, appUrl: string): boolean {
  if (!frameUrl) return false;
  try {
    const strip = (url: string) => url.split(/[?#]/)[0];
    const app = new URL(appUrl);
    const frame = new URL(frameUrl);
    if (app.protocol === 'file:') return frame.protocol === 'file:' && strip(frameUrl) === strip(appUrl);
    return frame.protocol === app.protocol && frame.host === app.host && frame.host !== '';
  } catch {
    return false;
  }
}
