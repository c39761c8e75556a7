import { describe, expect, it } from 'vitest';
import { concurrencyLimit, keyedSerialiser } from './serialise.js';

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

describe('concurrencyLimit', () => {
  it('runs at most the limit at once, in order, and a failed task frees its slot', async () => {
    // Prepare
    const limit = concurrencyLimit(2);
    const gates = Array.from({ length: 4 }, () => {
      let resolve: () => void = () => {};
      const promise = new Promise<void>((r) => (resolve = r));
      return { promise, resolve };
    });
    const started: number[] = [];
    const task = (i: number) => async () => {
      started.push(i);
      await gates[i]?.promise;
      if (i === 0) throw new Error('task 0 failed');
      return i;
    };

    // Act
    const runs = [0, 1, 2, 3].map((i) => limit(task(i)));
    await Promise.resolve();
    const firstTwo = [...started];
    gates[0]?.resolve();
    await expect(runs[0]).rejects.toThrow('task 0 failed');
    const afterFailure = [...started];
    for (const gate of gates) gate.resolve();
    const results = await Promise.allSettled(runs);

    // Assess
    expect(firstTwo).toEqual([0, 1]);
    expect(afterFailure).toEqual([0, 1, 2]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
  });
});
