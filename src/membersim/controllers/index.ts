// The controllers and admission plugins beyond the core ones.
import type { AdmissionPlugin } from '../../apiserver/rest/admission.js';
import type { Store } from '../../storage/store.js';
import type { SimCluster, SimController } from '../cluster.js';

export function extraControllers(_c: SimCluster): SimController[] {
  return [];
}

export function memberAdmission(_store: Store): AdmissionPlugin[] {
  return [];
}
