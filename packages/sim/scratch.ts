import { ECSClient, DescribeServicesCommand, ListContainerInstancesCommand, UpdateServiceCommand, DescribeContainerInstancesCommand } from '@aws-sdk/client-ecs';
import { CloudWatchClient, DescribeAlarmsCommand, DescribeAlarmHistoryCommand } from '@aws-sdk/client-cloudwatch';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { createSimulation, startSimServer } from './src/index.js';

const sim = createSimulation({ clusters: [{
  cluster: 'prod',
  capacityProviders: [{ name: 'spot-arm64', type: 'EC2_AUTOSCALING' }, { name: 'od-arm64', type: 'EC2_AUTOSCALING' }],
  services: [{ name: 'web', desiredCount: 10, runningCount: 10, strategy: [{ capacityProvider: 'spot-arm64', base: 0, weight: 3 }, { capacityProvider: 'od-arm64', base: 2, weight: 1 }], minimumHealthyPercent: 50, maximumPercent: 200, deploymentController: 'ECS', baseline: null, fallbackSince: null }],
  containerInstances: [
    { arn: 'arn:aws:ecs:us-east-1:123456789012:container-instance/prod/0f1e2d3c', ec2InstanceId: 'i-0b662ef9931388ba0', capacityProvider: 'spot-arm64', status: 'ACTIVE', runningTasks: 4, availabilityZone: 'us-east-1b', instanceType: 'm7g.large' },
    { arn: 'arn:aws:ecs:us-east-1:123456789012:container-instance/prod/aaaa', ec2InstanceId: 'i-aaaa', capacityProvider: 'spot-arm64', status: 'ACTIVE', runningTasks: 2, availabilityZone: 'us-east-1a', instanceType: 'm7g.large' },
    { arn: 'arn:aws:ecs:us-east-1:123456789012:container-instance/prod/bbbb', ec2InstanceId: 'i-bbbb', capacityProvider: 'od-arm64', status: 'ACTIVE', runningTasks: 4, availabilityZone: 'us-east-1a', instanceType: 'm7g.large' },
  ],
  alarms: { 'prod-spot-interruptions': 'OK' },
}] });
const server = await startSimServer(sim);
const cfg = { endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };
const ecs = new ECSClient(cfg);
console.log(JSON.stringify(await ecs.send(new ListContainerInstancesCommand({ cluster: 'prod', filter: 'ec2InstanceId in [i-aaaa, i-bbbb]' })), null, 1));
const d = await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web', 'nope'], include: ['TAGS'] }));
console.log(JSON.stringify(d.services?.[0]?.deployments), d.services?.[0]?.createdAt, d.failures);
try { await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', capacityProviderStrategy: [{ capacityProvider: 'od-arm64', weight: 1 }] })); } catch (e) { console.log((e as Error).name, (e as Error).message); }
const ci = await ecs.send(new DescribeContainerInstancesCommand({ cluster: 'prod', containerInstances: ['0f1e2d3c'] }));
console.log(ci.containerInstances?.[0]);
const cw = new CloudWatchClient(cfg);
sim.setAlarm('prod-spot-interruptions', 'ALARM');
console.log(await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['prod-spot-interruptions'] })));
console.log(await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'prod-spot-interruptions', HistoryItemType: 'StateUpdate', StartDate: new Date(0), EndDate: new Date('2030-01-01') })));
try { await cw.send(new DescribeAlarmsCommand({ NextToken: 'garbage' })); } catch (e) { console.log((e as Error).name, (e as Error).message); }
const eb = new EventBridgeClient(cfg);
console.log(await eb.send(new PutEventsCommand({ Entries: [{ Source: 'ecs-rebalancer', DetailType: 'Decision', Detail: '{"a":1}' }, { Source: 'x', DetailType: 'y', Detail: '[' }] })));
console.log(sim.decisionEvents.items, sim.report().apiCalls);
await server.close();
