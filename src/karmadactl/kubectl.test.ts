import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlArgs, memberProxyServer, runKubectl } from './kubectl.js';

describe('kubectl aimed at the control plane or a member', () => {
  test("a member's server is the control plane's cluster proxy (Karmada's proxyURL)", () => {
    assert.equal(memberProxyServer('https://127.0.0.1:6443/', 'member1'), 'https://127.0.0.1:6443/apis/cluster.karmada.io/v1alpha1/clusters/member1/proxy/');
  });
  test('kubeconfig, context and server come before the command', () => {
    assert.deepEqual(kubectlArgs({ kubeconfig: 'F', context: 'karmada', server: 'https://x/proxy/' }, ['get', 'pods']), ['--kubeconfig', 'F', '--context', 'karmada', '--server', 'https://x/proxy/', 'get', 'pods']);
    assert.deepEqual(kubectlArgs({ kubeconfig: 'F' }, ['version']), ['--kubeconfig', 'F', 'version']);
  });
  test('a missing kubectl is a clear error, not a crash', async () => {
    const saved = process.env.KARMADACTL_KUBECTL;
    process.env.KARMADACTL_KUBECTL = '/nonexistent/kubectl';
    try {
      await assert.rejects(runKubectl({ kubeconfig: 'F' }, ['get', 'pods'], { capture: true }), /this command runs kubectl, which was not found on PATH \(\/nonexistent\/kubectl\): install kubectl 1\.27 or newer/);
    } finally {
      if (saved === undefined) delete process.env.KARMADACTL_KUBECTL;
      else process.env.KARMADACTL_KUBECTL = saved;
    }
  });
});
