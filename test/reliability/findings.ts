// The 13 findings of issue 9 and the tests that reproduce each (the quick forms in `npm test`;
// the attacks of `npm run reliability` run the long forms). docs/RELIABILITY.md lists them.
export interface Finding {
  id: string;
  title: string;
  /** Tests in `npm test` that failed before the fix: file › name. */
  tests: string[];
}

const QUICK = 'test/reliability/attacks.test.ts';
const UNIT = 'packages/functions/src/use-cases/handle-react.reliability.test.ts';

export const FINDINGS: Finding[] = [
  { id: '1', title: 'a retried interruption drain arrives after the instance is gone', tests: [`${QUICK} › finding 1: drains under faults`, `${UNIT} › interruption drains against their deadline (finding 1)`] },
  { id: '2', title: 'an ambiguous UpdateService failure loses the baseline for good', tests: [`${QUICK} › findings 2, 3: ambiguous UpdateService`, 'packages/functions/src/adapters/ecs-strategy-writer.test.ts'] },
  { id: '3', title: 'two deployments for one decision', tests: [`${QUICK} › findings 2, 3: ambiguous UpdateService`] },
  { id: '4', title: 'a redelivered ALARM falls back again after the restore', tests: [`${QUICK} › finding 4: a redelivered ALARM after the restore`] },
  { id: '5', title: 'one record quarantines its whole batch', tests: [`${QUICK} › finding 5: isolation`, `${UNIT} › isolation (finding 5)`, `${UNIT} › a decision that throws is confined by the core (decideBatch)`] },
  {
    id: '6',
    title: 'account and region are never checked',
    tests: [`${QUICK} › finding 6: foreign events, default policy as deployed`, 'packages/functions/src/handlers/create-react-handler.test.ts › deployed (ownScope) …', 'infra/event-rules.test.ts › filters every rule on the deployment\'s own account and region …'],
  },
  { id: '7', title: 'concurrent invocations race', tests: [`${QUICK} › finding 7: concurrent invocations change a service once`] },
  { id: '8', title: 'minSeconds can be bypassed when a restore\'s record clear fails', tests: [`${QUICK} › finding 8: a restore's record clear fails, the alarm comes back`, 'packages/functions/src/adapters/ecs-cluster-reader.test.ts › copies the record\'s phase …'] },
  { id: '9', title: 'timestamps with impossible offsets or dates', tests: [`${QUICK} › finding 9: impossible timestamps`, `${QUICK} › reliability: every event parser fuzzed (quick form)`] },
  { id: '10', title: 'a record the quarantine cannot send is retried forever', tests: [`${QUICK} › finding 10: quarantine failure`, `${UNIT} › quarantine failures are classified (finding 10)`] },
  { id: '11', title: "an operator's change can be silently overwritten", tests: [`${QUICK} › finding 11: an operator's change is decided again, never overwritten`] },
  { id: '12', title: 'no kill switch; dry run leaks', tests: [`${QUICK} › finding 12: kill switch and dry run`, `${UNIT} › the kill switch (finding 12)`] },
  { id: '13', title: 'flapping: an alarm flipping every 60 s for two hours', tests: [`${QUICK} › finding 13: two hours of an alarm flipping every 60 s, default policy`] },
];
