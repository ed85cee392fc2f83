import { test } from 'node:test';
import assert from 'node:assert/strict';
import { childExecArgv } from './ipc.js';

test('a component keeps the loaders and profiling flags of its parent, never --eval, --test or --inspect', () => {
  const cases: [string, string[], string[]][] = [
    ['from dist', [], []],
    ['tsx through --import', ['--import', 'tsx'], ['--import', 'tsx']],
    ['tsx cli', ['--require', '/x/preflight.cjs', '--import', 'file:///x/loader.mjs'], ['--require', '/x/preflight.cjs', '--import', 'file:///x/loader.mjs']],
    ['--import=', ['--import=tsx'], ['--import=tsx']],
    ['a test runner child', ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-name-pattern', 'x'], ['--import', 'tsx']],
    ['node -e (runCli)', ['--import', 'tsx', '-e', 'import("x")'], ['--import', 'tsx']],
    ['profiling', ['--cpu-prof', '--cpu-prof-dir', '/tmp/p', '--heap-prof'], ['--cpu-prof', '--cpu-prof-dir', '/tmp/p', '--heap-prof']],
    ['memory and warnings', ['--max-old-space-size=4096', '--no-warnings', '--enable-source-maps'], ['--max-old-space-size=4096', '--no-warnings', '--enable-source-maps']],
    ['debugger', ['--inspect=9229', '--inspect-brk'], []],
  ];
  for (const [name, input, want] of cases) assert.deepEqual(childExecArgv(input), want, name);
});
