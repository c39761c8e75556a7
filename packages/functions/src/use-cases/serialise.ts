/**
 * Runs tasks one after another per key (a service), and tasks of different keys side by side:
 * two strategy changes for one service must never race, since each one redeploys it and the
 * second must see the record the first wrote.
 */
export function keyedSerialiser(): <T>(key: string, task: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const run = (tails.get(key) ?? Promise.resolve()).then(task);
    tails.set(
      key,
      run.catch(() => undefined),
    );
    return run;
  };
}
