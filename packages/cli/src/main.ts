import { ExitCode, InputError } from './errors.js';
import type { Io } from './io.js';

type Command = (argv: string[], io: Io) => Promise<number>;

const commands: Record<string, { run: () => Promise<Command>; usage: string; help?: () => Promise<string> }> = {
  plan: {
    run: async () => (await import('./commands/plan.js')).planCommand,
    usage: 'rebalancer plan --event FILE|- --cluster FILE [--cluster FILE…] [--policy FILE] [--now ISO]',
    help: async () => (await import('./commands/plan.js')).planHelp,
  },
  validate: { run: async () => (await import('./commands/validate.js')).validateCommand, usage: 'rebalancer validate --policy FILE' },
  simulate: {
    run: async () => (await import('./commands/simulate.js')).simulateCommand,
    usage: 'rebalancer simulate [--scenario FILE|NAME | --cluster FILE --storm PROVIDER:COUNT[@S]… …] [--report DIR] [--json] (rebalancer simulate --help)',
    help: async () => (await import('./commands/simulate.js')).simulateUsage,
  },
  snapshot: {
    run: async () => (await import('./commands/snapshot.js')).snapshotCommand,
    usage: 'rebalancer snapshot --cluster NAME [--cluster NAME…] [--region R] [--out FILE] [--endpoint-url URL] [--alarm NAME…] [--policy FILE]',
  },
  sim: {
    run: async () => (await import('./commands/sim.js')).simCommand,
    usage: 'rebalancer sim serve [--scenario FILE|NAME | --cluster FILE…] [--port N]',
  },
  rollout: {
    run: async () => (await import('./commands/rollout.js')).rolloutCommand,
    usage: 'rebalancer rollout start|status|approve|abort|run … (rebalancer rollout --help)',
  },
};

function usage(): string {
  return ['usage:', ...Object.values(commands).map((c) => `  ${c.usage}`)].join('\n');
}

/**
 * The `rebalancer` entry point. Exit 0 on success, 1 when a scenario's expectations fail,
 * 2 on bad input with one line on stderr that names the file and the JSON path. A user's
 * mistake never prints a stack trace; an unexpected failure does (it is our bug).
 */
export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(`${usage()}\n`);
    return name === undefined ? ExitCode.BadInput : ExitCode.Ok;
  }
  const command = commands[name];
  if (!command) {
    io.stderr.write(`rebalancer: unknown command "${name}"\n${usage()}\n`);
    return ExitCode.BadInput;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    const usage = name === 'rollout' ? (await import('./commands/rollout.js')).rolloutUsage : command.usage;
    io.stdout.write(`usage: ${usage}\n${command.help ? `${await command.help()}\n` : ''}`);
    return ExitCode.Ok;
  }
  try {
    return await (await command.run())(rest, io);
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr.write(`rebalancer: ${error.message}\n`);
      return ExitCode.BadInput;
    }
    throw error;
  }
}
