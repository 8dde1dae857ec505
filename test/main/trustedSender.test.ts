import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '../../src/main/ipc/trustedSender';

describe('isTrustedSender', () => {
  const packaged = 'file:///opt/workbench/out/renderer/index.html';
  it('accepts the app page and refuses any other frame', () => {
    expect(isTrustedSender('file:///opt/workbench/out/renderer/index.html#/runs', packaged)).toBe(true);
    expect(isTrustedSender('file:///tmp/evil.html', packaged)).toBe(false);
    expect(isTrustedSender('https://example.com/', packaged)).toBe(false);
    expect(isTrustedSender(undefined, packaged)).toBe(false);
    expect(isTrustedSender('not a url', packaged)).toBe(false);
    expect(isTrustedSender('http://localhost:5173/page', 'http://localhost:5173/')).toBe(true);
    expect(isTrustedSender('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
  });

  it('accepts app://workbench/ pages only, though every custom-scheme URL has the origin "null"', () => {
    const app = 'app://workbench/index.html';
    expect(new URL('evil://x/').origin).toBe(new URL(app).origin);
    expect(isTrustedSender('app://workbench/index.html#/runs', app)).toBe(true);
    expect(isTrustedSender('app://workbench/other.html', app)).toBe(true);
    expect(isTrustedSender('evil://workbench/index.html', app)).toBe(false);
    expect(isTrustedSender('app://elsewhere/index.html', app)).toBe(false);
    expect(isTrustedSender('app:///index.html', 'app:///index.html')).toBe(false);
    expect(isTrustedSender('file:///opt/workbench/out/renderer/index.html', app)).toBe(false);
  });
});
