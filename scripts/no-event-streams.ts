// What the bundled AWS SDK clients get instead of @smithy/core/event-streams (about 15 KiB):
// the SDK's HTTP protocols import it lazily, only for an operation with an event stream in
// its input or output, and no operation the functions call has one (ECS, SQS, SSM,
// CloudWatch, EventBridge and Step Functions APIs are plain request/response). If one ever
// did, the call fails with this message instead of a missing module. scripts/bundle.ts
// aliases the package to this file.
const REASON = 'event streams are not bundled (scripts/no-event-streams.ts): no operation the functions call uses one';

export class EventStreamSerde {
  constructor() {
    throw new Error(REASON);
  }
}

export function eventStreamSerdeProvider(): never {
  throw new Error(REASON);
}
