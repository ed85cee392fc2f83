import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { flagList, hoistGlobalFlags, operationScope, splitFlags } from './args.js';
import { goDurationFlag as parseGoDuration } from '../apimachinery/duration.js';
import { planWrapped } from './wrapped.js';

describe('hoistGlobalFlags (cobra finds the subcommand past leading flags)', () => {
  const cases: { name: string; args: string[]; want: string[] }[] = [
    { name: '--flag=value before the command moves after it', args: ['--kubeconfig=F', 'unjoin', 'm1'], want: ['unjoin', '--kubeconfig=F', 'm1'] },
    { name: '--flag value before the command keeps its value', args: ['--kubeconfig', 'F', 'unjoin', 'm1'], want: ['unjoin', '--kubeconfig', 'F', 'm1'] },
    { name: 'short flags with values (-n ns, -C m1)', args: ['-n', 'prod', '-C', 'm1', 'get', 'pods'], want: ['get', '-n', 'prod', '-C', 'm1', 'pods'] },
    { name: 'a joined short value (-nprod)', args: ['-nprod', 'get', 'pods'], want: ['get', '-nprod', 'pods'] },
    { name: 'an unknown leading flag is taken as boolean', args: ['-A', 'get', 'pods'], want: ['get', '-A', 'pods'] },
    { name: 'nothing before the command: unchanged', args: ['get', 'pods', '--kubeconfig', 'F'], want: ['get', 'pods', '--kubeconfig', 'F'] },
    { name: 'only flags: unchanged', args: ['--help'], want: ['--help'] },
    { name: 'flags before and inside a command group go after the leaf (top pod)', args: ['--kubeconfig', 'F', 'top', '-C', 'm1', 'pod', 'web'], want: ['top', 'pod', '--kubeconfig', 'F', '-C', 'm1', 'web'] },
    { name: 'a group without its subcommand is left as it is', args: ['--kubeconfig', 'F', 'top'], want: ['top', '--kubeconfig', 'F'] },
    { name: 'the value of a value flag is never the command', args: ['--karmada-context', 'get', 'version'], want: ['version', '--karmada-context', 'get'] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(hoistGlobalFlags(c.args), c.want));
});

describe('splitFlags', () => {
  const specs = [
    { name: 'operation-scope', short: 's', value: true },
    { name: 'clusters', short: 'C', value: true },
    { name: 'all-clusters', value: false },
  ];
  test('takes its flags out in every spelling and keeps the rest in order', () => {
    const s = splitFlags(['get', '-s', 'all', 'deploy', '--clusters=m1,m2', '-Cm3', '-o', 'wide', '--all-clusters'], specs);
    assert.deepEqual(s.rest, ['get', 'deploy', '-o', 'wide']);
    assert.deepEqual(s.flags['operation-scope'], ['all']);
    assert.deepEqual(flagList(s, 'clusters'), ['m1', 'm2', 'm3']);
    assert.deepEqual(s.flags['all-clusters'], ['true']);
  });
  test('nothing after -- is consumed', () => {
    assert.deepEqual(splitFlags(['exec', 'p', '--', 'sh', '-s', 'x'], specs).rest, ['exec', 'p', '--', 'sh', '-s', 'x']);
  });
  test('a value flag at the end says which flag lacks its value', () => {
    assert.throws(() => splitFlags(['get', '--clusters'], specs), /flag needs an argument: --clusters/);
  });
});

describe('operationScope', () => {
  test('defaults to karmada', () => assert.equal(operationScope(undefined), 'karmada'));
  test('an unknown value is refused as Karmada does', () => assert.throws(() => operationScope('everything'), /not support OperationScope: everything/));
  test('a scope the command lacks is refused', () => assert.throws(() => operationScope('all', ['karmada', 'members']), /not support operation scope: all/));
});

describe('parseGoDuration', () => {
  const cases: [string, number][] = [
    ['60s', 60_000],
    ['1m0s', 60_000],
    ['1m30s', 90_000],
    ['1.5h', 5_400_000],
    ['250ms', 250],
    ['0', 0],
  ];
  for (const [text, ms] of cases) test(text, () => assert.equal(parseGoDuration(text, 'wait'), ms));
  test('a bare number is not a duration', () => assert.throws(() => parseGoDuration('60', 'wait'), /invalid argument "60" for "--wait" flag: time: invalid duration "60"/));
});

describe('planWrapped (where a kubectl-backed command runs)', () => {
  const cases: { name: string; cmd: string; args: string[]; want?: { cluster?: string; kubectlArgs: string[] }; error?: RegExp }[] = [
    { name: 'create runs on the control plane with every kubectl flag', cmd: 'create', args: ['namespace', 'demo', '--dry-run=client', '-o', 'yaml'], want: { kubectlArgs: ['create', 'namespace', 'demo', '--dry-run=client', '-o', 'yaml'] } },
    { name: 'describe -s members -C m1 aims at the member', cmd: 'describe', args: ['deploy', 'web', '-s', 'members', '-C', 'm1'], want: { cluster: 'm1', kubectlArgs: ['describe', 'deploy', 'web'] } },
    { name: 'exec takes --cluster (no -C) and keeps the command after --', cmd: 'exec', args: ['-s', 'members', '--cluster', 'm1', 'p', '--', 'ls', '-C'], want: { cluster: 'm1', kubectlArgs: ['exec', 'p', '--', 'ls', '-C'] } },
    { name: 'members scope needs a cluster', cmd: 'api-resources', args: ['-s', 'members'], error: /must specify a member cluster with --cluster/ },
    { name: 'logs needs a cluster, as Karmada says', cmd: 'logs', args: ['p'], error: /must specify a cluster/ },
    { name: 'logs -C m1', cmd: 'logs', args: ['p', '-C', 'm1', '-f'], want: { cluster: 'm1', kubectlArgs: ['logs', 'p', '-f'] } },
    { name: 'describe refuses the all scope', cmd: 'describe', args: ['pods', '-s', 'all'], error: /not support operation scope: all/ },
    { name: '--karmada-context is karmadactl\'s, not kubectl\'s', cmd: 'label', args: ['ns', 'a', 'x=y', '--karmada-context', 'ctx'], want: { kubectlArgs: ['label', 'ns', 'a', 'x=y'] } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      if (c.error) return assert.throws(() => planWrapped(c.cmd, c.args), c.error);
      const p = planWrapped(c.cmd, c.args);
      assert.deepEqual({ cluster: p.cluster, kubectlArgs: p.kubectlArgs }, { cluster: c.want!.cluster, kubectlArgs: c.want!.kubectlArgs });
    });
  }
});
