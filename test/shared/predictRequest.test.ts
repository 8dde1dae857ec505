import { describe, expect, it } from 'vitest';
import { MAX_PLAYGROUND_PIXELS, predictRequestSchema } from '../../src/shared/prediction';

const image = (width: number, height: number, bytes = width * height * 4) => ({
  runId: 'r1',
  example: { kind: 'image', width, height, rgba: Buffer.alloc(bytes, 7).toString('base64') },
});

describe('a question to a trained run, as main validates it', () => {
  it('accepts text, a sample row and an image whose bytes are 4 per pixel; beam width defaults to 4', () => {
    expect(predictRequestSchema.parse({ runId: 'r1', example: { kind: 'text', text: 'hello' } }).beamWidth).toBe(4);
    expect(
      predictRequestSchema.safeParse({ runId: 'r1', example: { kind: 'sample', split: 'test', row: 3 } }).success,
    ).toBe(true);
    expect(predictRequestSchema.safeParse(image(3, 5)).success).toBe(true);
  });

  it('refuses what would hang or flood the worker, naming the field', () => {
    const refused = (request: unknown) => {
      const result = predictRequestSchema.safeParse(request);
      expect(result.success).toBe(false);
      return result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    };
    expect(refused(image(3, 5, 59))).toMatch(/example.rgba: rgba holds 4 bytes per pixel/);
    expect(refused(image(3, 5, 61))).toMatch(/4 bytes per pixel/);
    expect(refused(image(MAX_PLAYGROUND_PIXELS, 2, 8))).toMatch(/at most 65536 pixels|4 bytes per pixel/);
    expect(refused({ ...image(1, 1), example: { ...image(1, 1).example, rgba: '####' } })).toMatch(/base64/);
    expect(refused({ runId: 'r1', example: { kind: 'text', text: 'x'.repeat(20_001) } })).toMatch(/example.text/);
    expect(refused({ runId: 'r1', example: { kind: 'text', text: '' } })).toMatch(/example.text/);
    expect(refused({ runId: 'r1', example: { kind: 'sample', split: 'test', row: -1 } })).toMatch(/example.row/);
    expect(refused({ runId: 'r1', example: { kind: 'text', text: 'a' }, beamWidth: 17 })).toMatch(/beamWidth/);
    expect(refused({ runId: '../etc', example: { kind: 'text', text: 'a' } })).toMatch(/runId/);
    expect(refused({ runId: 'r1', example: { kind: 'script', text: 'a' } })).toMatch(/example.kind/);
  });
});
