// The fields of a core/v1 Service that the control plane and the member simulator read: the
// allocators (ClusterIP, NodePort) and the EndpointSlice controller.

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
  nodePort?: number;
}

export interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  selector?: Record<string, string>;
  ports?: ServicePort[];
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
}
