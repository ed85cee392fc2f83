// The agent CSR approving controller (Karmada's agentcsrapproving, after kube-controller-manager's
// csrapproving): a pending CSR for a karmada-agent client certificate is approved when its requester
// may create certificatesigningrequests/agentclient (bootstrap tokens) or /selfagentclient (an agent
// renewing its own), as a SubjectAccessReview says; the control plane's signer then issues it.
import type { KubeObject } from '../../apimachinery/types.js';
import { csrState } from '../../apiserver/auth/certificates/csr.js';
import { newControllerManagedBy } from '../../runtime/builder.js';
import type { ControllerContext } from '../context.js';
import { agentCsrPermission, AutoApprovedMessage, AutoApprovedReason } from './recognize.js';
import { certificateSigningRequestGVR } from '../../apis/builtin/gvr.js';

export const ControllerName = 'agent-csr-approving-controller';
type Obj = Record<string, any>;

export function registerAgentCsrApprovingController(ctx: ControllerContext): void {
  const { client, manager } = ctx;
  const csrs = manager.informer(client, certificateSigningRequestGVR);
  newControllerManagedBy(manager, ControllerName, client)
    .for(csrs, { filter: (o) => csrState(o) === 'pending' })
    .logger(ctx.log)
    .complete(async (key) => {
      const csr = csrs.get(key);
      if (!csr || csrState(csr) !== 'pending') return;
      const spec = csr.spec as Obj;
      // loaded with the first request: its x509 libraries were a fifth of every controller manager's start
      const { readCertificateRequest } = await import('../../apiserver/auth/certs.js');
      const subject = await readCertificateRequest(Buffer.from(spec.request ?? '', 'base64').toString('utf8'));
      if ('error' in subject) return;
      const subresource = agentCsrPermission({ signerName: spec.signerName, usages: spec.usages, username: spec.username, ...subject });
      if (!subresource) return;
      const review = await client.create<KubeObject>({
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        metadata: {},
        spec: { user: spec.username, uid: spec.uid, groups: spec.groups, extra: spec.extra, resourceAttributes: { group: 'certificates.k8s.io', resource: 'certificatesigningrequests', verb: 'create', subresource } },
      });
      if (!(review.status as Obj | undefined)?.allowed) return;
      const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const approved = { ...csr, status: { ...((csr.status as Obj) ?? {}), conditions: [...(((csr.status as Obj)?.conditions as Obj[]) ?? []), { type: 'Approved', status: 'True', reason: AutoApprovedReason, message: AutoApprovedMessage, lastUpdateTime: now, lastTransitionTime: now }] } };
      await client.replace(approved, { subresource: 'approval' });
    });
}
