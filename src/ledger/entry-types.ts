import { code, count, digest, type Field, type FieldsOf, id, idOrCode, oneOf, optional, time } from './entry-fields.js';

/**
 * The ledger's entry types, schema version 1. Every entry is `{type, v, ...fields}`; a new version of a type is a
 * new schema under the same type with a higher `v`, and old versions stay decodable forever (the log never changes).
 * Enums are the ledger's own copies on purpose: a logged value must stay valid even if the policy's enums change.
 */

const OUTCOMES = ['allow', 'allow-with-conditions', 'requires-approval', 'deny'] as const;
const CLASSIFICATIONS = ['general', 'important', 'core'] as const;
const JURISDICTIONS = ['SZ', 'GBA-mainland', 'mainland-other', 'HK', 'MO', 'overseas'] as const;
/** The general data list's lifecycle steps (registry/list-lifecycle.ts), one entry per transition. */
const LIST_ACTIONS = ['propose', 'pilot', 'assess', 'list', 'suspend', 'reinstate', 'revoke'] as const;
/** Association steps: declared by one party, confirmed by the other, approved by a regulator, or revoked. */
const ASSOCIATION_ACTIONS = ['declare', 'confirm', 'approve', 'revoke', 'associate', 'dissociate'] as const;
/** Kinds of registry object whose changes are logged (registry-change). */
const REGISTRY_OBJECTS = [
  'organization',
  'site',
  'data-type',
  'dataset',
  'scenario',
  'agreement',
  'approval',
  'association',
  'account',
] as const;

export const entrySchemas = {
  'flow-decision': {
    1: {
      decisionId: id(),
      at: time(),
      exporterOrgId: id(),
      importerOrgId: id(),
      from: oneOf(JURISDICTIONS),
      to: oneOf(JURISDICTIONS),
      dataType: code(),
      classification: oneOf(CLASSIFICATIONS),
      outcome: oneOf(OUTCOMES),
      channel: code(),
      ruleId: code(),
      rulebookVersion: code(),
      /** Digest of the canonical FlowContext the decision was made on (the context itself is not logged). */
      contextDigest: digest(),
    },
    /** Version 1 and, when the data type is on a general data list, which list entry version was in force. */
    2: {
      decisionId: id(),
      at: time(),
      exporterOrgId: id(),
      importerOrgId: id(),
      from: oneOf(JURISDICTIONS),
      to: oneOf(JURISDICTIONS),
      dataType: code(),
      classification: oneOf(CLASSIFICATIONS),
      outcome: oneOf(OUTCOMES),
      channel: code(),
      ruleId: code(),
      rulebookVersion: code(),
      contextDigest: digest(),
      /** The scenario the flow was asked under, by name, when one was named. */
      scenario: optional(code()),
      /** That scenario's list entry for the data type, its version as a decimal string, when it was in force. */
      listVersion: optional(code()),
    },
  },
  'list-change': {
    1: {
      changeId: id(),
      at: time(),
      scenario: code(),
      dataType: code(),
      action: oneOf(LIST_ACTIONS),
      /** The list entry's version after the step, as a decimal string (`"3"`). */
      listVersion: code(),
      documentDigest: digest(),
    },
  },
  'association-change': {
    1: {
      changeId: id(),
      at: time(),
      orgId: id(),
      relatedOrgId: id(),
      action: oneOf(ASSOCIATION_ACTIONS),
      evidenceDigest: optional(digest()),
    },
  },
  'registry-change': {
    1: {
      changeId: id(),
      at: time(),
      /** The organization of the account that made the change. */
      actorOrgId: id(),
      object: oneOf(REGISTRY_OBJECTS),
      /** The object's id, or its name for objects keyed by name (data types: `logistics.shipment-status`). */
      objectId: idOrCode(),
      /** What was done: `create`, `add-participant`, `record-gba-standard-contract`, … */
      action: code(),
      /** Digest of the object as stored after the change (the object itself may name people; it is not logged). */
      objectDigest: digest(),
    },
  },
  'job-placement': {
    1: {
      jobId: id(),
      at: time(),
      orgId: id(),
      siteId: id(),
      decisionId: optional(id()),
      reason: optional(code()),
    },
  },
  'job-state-change': {
    1: {
      jobId: id(),
      at: time(),
      from: code(),
      to: code(),
      reason: optional(code()),
    },
  },
  transfer: {
    1: {
      transferId: id(),
      at: time(),
      jobId: optional(id()),
      datasetId: id(),
      fromSiteId: id(),
      toSiteId: id(),
      decisionId: id(),
      contentDigest: digest(),
      bytes: count(),
    },
  },
} as const satisfies Record<string, Record<number, Record<string, Field<unknown>>>>;

type Schemas = typeof entrySchemas;
export type EntryType = keyof Schemas;
export const ENTRY_TYPES = Object.keys(entrySchemas) as EntryType[];

type VersionedEntry<T extends EntryType, V extends keyof Schemas[T]> = {
  readonly type: T;
  readonly v: V;
} & (Schemas[T][V] extends Record<string, Field<unknown>> ? FieldsOf<Schemas[T][V]> : never);

/** One logged entry: a union over every type and schema version. */
export type LedgerEntry = {
  [T in EntryType]: { [V in keyof Schemas[T]]: VersionedEntry<T, V> }[keyof Schemas[T]];
}[EntryType];

export type EntryOf<T extends EntryType> = Extract<LedgerEntry, { type: T }>;
