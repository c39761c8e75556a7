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

/**
 * Runs at most `limit` tasks at a time; the others wait in order. Compose it inside
 * keyedSerialiser so that a task waiting for its key holds no slot.
 */
export function concurrencyLimit(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  const next = (): void => {
    if (running >= limit) return;
    const start = waiting.shift();
    if (!start) return;
    running += 1;
    start();
  };
  return <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      waiting.push(() => {
        Promise.resolve()
          .then(task)
          .then(resolve, reject)
          .finally(() => {
            running -= 1;
            next();
          });
      });
      next();
    });
}
