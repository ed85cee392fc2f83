import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { CommandArgsOverrider } from '../../apis/karmada/override.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { applyArgsOverrider } from './args.js';

function statefulSet(containers: unknown[]): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { template: { spec: { containers } } } };
}
const argsOf = (obj: KubeObject) => (obj.spec as any).template.spec.containers.map((c: any) => c.args);

describe('argsOverrider', () => {
  const cases: { name: string; containers: unknown[]; o: CommandArgsOverrider; want: unknown[] }[] = [
    { name: 'add appends args', containers: [{ name: 'db', args: ['--a'] }], o: { containerName: 'db', operator: 'add', value: ['--b', '--c'] }, want: [['--a', '--b', '--c']] },
    { name: 'add creates args', containers: [{ name: 'db' }], o: { containerName: 'db', operator: 'add', value: ['--b'] }, want: [['--b']] },
    { name: 'remove drops matching args and keeps order', containers: [{ name: 'db', args: ['--a', '--b', '--c'] }], o: { containerName: 'db', operator: 'remove', value: ['--b', '--zzz'] }, want: [['--a', '--c']] },
    { name: 'args of the command field are not touched', containers: [{ name: 'db', command: ['--a'], args: ['--a'] }], o: { containerName: 'db', operator: 'remove', value: ['--a'] }, want: [[]] },
    { name: 'each container with the name changes', containers: [{ name: 'db', args: [] }, { name: 'db', args: ['x'] }], o: { containerName: 'db', operator: 'add', value: ['y'] }, want: [['y'], ['x', 'y']] },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(argsOf(applyArgsOverrider(statefulSet(c.containers), c.o)), c.want));
  }
  test('command stays when args change', () => {
    const got = applyArgsOverrider(statefulSet([{ name: 'db', command: ['--a'], args: ['--a'] }]), { containerName: 'db', operator: 'remove', value: ['--a'] });
    assert.deepEqual((got.spec as any).template.spec.containers[0].command, ['--a']);
  });
});
