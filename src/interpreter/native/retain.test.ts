import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import { gvkKey, gvkOf } from '../types.js';
import { retainMemberMetadata, retentionInterpreters } from './retain.js';

function obj(apiVersion: string, kind: string, rest: Record<string, unknown>, meta: KubeObject['metadata'] = { name: 'x', namespace: 'ns' }): KubeObject {
  return { apiVersion, kind, metadata: meta, ...rest };
}

interface Case {
  name: string;
  desired: KubeObject;
  observed: KubeObject;
  want: KubeObject;
}

const cases: Case[] = [
  {
    name: 'Deployment keeps member replicas when labelled retain-replicas=true',
    desired: obj('apps/v1', 'Deployment', { spec: { replicas: 2 } }, { name: 'd', labels: { 'resourcetemplate.karmada.io/retain-replicas': 'true' } }),
    observed: obj('apps/v1', 'Deployment', { spec: { replicas: 7 } }),
    want: obj('apps/v1', 'Deployment', { spec: { replicas: 7 } }, { name: 'd', labels: { 'resourcetemplate.karmada.io/retain-replicas': 'true' } }),
  },
  {
    name: 'Deployment without the label is applied as desired',
    desired: obj('apps/v1', 'Deployment', { spec: { replicas: 2 } }),
    observed: obj('apps/v1', 'Deployment', { spec: { replicas: 7 } }),
    want: obj('apps/v1', 'Deployment', { spec: { replicas: 2 } }),
  },
  {
    name: 'Pod keeps nodeName, serviceAccountName, volumes and per-container volumeMounts',
    desired: obj('v1', 'Pod', { spec: { containers: [{ name: 'c', image: 'new' }], initContainers: [{ name: 'i' }] } }),
    observed: obj('v1', 'Pod', {
      spec: {
        nodeName: 'node-1',
        serviceAccountName: 'default',
        volumes: [{ name: 'kube-api-access', projected: {} }],
        containers: [{ name: 'c', image: 'old', volumeMounts: [{ name: 'kube-api-access', mountPath: '/var/run' }] }],
        initContainers: [{ name: 'i', volumeMounts: [{ name: 'kube-api-access', mountPath: '/x' }] }],
      },
    }),
    want: obj('v1', 'Pod', {
      spec: {
        containers: [{ name: 'c', image: 'new', volumeMounts: [{ name: 'kube-api-access', mountPath: '/var/run' }] }],
        initContainers: [{ name: 'i', volumeMounts: [{ name: 'kube-api-access', mountPath: '/x' }] }],
        nodeName: 'node-1',
        serviceAccountName: 'default',
        volumes: [{ name: 'kube-api-access', projected: {} }],
      },
    }),
  },
  {
    name: 'Service keeps clusterIP, clusterIPs, healthCheckNodePort and allocated node ports',
    desired: obj('v1', 'Service', { spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443, nodePort: 30443 }] } }),
    observed: obj('v1', 'Service', {
      spec: {
        type: 'LoadBalancer',
        clusterIP: '10.0.0.5',
        clusterIPs: ['10.0.0.5'],
        healthCheckNodePort: 31000,
        ports: [
          { name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 },
          { name: 'https', port: 443, protocol: 'TCP', nodePort: 30999 },
        ],
      },
    }),
    want: obj('v1', 'Service', {
      spec: {
        type: 'LoadBalancer',
        ports: [
          { name: 'http', port: 80, nodePort: 30080 },
          { name: 'https', port: 443, nodePort: 30443 },
        ],
        healthCheckNodePort: 31000,
        clusterIP: '10.0.0.5',
        clusterIPs: ['10.0.0.5'],
      },
    }),
  },
  {
    name: 'headless Service (clusterIP None) keeps None',
    desired: obj('v1', 'Service', { spec: { clusterIP: 'None' } }),
    observed: obj('v1', 'Service', { spec: { clusterIP: 'None' } }),
    want: obj('v1', 'Service', { spec: { clusterIP: 'None' } }),
  },
  {
    name: 'ServiceAccount keeps generated secrets when the template has none',
    desired: obj('v1', 'ServiceAccount', {}),
    observed: obj('v1', 'ServiceAccount', { secrets: [{ name: 'sa-token-abc' }] }),
    want: obj('v1', 'ServiceAccount', { secrets: [{ name: 'sa-token-abc' }] }),
  },
  {
    name: 'ServiceAccount secrets given in the template win',
    desired: obj('v1', 'ServiceAccount', { secrets: [{ name: 'mine' }] }),
    observed: obj('v1', 'ServiceAccount', { secrets: [{ name: 'sa-token-abc' }] }),
    want: obj('v1', 'ServiceAccount', { secrets: [{ name: 'mine' }] }),
  },
  {
    name: 'PVC keeps the bound volumeName',
    desired: obj('v1', 'PersistentVolumeClaim', { spec: { resources: { requests: { storage: '1Gi' } } } }),
    observed: obj('v1', 'PersistentVolumeClaim', { spec: { volumeName: 'pv-1' } }),
    want: obj('v1', 'PersistentVolumeClaim', { spec: { resources: { requests: { storage: '1Gi' } }, volumeName: 'pv-1' } }),
  },
  {
    name: 'PV keeps claimRef',
    desired: obj('v1', 'PersistentVolume', { spec: {} }),
    observed: obj('v1', 'PersistentVolume', { spec: { claimRef: { name: 'c', namespace: 'ns' } } }),
    want: obj('v1', 'PersistentVolume', { spec: { claimRef: { name: 'c', namespace: 'ns' } } }),
  },
  {
    name: 'Job keeps the generated selector and controller-uid template labels',
    desired: obj('batch/v1', 'Job', { spec: { template: { metadata: { labels: { app: 'a' } }, spec: {} } } }),
    observed: obj('batch/v1', 'Job', {
      spec: {
        selector: { matchLabels: { 'controller-uid': 'u1' } },
        template: { metadata: { labels: { app: 'a', 'controller-uid': 'u1', 'job-name': 'x' } }, spec: {} },
      },
    }),
    want: obj('batch/v1', 'Job', {
      spec: {
        template: { metadata: { labels: { app: 'a', 'controller-uid': 'u1', 'job-name': 'x' } }, spec: {} },
        selector: { matchLabels: { 'controller-uid': 'u1' } },
      },
    }),
  },
  {
    name: 'service-account token Secret keeps the data its token controller filled',
    desired: obj('v1', 'Secret', { type: 'kubernetes.io/service-account-token' }),
    observed: obj('v1', 'Secret', { type: 'kubernetes.io/service-account-token', data: { token: 'dA==', 'ca.crt': 'Yw==' } }),
    want: obj('v1', 'Secret', { type: 'kubernetes.io/service-account-token', data: { token: 'dA==', 'ca.crt': 'Yw==' } }),
  },
  {
    name: 'an Opaque Secret is applied as desired',
    desired: obj('v1', 'Secret', { type: 'Opaque', data: { a: 'YQ==' } }),
    observed: obj('v1', 'Secret', { type: 'Opaque', data: { a: 'Yg==', b: 'Yw==' } }),
    want: obj('v1', 'Secret', { type: 'Opaque', data: { a: 'YQ==' } }),
  },
  {
    name: 'an observed object without spec changes nothing',
    desired: obj('v1', 'PersistentVolumeClaim', { spec: { storageClassName: 's' } }),
    observed: obj('v1', 'PersistentVolumeClaim', {}),
    want: obj('v1', 'PersistentVolumeClaim', { spec: { storageClassName: 's' } }),
  },
];

