/**
 * No inline or evaluated script or style anywhere; the renderer talks only to its own origin (the browser host's
 * WebSocket is same-origin). Sent as a header by the browser host and by Electron's session, and repeated in
 * index.html's meta tag.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
