// The dashboard server's JSON documents (/ui/v1/...), as the contract in issue 19 defines them; the UI reads nothing else.

export interface Quantity {
  text: string;
  value: number;
}
export interface Resources {
  cpu?: Quantity;
  memory?: Quantity;
  pods?: Quantity;
  gpu?: Quantity;
}
export type ConditionStatus = 'True' | 'False' | 'Unknown';
export interface Taint {
  key: string;
  value?: string;
  effect: string;
}
export interface ReadyTransition {
  time: string;
  status: ConditionStatus;
  reason?: string;
}
export interface ClusterView {
  name: string;
  syncMode: string;
  ready: ConditionStatus;
  readyReason?: string;
  readyMessage?: string;
  kubernetesVersion?: string;
  nodes: { total: number; ready: number };
  allocatable: Resources;
  allocated: Resources;
  taints: Taint[];
  readyTransitions: ReadyTransition[];
}
export interface ClusterList {
  items: ClusterView[];
}

export type Health = 'Healthy' | 'Unhealthy' | 'Progressing' | 'Unknown';
export interface PolicyRef {
  kind: string;
  namespace?: string;
  name: string;
}
export interface WorkloadRow {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  uid: string;
  policy: PolicyRef | null;
  clusters: { name: string; replicas?: number }[];
  replicas: { desired: number; ready: number } | null;
  health: Health;
  scheduled: boolean;
  message?: string;
}
export interface WorkloadList {
  total: number;
  items: WorkloadRow[];
}

export interface TimelineStep {
  step: string;
  time?: string;
  status: 'done' | 'pending' | 'failed';
  cluster?: string;
  message?: string;
}
export interface ClusterExplanation {
  name: string;
  feasible: boolean;
  filters: { plugin: string; result: string; reason?: string }[];
  score?: number | null;
  scores: { plugin: string; score: number }[];
  maxReplicas?: number | null;
  assigned?: number;
}
export interface OverrideDiff {
  cluster: string;
  policies: string[];
  diff: string;
}
export interface PodView {
  cluster: string;
  name: string;
  namespace: string;
  node?: string;
  phase?: string;
  ready: string;
  restarts: number;
  containers: string[];
}
export interface WorkloadDetail {
  row: WorkloadRow;
  template: unknown;
  binding: unknown;
  timeline: TimelineStep[];
  /** clusters as the scheduler sees them now, and its verdict (the Scheduled condition's message) */
  explanation: { clusters: ClusterExplanation[]; message?: string } | null;
  overrides: OverrideDiff[];
  pods: PodView[];
  /** members whose pods could not be read, and why */
  podErrors?: { cluster: string; message: string }[];
}

export interface TemplateRef {
  kind: string;
  namespace?: string;
  name: string;
}
export interface PolicyView {
  kind: string;
  namespace?: string;
  name: string;
  priority?: number;
  preemption?: string;
  conflictResolution?: string;
  claims: TemplateRef[];
  conflicts: { template: TemplateRef; otherPolicy: PolicyRef; winner: PolicyRef; reason?: string }[];
}
export interface PolicyList {
  items: PolicyView[];
}

export interface WhatIfRow {
  namespace?: string;
  name: string;
  kind: string;
  replicas: number;
  action: 'evict' | 'keep' | 'blocked';
  afterSeconds?: number;
  detail: string;
}
export interface WhatIf {
  cluster: string;
  taints: { key: string; value?: string; effect: string }[];
  rows: WhatIfRow[];
}

export interface WhoAmI {
  user: string;
  groups?: string[];
  /** per resource the dashboard watches: 'all', 'namespaces: a, b' or 'forbidden: why' */
  access?: Record<string, string>;
}

/** a Kubernetes Status, which every error of the server is */
export interface Status {
  kind?: 'Status';
  code?: number;
  reason?: string;
  message?: string;
}
