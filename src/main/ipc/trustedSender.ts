/** Only the app's own page may call main; a frame from anywhere else (an injected iframe, a stray URL) is refused. */
export function isTrustedSender(frameUrl: string | undefined, appUrl: string): boolean {
  if (!frameUrl) return false;
  try {
    const strip = (url: string) => url.split(/[?#]/)[0];
    const app = new URL(appUrl);
    const frame = new URL(frameUrl);
    return app.protocol === 'file:' ? frame.protocol === 'file:' && strip(frameUrl) === strip(appUrl) : frame.origin === app.origin;
  } catch {
    return false;
  }
}
