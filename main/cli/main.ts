import { appVersion } from '../app-paths.js';
import { commands } from './commands/index.js';
import { runCli } from './run-cli.js';

// Entry of `wattlet` (package.json bin) and `npm run cli -- …`.
const code = await runCli(
  process.argv.slice(2),
  {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stdin: process.stdin,
    env: process.env,
  },
  commands,
  appVersion(),
);
process.exitCode = code;
