import { describe, expect, it } from 'vitest';
import { keyedSerialiser } from './serialise.js';

describe('keyedSerialiser', () => {
  it('runs tasks of one key one after another, even after a failure, and other keys side by side', async () => {
    // Prepare
    const serialise = keyedSerialiser();
    const log: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));

    // Act
    const first = serialise('prod/web', async () => {
      log.push('web-1 start');
      await gate;
      log.push('web-1 end');
      throw new Error('web-1 failed');
    });
    const second = serialise('prod/web', async () => void log.push('web-2'));
    const other = serialise('prod/api', async () => void log.push('api'));
    await other;
    release();
    await expect(first).rejects.toThrow('web-1 failed');
    await second;

    // Assess
    expect(log).toEqual(['web-1 start', 'api', 'web-1 end', 'web-2']);
  });
});
