import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../apimachinery/types.js';
import { imagePullFailedStatus, isUnpullable, unpullableContainers } from './images.js';

describe('isUnpullable', () => {
  const cases: [string, string, string[], boolean][] = [
    ['registry fake is never pullable', 'fake/nginx:1.19.0', [], true],
    ['an image merely named fake is pullable', 'fake:1.0', [], false],
    ['an ordinary image is pullable', 'nginx:1.25', [], false],
    ['marked with its tag: that tag only', 'nginx:1.25', ['nginx:1.25'], true],
    ['marked with another tag: pullable', 'nginx:1.26', ['nginx:1.25'], false],
    ['marked without a tag: every tag', 'nginx:1.26', ['nginx'], true],
    ['marks compare normalised references', 'docker.io/library/nginx:1.25', ['nginx:1.25'], true],
    ['a registry port is not a tag', 'localhost:5000/app:v1', ['localhost:5000/app'], true],
    ['no image at all', '', ['nginx'], false],
  ];
  for (const [name, image, marked, want] of cases) test(name, () => assert.equal(isUnpullable(image, new Set(marked)), want));
});

const pod = (status: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', uid: 'u' },
  spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'fake/nginx:1.19.0' }, { name: 'side', image: 'busybox' }] },
  status,
});

describe('imagePullFailedStatus', () => {
  test('a pod that never ran: Pending, ErrImagePull, not ready', () => {
    const p = pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] });
    const s = imagePullFailedStatus(p, unpullableContainers(p, new Set()), { hostIP: '172.18.0.2', now: 't1', backOff: false }) as { phase: string; conditions: { type: string; status: string }[]; containerStatuses: { name: string; state: { waiting: { reason: string; message: string } } }[] };
    assert.equal(s.phase, 'Pending');
    assert.equal(s.conditions.find((c) => c.type === 'Ready')!.status, 'False');
    assert.equal(s.containerStatuses[0].state.waiting.reason, 'ErrImagePull');
    assert.match(s.containerStatuses[0].state.waiting.message, /failed to pull and unpack image "docker.io\/fake\/nginx:1.19.0"/);
    assert.equal(s.containerStatuses[1].state.waiting.reason, 'PodInitializing');
  });

  test('back-off: ImagePullBackOff naming the image', () => {
    const p = pod({ phase: 'Pending' });
    const s = imagePullFailedStatus(p, unpullableContainers(p, new Set()), { hostIP: 'h', now: 't', backOff: true }) as { containerStatuses: { state: { waiting: { reason: string; message: string } } }[] };
    assert.deepEqual(s.containerStatuses[0].state.waiting, { reason: 'ImagePullBackOff', message: 'Back-off pulling image "fake/nginx:1.19.0"' });
  });

  test('a pod that ran: stays Running, its restart counted, not ready', () => {
    const p = pod({ phase: 'Running', podIP: '10.0.0.5', containerStatuses: [{ name: 'app', restartCount: 0, state: { running: {} } }] });
    const s = imagePullFailedStatus(p, unpullableContainers(p, new Set()), { hostIP: 'h', podIP: '10.0.0.5', now: 't', backOff: false }) as { phase: string; podIP: string; containerStatuses: { restartCount: number }[] };
    assert.equal(s.phase, 'Running');
    assert.equal(s.podIP, '10.0.0.5');
    assert.equal(s.containerStatuses[0].restartCount, 1);
  });
});
