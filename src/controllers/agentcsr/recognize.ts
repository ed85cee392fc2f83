// Which CertificateSigningRequests Karmada's agent CSR approver (pkg/controllers/certificate/approver)
// takes up: client certificates for system:karmada:agent:* in system:karmada:agents, and the
// permission (a SubjectAccessReview on certificatesigningrequests/<subresource>) the requester must
// hold for it to be approved. Pure.
import { AgentGroup, AgentUserPrefix } from '../../agent/rbac.js';
import { AgentClientSubresource, SelfAgentClientSubresource } from '../../agent/bootstrap.js';

const allowedUsages = new Set(['digital signature', 'key encipherment', 'client auth']);

export interface CsrFacts {
  signerName?: string;
  usages?: string[];
  username?: string;
  commonName: string;
  organizations: string[];
}

/** the subresource whose create permission approves this request, or undefined when it is not an agent's */
export function agentCsrPermission(f: CsrFacts): string | undefined {
  if (f.signerName !== 'kubernetes.io/kube-apiserver-client') return undefined;
  if (f.organizations.length !== 1 || f.organizations[0] !== AgentGroup) return undefined;
  if (!f.commonName.startsWith(AgentUserPrefix)) return undefined;
  const usages = f.usages ?? [];
  if (!usages.includes('client auth') || usages.some((u) => !allowedUsages.has(u))) return undefined;
  return f.username === f.commonName ? SelfAgentClientSubresource : AgentClientSubresource;
}

export const AutoApprovedReason = 'AutoApproved';
export const AutoApprovedMessage = 'Auto approving karmada-agent client certificate after SubjectAccessReview.';
