import { parseClusterState } from '@ecs-rebalancer/core';
import type { ClusterState } from '@ecs-rebalancer/core';
import { InputError } from './errors.js';
import { readJsonFile, withFile, type Io } from './io.js';

/**
 * Reads `--cluster` files: each holds one ClusterState or an array of them (what `snapshot`
 * writes for one cluster or several). A problem inside an array names its index
 * (`[1].services[0].strategy`); a cluster given twice is refused.
 */
export async function readClusterFiles(files: readonly string[], io: Io): Promise<ClusterState[]> {
  const states: ClusterState[] = [];
  const from = new Map<string, string>();
  for (const file of files) {
    const raw = await readJsonFile(file, io);
    const items = Array.isArray(raw) ? raw : [raw];
    if (items.length === 0) throw new InputError(`${file}: an empty array holds no cluster`);
    items.forEach((item, i) => {
      const state = withFile(file, () => prefixed(Array.isArray(raw) ? `[${i}]` : '', () => parseClusterState(item)));
      const earlier = from.get(state.cluster);
      if (earlier !== undefined) throw new InputError(`${file}: cluster ${state.cluster} is given twice${earlier === file ? '' : ` (also in ${earlier})`}`);
      from.set(state.cluster, file);
      states.push(state);
    });
  }
  return states;
}

function prefixed<T>(prefix: string, parse: () => T): T {
  if (!prefix) return parse();
  try {
    return parse();
  } catch (error) {
    const problems = (error as { problems?: { path: string; message: string }[] }).problems;
    if (problems) {
      for (const p of problems) p.path = p.path ? `${prefix}${p.path.startsWith('[') ? '' : '.'}${p.path}` : prefix;
    }
    throw error;
  }
}
