import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { CommandArgsOverrider } from '../../apis/karmada/override.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { applyCommandOverrider } from './command.js';

function pod(containers: unknown[]): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers, initContainers: [{ name: 'nginx', image: 'busybox', command: ['sh'] }] } };
}
const commandsOf = (obj: KubeObject) => (obj.spec as any).containers.map((c: any) => c.command);

describe('commandOverrider', () => {
  const cases: { name: string; containers: unknown[]; o: CommandArgsOverrider; want: unknown[] }[] = [
    { name: 'add appends to the existing command', containers: [{ name: 'nginx', command: ['nginx', '-g'] }], o: { containerName: 'nginx', operator: 'add', value: ['daemon off;'] }, want: [['nginx', '-g', 'daemon off;']] },
    { name: 'add creates the command when there is none', containers: [{ name: 'nginx' }], o: { containerName: 'nginx', operator: 'add', value: ['/run.sh'] }, want: [['/run.sh']] },
    { name: 'remove drops every equal item', containers: [{ name: 'nginx', command: ['a', 'b', 'a', 'c'] }], o: { containerName: 'nginx', operator: 'remove', value: ['a'] }, want: [['b', 'c']] },
    { name: 'remove on a container without command leaves an empty list (as Karmada)', containers: [{ name: 'nginx' }], o: { containerName: 'nginx', operator: 'remove', value: ['a'] }, want: [[]] },
    { name: 'only the named container changes', containers: [{ name: 'nginx', command: ['x'] }, { name: 'side', command: ['y'] }], o: { containerName: 'side', operator: 'add', value: ['z'] }, want: [['x'], ['y', 'z']] },
    { name: 'an unknown container name changes nothing', containers: [{ name: 'nginx', command: ['x'] }], o: { containerName: 'other', operator: 'add', value: ['z'] }, want: [['x']] },
    { name: 'empty value leaves the command as it is', containers: [{ name: 'nginx', command: ['x'] }], o: { containerName: 'nginx', operator: 'add' }, want: [['x']] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const input = pod(c.containers);
      const before = structuredClone(input);
      const got = applyCommandOverrider(input, c.o);
      assert.deepEqual(commandsOf(got), c.want);
      assert.deepEqual(input, before, 'input untouched');
      assert.deepEqual((got.spec as any).initContainers[0].command, ['sh'], 'init containers are not touched');
    });
  }

  test('works on the pod template of a Deployment', () => {
    const d: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'app', command: ['a'] }] } } } };
    const got = applyCommandOverrider(d, { containerName: 'app', operator: 'add', value: ['b'] });
    assert.deepEqual((got.spec as any).template.spec.containers[0].command, ['a', 'b']);
  });

  test('a kind without a pod spec is left alone', () => {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
    assert.deepEqual(applyCommandOverrider(cm, { containerName: 'a', operator: 'add', value: ['b'] }), cm);
  });

  test('a command that is not a list is an error', () => {
    assert.throws(() => applyCommandOverrider(pod([{ name: 'nginx', command: 'sh -c' }]), { containerName: 'nginx', operator: 'add', value: ['x'] }), /not a list/);
  });
});
