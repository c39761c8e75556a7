// The simulator's wire in a scenario run: each call costs its modelled round trip on the
// virtual clock (half on the way in, where the call takes effect, half on the way out),
// injected faults strike on it, and the react function's SQS calls go to the runner's queue
// front (ChangeMessageVisibility on the event queue is the runner's virtual visibility; every
// other SQS call is passed on to fauxqs).
import { SimApiError } from '../errors.js';
import type { FaultInjector } from '../server/faults.js';
import type { Input } from '../server/protocol.js';
import { errorOutcome, type SimServerOptions, type WireOutcome } from '../server/server.js';
import type { SqsEventSource } from './event-source.js';
import type { LatencyModel } from './latency.js';
import type { VirtualScheduler } from './virtual-time.js';

export function wireAround(scheduler: VirtualScheduler, latency: LatencyModel, faults: FaultInjector, elapsedSeconds: () => number): NonNullable<SimServerOptions['around']> {
  return async (call, handle) => {
    let half = 0;
    // The draw and the hold wait for every request sent with this one (VirtualScheduler.admit).
    await scheduler.admit(call.seq, () => {
      half = latency.callMs(call.action) / 2;
      return scheduler.hold(half);
    });
    const fault = faults.pick(call.action, elapsedSeconds());
    const outcome = fault ? await faults.apply(fault, call, handle, (seconds) => scheduler.hold(seconds * 1000)) : await handle();
    if ('drop' in outcome) return outcome;
    await scheduler.hold(half);
    return outcome;
  };
}

const MAX_VISIBILITY_SECONDS = 43_200;

export function sqsFront(options: { fauxqs: string; queueName: string; source: () => SqsEventSource | undefined }): NonNullable<SimServerOptions['sqs']> {
  const change = (entry: Input): SimApiError | undefined => {
    const seconds = entry.VisibilityTimeout;
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0 || seconds > MAX_VISIBILITY_SECONDS) {
      return new SimApiError('InvalidParameterValue', `Value ${String(seconds)} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200.`);
    }
    const handle = typeof entry.ReceiptHandle === 'string' ? entry.ReceiptHandle : '';
    if (!options.source()?.changeVisibility(handle, seconds)) {
      return new SimApiError('MessageNotInflight', 'Message does not exist or is not available for visibility timeout change.');
    }
    return undefined;
  };
  // The function may name the queue by its AWS URL (from the record's ARN) or by fauxqs's: match the name.
  const isEventQueue = (url: unknown) => typeof url === 'string' && url.replace(/\/+$/, '').split('/').pop() === options.queueName;
  return async (action, input, raw): Promise<WireOutcome> => {
    if (isEventQueue(input.QueueUrl) && action === 'ChangeMessageVisibility') {
      const error = change(input);
      return error ? errorOutcome(error, true) : { status: 200, body: {} };
    }
    if (isEventQueue(input.QueueUrl) && action === 'ChangeMessageVisibilityBatch') {
      const entries = Array.isArray(input.Entries) ? (input.Entries as Input[]) : [];
      const Successful: { Id: unknown }[] = [];
      const Failed: { Id: unknown; SenderFault: boolean; Code: string; Message: string }[] = [];
      for (const entry of entries) {
        const error = change(entry);
        if (error) Failed.push({ Id: entry.Id, SenderFault: true, Code: error.code, Message: error.message });
        else Successful.push({ Id: entry.Id });
      }
      return { status: 200, body: { Successful, Failed } };
    }
    // A delayed send (a deferred drain sent afresh) waits on the virtual clock, not fauxqs's.
    const delay = isEventQueue(input.QueueUrl) && action === 'SendMessage' && typeof input.DelaySeconds === 'number' ? input.DelaySeconds : 0;
    const body = delay > 0 ? JSON.stringify({ ...(JSON.parse(raw.body) as object), DelaySeconds: 0 }) : raw.body;
    const headers = Object.fromEntries(Object.entries(raw.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)));
    const response = await fetch(options.fauxqs, { method: 'POST', headers, body });
    const text = await response.text();
    const passed = Object.fromEntries(['x-amzn-query-error', 'x-amzn-errortype'].flatMap((k) => (response.headers.get(k) ? [[k, response.headers.get(k)!]] : [])));
    const answer = text.trim() === '' ? {} : (JSON.parse(text) as { MessageId?: string });
    if (delay > 0 && response.ok && answer.MessageId) options.source()?.delay(answer.MessageId, delay);
    return { status: response.status, body: answer, headers: passed };
  };
}
