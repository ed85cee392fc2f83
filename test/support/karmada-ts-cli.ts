// Runs the karmada-ts command from source (tests spawn it as a child process with node --import tsx).
import { main } from '../../src/cli/karmada-ts.js';

main(process.argv).catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
