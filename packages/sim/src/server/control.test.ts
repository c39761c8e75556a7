import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../model/simulation.js';
import { parseScenario } from '../scenario/schema.js';
import { scenarioWorld } from '../scenario/world-options.js';
import { simControl } from './control.js';

const scenario = parseScenario(JSON.parse(readFileSync(new URL('../../../../scenarios/scheduled-retirement.json', import.meta.url), 'utf8')));

function post(control: ReturnType<typeof simControl>, path: string, body: unknown) {
  return control({ method: 'POST', url: path, body: JSON.stringify(body) }) as { status: number; body: { events: { 'detail-type': string; detail: Record<string, unknown> }[] } };
}

describe('sim serve control: timeline entries as simulate applies them', () => {
  it('stops the instances an AWS Health retirement names at its startTime, as the scenario runner does', () => {
    // Prepare: the world and timeline `simulate --scenario scheduled-retirement` runs
    const sim = createSimulation(scenarioWorld(scenario));
    const control = simControl(sim, { timeline: scenario.timeline });
    const named = ['i-780898423859da8dd', 'i-b01a3d383fb00725f', 'i-12b7dcc9b03f9a299'];

    // Act: past the event (t+60 s), then past its startTime two days later
    post(control, '/_sim/advance', { seconds: 120 });
    const status = control({ method: 'GET', url: '/_sim/status', body: '' }) as { body: { applied: string[] } };
    const later = post(control, '/_sim/advance', { seconds: 2 * 24 * 3600 });

    // Assert: the entry was applied through Simulation.putAwsEvent (it names what stops), and EC2 stopped them
    expect(status.body.applied).toHaveLength(1);
    expect(status.body.applied[0]).toContain('AWS Health Event injected');
    for (const id of named) expect(status.body.applied[0]).toContain(id);
    const stopping = later.body.events.filter((e) => e['detail-type'] === 'EC2 Instance State-change Notification' && e.detail.state === 'stopping').map((e) => e.detail['instance-id']);
    expect(stopping.sort()).toEqual([...named].sort());
  });
});
