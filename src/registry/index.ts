export { type Coverage, coverageOf, type Parties } from './coverage.js';
export {
  areAssociated,
  type FlowFacts,
  flowIndividuals,
  isAssociationActive,
  resolveFlowContext,
} from './flow-resolver.js';
export {
  allowedListActions,
  applyListAction,
  isInForce,
  type ListAction,
  type ListActionKind,
  proposeListEntry,
} from './list-lifecycle.js';
export { everyItem } from './paging.js';
export type * from './ports.js';
export { flowRef } from './ports.js';
export { gpusOf } from './site-capacity.js';
export * from './types.js';
