import { describe, expect, it } from 'vitest';
import { chunk, mapLimit } from './chunks.js';

describe('chunk', () => {
  it.each([
    { name: 'an empty list', items: 0, size: 10, sizes: [] },
    { name: 'an exact multiple', items: 20, size: 10, sizes: [10, 10] },
    { name: 'a remainder', items: 25, size: 10, sizes: [10, 10, 5] },
  ])('splits $name', ({ items, size, sizes }) => {
    expect(chunk(Array.from({ length: items }, (_, i) => i), size).map((c) => c.length)).toEqual(sizes);
  });
});

describe('mapLimit', () => {
  it('keeps the input order and never has more than the limit in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const result = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await Promise.resolve();
      inFlight -= 1;
      return n * 10;
    });

    expect(result).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });
});
