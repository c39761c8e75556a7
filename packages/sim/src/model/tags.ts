import { SimApiError, invalidParameter } from '../errors.js';
import { parseEcsArn } from './arn.js';
import type { SimWorld } from './world.js';

const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** The tags of a service or cluster ARN; ResourceNotFoundException for anything else. */
export function tagsOf(w: SimWorld, resourceArn: string): Map<string, string> {
  const parsed = parseEcsArn(resourceArn);
  if (parsed?.type === 'service' && parsed.path.length === 2) {
    const svc = w.clusters.get(parsed.path[0] ?? '')?.services.get(parsed.path[1] ?? '');
    if (svc) return svc.tags;
  }
  if (parsed?.type === 'cluster') {
    const cluster = w.clusters.get(parsed.path[0] ?? '');
    if (cluster) return cluster.tags;
  }
  if (!parsed) throw invalidParameter(`Invalid resource ARN: ${resourceArn}`);
  throw new SimApiError('ResourceNotFoundException', 'The specified resource could not be found.');
}

/**
 * TagResource with ECS's tag rules: at most 50 tags per resource; key 1–128 and value 0–256
 * characters; letters, numbers, spaces and `_ . : / = + - @` only; no `aws:` prefix.
 */
export function tagResource(w: SimWorld, resourceArn: string, tags: { key?: string; value?: string }[]): void {
  const current = tagsOf(w, resourceArn);
  for (const { key, value = '' } of tags) {
    if (typeof key !== 'string' || key.length < 1 || key.length > 128) throw invalidParameter('Tag keys must be between 1 and 128 characters.');
    if (value.length > 256) throw invalidParameter(`The value of tag ${key} must be at most 256 characters.`);
    if (!TAG_CHARS.test(key) || !TAG_CHARS.test(value)) {
      throw invalidParameter(`Tag ${key} contains characters that are not allowed (letters, numbers, spaces and _ . : / = + - @).`);
    }
    if (key.toLowerCase().startsWith('aws:')) throw invalidParameter('Tag keys may not begin with aws:.');
  }
  const keys = new Set([...current.keys(), ...tags.map((t) => t.key as string)]);
  if (keys.size > 50) throw invalidParameter('A resource can have at most 50 tags.');
  for (const { key, value = '' } of tags) current.set(key as string, value);
}

export function untagResource(w: SimWorld, resourceArn: string, keys: string[]): void {
  const current = tagsOf(w, resourceArn);
  for (const key of keys) current.delete(key);
}