describe('Retain', () => {
  for (const c of cases) {
    test(c.name, () => {
      const before = structuredClone(c.desired);
      const got = retentionInterpreters[gvkKey(gvkOf(c.desired))](c.desired, c.observed);
      assert.deepEqual(got, c.want);
      assert.deepEqual(c.desired, before, 'desired not mutated');
    });
  }
});

// Karmada v1.19 default/native/retain_test.go, case by case
describe('Retain, Karmada v1.19 retain_test.go', () => {
  const retain = (d: KubeObject, o: KubeObject) => retentionInterpreters[gvkKey(gvkOf(d))](d, o);
  const label = { 'resourcetemplate.karmada.io/retain-replicas': 'true' };
  const deploy = (replicas: number | undefined, labels?: Record<string, string>) => obj('apps/v1', 'Deployment', { spec: replicas === undefined ? {} : { replicas } }, { name: 'nginx', ...(labels ? { labels } : {}) });
  test('deployment is control by hpa: the member replicas stay', () => assert.deepEqual(retain(deploy(2, label), deploy(3)), deploy(3, label)));
  test('deployment is not control by hpa: the template replicas win', () => assert.deepEqual(retain(deploy(2), deploy(3)), deploy(2)));
  test('empty observed replicas is an error', () => assert.throws(() => retain(deploy(2, label), deploy(undefined)), /failed to get spec.replicas from Deployment \/nginx/));

  const secret = (type: string, key: string, value: string) => obj('v1', 'Secret', { data: { [key]: value }, type }, {} as KubeObject['metadata']);
  const secretCases: { name: string; desired: KubeObject; observed: KubeObject; want: KubeObject }[] = [
    { name: 'secret data and uid are retained for type service-account-token', desired: secret('kubernetes.io/service-account-token', 'token', 'desired-token'), observed: secret('kubernetes.io/service-account-token', 'token', 'observed-token'), want: secret('kubernetes.io/service-account-token', 'token', 'observed-token') },
    {
      name: 'ignores missing uid and data for type service-account-token',
      desired: { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token' } as unknown as KubeObject,
      observed: { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token' } as unknown as KubeObject,
      want: { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token' } as unknown as KubeObject,
    },
    { name: 'does not retain for type tls', desired: secret('kubernetes.io/tls', 'tls.crt', 'desired-cert'), observed: secret('kubernetes.io/tls', 'tls.crt', 'observed-cert'), want: secret('kubernetes.io/tls', 'tls.crt', 'desired-cert') },
    { name: 'does not retain for type basic-auth', desired: secret('kubernetes.io/basic-auth', 'username', 'desired-user'), observed: secret('kubernetes.io/basic-auth', 'username', 'observed-user'), want: secret('kubernetes.io/basic-auth', 'username', 'desired-user') },
    { name: 'does not retain for type dockercfg', desired: secret('kubernetes.io/dockercfg', '.dockercfg', 'desired-docker-cfg'), observed: secret('kubernetes.io/dockercfg', '.dockercfg', 'observed-docker-cfg'), want: secret('kubernetes.io/dockercfg', '.dockercfg', 'desired-docker-cfg') },
  ];
  for (const c of secretCases) test(c.name, () => assert.deepEqual(retain(c.desired, c.observed), c.want));

  const job = (selector?: Record<string, string>, templateLabels?: Record<string, string>) =>
    obj('batch/v1', 'Job', { spec: { ...(selector ? { selector: { matchLabels: selector } } : {}), template: { metadata: templateLabels ? { labels: templateLabels } : {} } } });
  const uid = { 'controller-uid': 'uid-1', 'batch.kubernetes.io/controller-uid': 'uid-1' };
  test('job: matchLabels and templateLabels exist', () => assert.deepEqual(retain(job(undefined, { app: 'a' }), job(uid, { app: 'a', ...uid })), job(uid, { app: 'a', ...uid })));
  test('job: matchLabels does not exist', () => assert.deepEqual(retain(job(undefined, { app: 'a' }), job(undefined, { app: 'a', ...uid })), job(undefined, { app: 'a', ...uid })));
  test('job: templateLabels does not exist', () => assert.deepEqual(retain(job(undefined, { app: 'a' }), job(uid)), job(uid, { app: 'a' })));

  test('retain claimRef (PersistentVolume) and the observed volume name (PersistentVolumeClaim)', () => {
    assert.deepEqual(retain(obj('v1', 'PersistentVolume', { spec: {} }), obj('v1', 'PersistentVolume', { spec: { claimRef: { name: 'c' } } })), obj('v1', 'PersistentVolume', { spec: { claimRef: { name: 'c' } } }));
    assert.deepEqual(retain(obj('v1', 'PersistentVolumeClaim', { spec: {} }), obj('v1', 'PersistentVolumeClaim', { spec: { volumeName: 'pv-1' } })), obj('v1', 'PersistentVolumeClaim', { spec: { volumeName: 'pv-1' } }));
  });

  test('getAllDefaultRetentionInterpreter covers the kinds Karmada does', () => {
    assert.deepEqual(Object.keys(retentionInterpreters).sort(), ['apps/v1, Kind=Deployment', 'batch/v1, Kind=Job', 'v1, Kind=PersistentVolume', 'v1, Kind=PersistentVolumeClaim', 'v1, Kind=Pod', 'v1, Kind=Secret', 'v1, Kind=Service', 'v1, Kind=ServiceAccount']);
  });
});

describe('retainMemberMetadata', () => {
  test('resourceVersion, finalizers and ownerReferences come from the member', () => {
    const got = retainMemberMetadata(
      { metadata: { name: 'x', finalizers: ['mine'] } },
      { metadata: { name: 'x', resourceVersion: '42', finalizers: ['member/f'], ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'o', uid: 'u' }] } },
    );
    assert.equal(got.metadata.resourceVersion, '42');
    assert.deepEqual(got.metadata.finalizers, ['member/f']);
    assert.equal(got.metadata.ownerReferences?.[0].name, 'o');
  });

  test('member-added labels and annotations are kept; template values win on conflicts', () => {
    const got = retainMemberMetadata(
      { metadata: { labels: { app: 'new' }, annotations: { a: '1' } } },
      { metadata: { labels: { app: 'old', 'member/added': 'y' }, annotations: { a: '0', 'deployment.kubernetes.io/revision': '3' } } },
    );
    assert.deepEqual(got.metadata.labels, { app: 'new', 'member/added': 'y' });
    assert.deepEqual(got.metadata.annotations, { a: '1', 'deployment.kubernetes.io/revision': '3' });
  });

  test('keys Karmada propagated before and the template dropped are removed', () => {
    const got = retainMemberMetadata(
      { metadata: { labels: { keep: 'v' }, annotations: {} } },
      {
        metadata: {
          labels: { keep: 'v', dropped: 'v', 'member/added': 'y' },
          annotations: {
            'resourcetemplate.karmada.io/managed-labels': 'dropped,keep',
            'resourcetemplate.karmada.io/managed-annotations': 'gone,resourcetemplate.karmada.io/managed-annotations,resourcetemplate.karmada.io/managed-labels',
            gone: 'x',
            'member/note': 'n',
          },
        },
      },
    );
    assert.deepEqual(got.metadata.labels, { keep: 'v', 'member/added': 'y' });
    assert.deepEqual(got.metadata.annotations, { 'member/note': 'n' });
  });
});
