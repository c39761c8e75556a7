import { errorCode } from '../errors.js';
import type { Clock, KillSwitch, Log, SwitchMode } from '../ports.js';
import type { SignedJsonClient } from './signed-request.js';

/** GetParameter's answer, as far as it is read (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html). */
interface GetParameterOutput {
  Parameter?: { Value?: unknown };
}

// GetParameter is throttled per account (40 TPS by default for standard throughput); a warm
// function serving a storm of batches reads it at most once per KILL_SWITCH_CACHE_MS.
export const KILL_SWITCH_CACHE_MS = 30_000;
const MODES: ReadonlySet<string> = new Set(['active', 'paused', 'dry-run']);

/**
 * The kill switch as an SSM String parameter holding `active`, `paused` or `dry-run`, read
 * with a short cache. A missing parameter means `active`. A value that is none of the three
 * means `paused` (an operator who typed `pause` wants the rebalancer stopped, not running).
 * When SSM cannot be read, the last value read is kept; before any, the function is active
 * (an interruption drain must not wait for SSM), and the failure is logged. The call is
 * `AmazonSSM.GetParameter` through signed-request.ts (no client-ssm in the bundle).
 */
export class SsmKillSwitch implements KillSwitch {
  private cached: { mode: SwitchMode; readAt: number } | undefined;

  constructor(
    private readonly ssm: SignedJsonClient,
    private readonly name: string,
    private readonly options: { clock?: Clock; cacheMs?: number; log?: Log } = {},
  ) {}

  async mode(): Promise<{ mode: SwitchMode; source: string }> {
    const now = (this.options.clock ?? (() => new Date()))().getTime();
    const ttl = this.options.cacheMs ?? KILL_SWITCH_CACHE_MS;
    const source = `ssm:${this.name}`;
    if (this.cached && now - this.cached.readAt >= 0 && now - this.cached.readAt < ttl) return { mode: this.cached.mode, source };
    try {
      const out = await this.ssm.call<GetParameterOutput>('GetParameter', { Name: this.name });
      const raw = out.Parameter?.Value;
      const value = (raw === undefined || raw === null ? 'active' : String(raw)).trim().toLowerCase();
      const mode: SwitchMode = MODES.has(value) ? (value as SwitchMode) : 'paused';
      if (!MODES.has(value)) this.options.log?.error('kill switch value is not active, paused or dry-run: treated as paused', { parameter: this.name, value });
      this.cached = { mode, readAt: now };
    } catch (error) {
      if (errorCode(error) === 'ParameterNotFound') {
        this.cached = { mode: 'active', readAt: now };
      } else {
        this.options.log?.warn('kill switch not read: the last value read is used', { parameter: this.name, error: (error as Error).message, last: this.cached?.mode ?? 'active' });
        return { mode: this.cached?.mode ?? 'active', source };
      }
    }
    return { mode: this.cached.mode, source };
  }
}

/** A switch that never changes (local runs, tests). */
export function fixedKillSwitch(mode: SwitchMode, source = 'fixed'): KillSwitch {
  return { mode: async () => ({ mode, source }) };
}
