import { AlarmStore } from './alarms.js';
import { ArnFormat } from './arn.js';
import { VirtualClock } from './clock.js';
import { EventSink, type EventBridgeEvent, type EventOrigin } from './events.js';
import type { ProviderOptions, PutEventRecord, SimulationOptions } from './options.js';
import { SeededRandom } from './random.js';
import { ThrottleBuckets } from './throttle.js';
import type {
  AlarmChangeRecord,
  DeploymentRecord,
  DrainRecord,
  InterruptionRecord,
  LaunchFailureRecord,
  PlacementFailureRecord,
  RunningSample,
  ScaleOutRecord,
  SimCluster,
  SimInstance,
  SimReport,
  TaskFailureRecord,
} from './types.js';

/**
 * The simulation's whole state, shared by the model's modules (placement, scheduler,
 * capacity, draining, interruptions, writes, reports). Not exported from the package: the
 * `Simulation` facade is the public face.
 */
export class SimWorld {
  readonly clock: VirtualClock;
  readonly arns: ArnFormat;
  readonly region: string;
  readonly accountId: string;
  readonly opts: SimulationOptions;
  /** Events AWS would put on the default bus. */
  readonly events = new EventSink<EventBridgeEvent>();
  /** What the rebalancer published with PutEvents. */
  readonly decisionEvents = new EventSink<PutEventRecord>();
  readonly alarms: AlarmStore;
  readonly clusters = new Map<string, SimCluster>();
  readonly throttle: ThrottleBuckets | undefined;

  /** Ids and placement jitter. */
  readonly rng: SeededRandom;
  /** Which instances or tasks an interruption hits: its own stream, so it does not depend on how many ids were minted. */
  readonly pickRng: SeededRandom;
  /** Ids of events received by PutEvents. */
  readonly putRng: SeededRandom;
  readonly taskStartDelay: number;
  readonly spotWarning: number;
  readonly defaultSlots: number;
  readonly provisioningTimeout: number;
  /** The ECS agent's Spot draining delay in seconds; undefined when ECS_ENABLE_SPOT_INSTANCE_DRAINING is off. */
  readonly agentSpotDrainDelay: number | undefined;
  /** ec2InstanceId → container instance (alive or not), for the EC2-side controls. */
  readonly byEc2 = new Map<string, SimInstance>();

  /** ec2InstanceId → pending interruption (cleared at termination). */
  readonly interruptions = new Map<string, InterruptionRecord>();
  readonly interruptionLog: InterruptionRecord[] = [];
  readonly drains: DrainRecord[] = [];
  readonly strategyChanges: SimReport['strategyChanges'] = [];
  readonly deployments: DeploymentRecord[] = [];
  readonly placementFailures: PlacementFailureRecord[] = [];
  readonly scaleOuts: ScaleOutRecord[] = [];
  readonly alarmChanges: AlarmChangeRecord[] = [];
  readonly fargateInterruptions: SimReport['fargateSpotInterruptions'] = [];
  readonly launchFailures: LaunchFailureRecord[] = [];
  readonly failedToStart: TaskFailureRecord[] = [];
  readonly failedToStartBy = new Map<string, number>();
  readonly lostByService = new Map<string, number>();
  readonly apiCalls = new Map<string, number>();
  readonly throttledByAction = new Map<string, number>();
  readonly samples = new Map<string, RunningSample[]>();
  reconciling = false;

  constructor(options: SimulationOptions) {
    this.opts = options;
    this.clock = new VirtualClock(options.start ?? '2025-01-01T00:00:00.000Z');
    this.rng = new SeededRandom(options.seed ?? 1);
    this.pickRng = new SeededRandom((options.seed ?? 1) ^ 0x5eed);
    this.putRng = new SeededRandom((options.seed ?? 1) ^ 0xe7e7);
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.arns = new ArnFormat(this.region, this.accountId);
    this.alarms = new AlarmStore((name) => this.arns.alarm(name));
    this.taskStartDelay = options.taskStartDelaySeconds ?? 30;
    this.spotWarning = options.spotWarningSeconds ?? 120;
    this.defaultSlots = options.defaultSlotsPerInstance ?? 4;
    this.provisioningTimeout = options.provisioningTimeoutSeconds ?? 1800;
    const agent = options.agentSpotDraining;
    this.agentSpotDrainDelay = agent ? (agent === true ? 1 : (agent.delaySeconds ?? 1)) : undefined;
    if (options.throttling !== false) {
      const throttleClock = options.throttleClock;
      const now = throttleClock ? () => throttleClock(this.clock.now()) : () => this.clock.now();
      this.throttle = new ThrottleBuckets(now, options.throttling === true ? {} : (options.throttling ?? {}));
    }
  }

  /** Current virtual time, ISO 8601. */
  now(): string {
    return this.clock.iso();
  }

  /** A fresh event id and the current time, as an emitted event carries them. */
  origin(): EventOrigin {
    return { id: this.rng.uuid(), time: this.clock.iso().replace(/\.\d{3}Z$/, 'Z'), account: this.accountId, region: this.region };
  }

  providerOptions(cluster: string, provider: string): ProviderOptions {
    return this.opts.providers?.[`${cluster}/${provider}`] ?? this.opts.providers?.[provider] ?? {};
  }

  /** Counts a task that was RUNNING when its capacity went away. */
  countLost(cluster: string, service: string | undefined): void {
    const key = `${cluster}/${service ?? '(standalone)'}`;
    this.lostByService.set(key, (this.lostByService.get(key) ?? 0) + 1);
  }
}
