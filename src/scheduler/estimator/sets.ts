// Whole sets of components packed first fit on nodes' free capacity, as Karmada's SchedulingSimulator
// does for multi-component estimates (general estimator on resource models, accurate one on nodes).

/** one component of a set: how many replicas it needs and what each takes (pods included) */
export interface ComponentDemand {
  replicas: number;
  requests: readonly (readonly [resource: string, amount: number])[];
}

/**
 * How many whole sets fit, at most `upperBound`: each set places every component in turn, first fit
 * over `free` (consumed in place), a component's replicas spread over as many nodes as it takes;
 * `admits` says whether a node may take a component at all (its node claim).
 */
export function firstFitSets(free: Map<string, number>[], components: readonly ComponentDemand[], upperBound: number, admits: (component: number, node: number) => boolean = () => true): number {
  // nodes only lose capacity: a node that cannot take a component now never will, so each
  // component's scan starts past the nodes it has already filled (still first fit, without rescans)
  const start = components.map(() => 0);
  const place = (i: number): boolean => {
    const { replicas, requests } = components[i];
    let remaining = replicas;
    for (let j = start[i]; j < free.length && remaining > 0; j++) {
      const left = free[j];
      const fits = admits(i, j) ? Math.min(remaining, ...requests.map(([name, r]) => Math.floor((left.get(name) ?? 0) / r))) : 0;
      if (fits <= 0) {
        if (j === start[i]) start[i]++;
        continue;
      }
      for (const [name, r] of requests) left.set(name, (left.get(name) ?? 0) - r * fits);
      remaining -= fits;
    }
    return remaining === 0;
  };
  let sets = 0;
  while (sets < upperBound && components.every((_, i) => place(i))) sets++;
  return sets;
}
