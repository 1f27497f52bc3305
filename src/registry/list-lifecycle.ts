import { HetaoError } from '../core/index.js';
import type { Assessment, ListEntry, ListEntryVersion, ListState } from './types.js';

/**
 * The general data list lifecycle of one data type in one scenario, as a pure state machine:
 *   proposed -> piloting -> assessed -> listed <-> suspended;  assessed(unsafe) -> piloting (pilot again);
 *   any state but revoked -> revoked (final).
 * Each step returns the next entry (version + 1) and its history record; nothing else changes it.
 */
export type ListAction =
  | { readonly kind: 'pilot' }
  | { readonly kind: 'assess'; readonly assessment: Assessment }
  | { readonly kind: 'list'; readonly effectiveFrom: number }
  | { readonly kind: 'suspend' }
  | { readonly kind: 'reinstate' }
  | { readonly kind: 'revoke' };

export type ListActionKind = ListAction['kind'];

const FROM: Readonly<Record<ListActionKind, readonly ListState[]>> = {
  pilot: ['proposed', 'assessed'],
  assess: ['piloting'],
  list: ['assessed'],
  suspend: ['listed'],
  reinstate: ['suspended'],
  revoke: ['proposed', 'piloting', 'assessed', 'listed', 'suspended'],
};

const TO: Readonly<Record<ListActionKind, ListState>> = {
  pilot: 'piloting',
  assess: 'assessed',
  list: 'listed',
  suspend: 'suspended',
  reinstate: 'listed',
  revoke: 'revoked',
};

export function allowedListActions(state: ListState): ListActionKind[] {
  return (Object.keys(FROM) as ListActionKind[]).filter((k) => FROM[k].includes(state));
}

export function proposeListEntry(
  id: string,
  scenarioId: string,
  dataType: string,
  actor: string,
  reason: string,
  at: number,
): { entry: ListEntry; record: ListEntryVersion } {
  const entry: ListEntry = Object.freeze({
    id,
    scenarioId,
    dataType,
    state: 'proposed',
    assessment: null,
    effectiveFrom: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
  });
  return { entry, record: Object.freeze({ entryId: id, version: 1, state: 'proposed', actor, reason, at, entry }) };
}

export function applyListAction(
  current: ListEntry,
  action: ListAction,
  actor: string,
  reason: string,
  at: number,
): { entry: ListEntry; record: ListEntryVersion } {
  if (!FROM[action.kind].includes(current.state)) {
    const allowed = allowedListActions(current.state);
    throw new HetaoError(
      'HETAO_REGISTRY_TRANSITION',
      `cannot ${action.kind} a list entry that is ${current.state}; allowed: ${allowed.length ? allowed.join(', ') : 'none (final)'}`,
      { field: 'action' },
    );
  }
  let assessment = current.assessment;
  let effectiveFrom = current.effectiveFrom;
  if (action.kind === 'assess') {
    if (!/^[0-9a-f]{64}$/.test(action.assessment.evidenceDigest)) {
      throw new HetaoError('HETAO_REGISTRY_INVALID', 'assessment.evidenceDigest must be a SHA-256 hex digest', {
        field: 'assessment.evidenceDigest',
      });
    }
    assessment = action.assessment;
  }
  if (action.kind === 'pilot' && current.state === 'assessed' && current.assessment?.result === 'safe') {
    throw new HetaoError('HETAO_REGISTRY_TRANSITION', 'a type assessed safe is listed, not piloted again', {
      field: 'action',
    });
  }
  if (action.kind === 'list') {
    if (current.assessment?.result !== 'safe') {
      throw new HetaoError('HETAO_REGISTRY_ASSESSMENT', 'only a data type assessed safe can be listed', {
        field: 'assessment',
      });
    }
    if (action.effectiveFrom < current.assessment.at) {
      throw new HetaoError('HETAO_REGISTRY_ASSESSMENT', 'a listing cannot take effect before its assessment', {
        field: 'effectiveFrom',
      });
    }
    effectiveFrom = action.effectiveFrom;
  }
  const entry: ListEntry = Object.freeze({
    ...current,
    state: TO[action.kind],
    assessment,
    effectiveFrom,
    version: current.version + 1,
    updatedAt: at,
  });
  return {
    entry,
    record: Object.freeze({ entryId: entry.id, version: entry.version, state: entry.state, actor, reason, at, entry }),
  };
}

/** Whether the entry puts its type on the list in force at `at`. */
export function isInForce(entry: ListEntry, at: number): boolean {
  return entry.state === 'listed' && entry.effectiveFrom !== null && entry.effectiveFrom <= at;
}
