import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { selectControllers } from './index.js';

describe('selectControllers (--controllers)', () => {
  const all = ['cluster', 'clusterStatus', 'detector', 'binding', 'execution'];
  const cases = [
    { name: "'*' enables every controller", flags: ['*'], want: all },
    { name: "'-foo' disables one", flags: ['*', '-execution'], want: ['cluster', 'clusterStatus', 'detector', 'binding'] },
    { name: 'comma-separated flags are split', flags: ['*,-cluster,-clusterStatus'], want: ['detector', 'binding', 'execution'] },
    { name: 'names alone enable only those, in registry order', flags: ['binding', 'detector'], want: ['detector', 'binding'] },
    { name: 'names are case-insensitive', flags: ['ClusterStatus'], want: ['clusterStatus'] },
    { name: 'nothing selected runs nothing', flags: [], want: [] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(selectControllers(c.flags, all), c.want));
  test("'*' leaves out Karmada's disabled-by-default controllers; naming one enables it", () => {
    assert.deepEqual(selectControllers(['*'], ['detector', 'hpaScaleTargetMarker', 'deploymentReplicasSyncer']), ['detector']);
    assert.deepEqual(selectControllers(['*', 'hpaScaleTargetMarker'], ['detector', 'hpaScaleTargetMarker', 'deploymentReplicasSyncer']), ['detector', 'hpaScaleTargetMarker']);
  });
  test('an unknown name is an error', () => assert.throws(() => selectControllers(['nope'], all), /unknown controller "nope"/));
});
