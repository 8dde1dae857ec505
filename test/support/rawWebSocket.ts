import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * A WebSocket client that speaks bytes, not the protocol: the handshake by hand, then whatever frames a test writes,
 * valid or not. The ws package refuses to send a malformed frame, and an attacker's client would not.
 */
export function openRawWebSocket(port: number, path: string, origin: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let head = '';
    socket.on('error', reject);
    socket.on('data', function onData(chunk) {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (head.startsWith('HTTP/1.1 101')) resolve(socket);
      else reject(new Error(head.split('\r\n')[0]));
    });
    socket.write(
      [
        `GET ${path} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        `Origin: ${origin}`,
        '',
        '',
      ].join('\r\n'),
    );
  });
}

export interface FrameParts {
  fin?: boolean;
  rsv?: number;
  opcode: number;
  masked?: boolean;
  payload: Uint8Array;
  /** Declare this length in the header instead of the payload's own. */
  declaredLength?: number;
}

/** One frame's bytes, honest or not: any opcode, reserved bits, missing mask, a length that lies. */
export function frameBytes({
  fin = true,
  rsv = 0,
  opcode,
  masked = true,
  payload,
  declaredLength,
}: FrameParts): Buffer {
  const length = declaredLength ?? payload.length;
  const header: number[] = [(fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0xf)];
  const maskBit = masked ? 0x80 : 0;
  if (length < 126) header.push(maskBit | length);
  else if (length < 65536) header.push(maskBit | 126, length >> 8, length & 0xff);
  else {
    header.push(maskBit | 127, 0, 0, 0, 0);
    header.push((length >>> 24) & 0xff, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff);
  }
  const mask = masked ? randomBytes(4) : Buffer.alloc(0);
  const body = Buffer.from(payload);
  if (masked) for (let i = 0; i < body.length; i++) body[i]! ^= mask[i % 4]!;
  return Buffer.concat([Buffer.from(header), mask, body]);
}

/** Sends raw bytes of an HTTP request and resolves with the status code the server answered, or null if it hung up. */
export function rawHttpStatus(port: number, requestText: string): Promise<number | null> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const done = () => {
      socket.destroy();
      const match = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      resolve(match ? Number(match[1]) : null);
    };
    socket.setTimeout(2000, done);
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) done();
    });
    socket.on('error', done);
    socket.on('end', done);
    socket.write(requestText);
  });
}
