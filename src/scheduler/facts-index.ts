import { HetaoError } from '../core/index.js';
import type { DatasetFacts, OrgFacts, PlacementFacts, SiteFacts } from './placement-facts.js';

/** Id lookups over one PlacementFacts value, built once per facts object. */
export interface FactsIndex {
  readonly site: (id: string) => SiteFacts;
  readonly dataset: (id: string) => DatasetFacts;
  readonly org: (id: string) => OrgFacts;
}

const cache = new WeakMap<PlacementFacts, FactsIndex>();

function lookup<T extends { id: string }>(items: readonly T[], what: string): (id: string) => T {
  const m = new Map(items.map((x) => [x.id, x] as const));
  return (id) => {
    const v = m.get(id);
    if (v === undefined)
      throw new HetaoError('HETAO_PLACEMENT_INPUT', `placement: unknown ${what} ${JSON.stringify(id)}`, {
        field: what,
      });
    return v;
  };
}

export function indexFacts(facts: PlacementFacts): FactsIndex {
  let ix = cache.get(facts);
  if (!ix) {
    ix = {
      site: lookup(facts.sites, 'site'),
      dataset: lookup(facts.datasets, 'dataset'),
      org: lookup(facts.orgs, 'org'),
    };
    cache.set(facts, ix);
  }
  return ix;
}
