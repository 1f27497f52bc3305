import { createHash } from 'node:crypto';
import type { Actor } from '../../access/index.js';
import { calendarYearAt, HetaoError, type KeyedQueue, queueOf } from '../../core/index.js';
import { flushAfter } from '../../exchange/index.js';
import { encodeEntry, type LedgerEntry } from '../../ledger/index.js';
import { decide, piLeavesMainland } from '../../policy/index.js';
import { coverageOf, type Dataset, type FlowRecord, resolveFlowContext } from '../../registry/index.js';
import type { ApiDeps } from '../deps.js';
import { canonicalJson } from '../registry/record-change.js';

export interface FlowRequest {
  readonly datasetId: string;
  readonly importerOrgId: string;
  readonly purpose: string;
  readonly scenarioId?: string;
  readonly origin?: 'local' | 'abroad';
  readonly onwardTransferOutsideGba?: boolean;
  readonly gbaStandardContractElected?: boolean;
}

/**
 * Flow requests of one exporter, one at a time: each reads the exporter's annual counts, decides and adds to them,
 * so two requests at once must not both decide on the counts from before either (the second could slip under a
 * threshold the two together cross). Keyed per API instance (its deps) and exporter.
 */
const exporterQueues = new WeakMap<object, KeyedQueue>();

/**
 * A real flow request: the registry's facts resolved into a context, decided, checked against recorded
 * agreements and approvals, recorded as a flow and as one ledger entry; the exporter's annual counts grow only
 * when the flow is permitted (an unpermitted flow moves nothing).
 */
export async function requestFlow(
  deps: ApiDeps,
  actor: Actor,
  req: FlowRequest,
): Promise<FlowRecord & { missing: string | null }> {
  const r = deps.registry;
  const dataset = await r.getDataset(req.datasetId);
  if (!dataset || (dataset.ownerOrgId !== actor.orgId && actor.role !== 'exchange-admin')) {
    throw new HetaoError('HETAO_API_NOT_FOUND', `no dataset ${req.datasetId}`, { field: 'datasetId' });
  }
  return queueOf(exporterQueues, deps).run(dataset.ownerOrgId, () => decideAndRecord(deps, actor, req, dataset));
}

async function decideAndRecord(
  deps: ApiDeps,
  actor: Actor,
  req: FlowRequest,
  dataset: Dataset,
): Promise<FlowRecord & { missing: string | null }> {
  const r = deps.registry;
  const [exporter, importer, site] = await Promise.all([
    r.getOrganization(dataset.ownerOrgId),
    r.getOrganization(req.importerOrgId),
    r.getSite(dataset.siteId),
  ]);
  if (!importer)
    throw new HetaoError('HETAO_STORE_REFERENCE', 'importerOrgId is not a registered organization', {
      field: 'importerOrgId',
    });
  if (!exporter || !site)
    throw new HetaoError('HETAO_INTERNAL', `dataset ${dataset.id} refers to missing registry objects`);
  const scenario = req.scenarioId ? await r.getScenario(req.scenarioId) : null;
  if (req.scenarioId && !scenario)
    throw new HetaoError('HETAO_STORE_REFERENCE', 'scenarioId is not a scenario', { field: 'scenarioId' });
  const at = deps.clock.now();
  const [associations, listEntry, countsBefore, agreements] = await Promise.all([
    r.listAssociationsOf(exporter.id),
    scenario ? r.findListEntry(scenario.id, dataset.dataType) : Promise.resolve(null),
    r.getAnnualCounts(exporter.id, calendarYearAt(at)),
    r.listAgreements(exporter.id),
  ]);
  const ctx = resolveFlowContext({
    exporter,
    importer,
    fromJurisdiction: site.jurisdiction,
    dataset,
    associations,
    scenario,
    listEntry,
    countsBefore,
    purpose: req.purpose,
    ...(req.origin ? { origin: req.origin } : {}),
    ...(req.onwardTransferOutsideGba !== undefined ? { onwardTransferOutsideGba: req.onwardTransferOutsideGba } : {}),
    ...(req.gbaStandardContractElected !== undefined
      ? { gbaStandardContractElected: req.gbaStandardContractElected }
      : {}),
    at,
  });
  const decision = decide(ctx, deps.policyParams);
  const cover = coverageOf(
    decision,
    {
      exporterOrgId: exporter.id,
      importerOrgId: importer.id,
      label: `${exporter.name} and ${importer.name}`,
      dataType: dataset.dataType,
    },
    agreements,
    at,
  );
  const flow: FlowRecord = {
    id: deps.ids.next('flow'),
    requesterOrgId: actor.orgId,
    exporterOrgId: exporter.id,
    importerOrgId: importer.id,
    datasetId: dataset.id,
    scenarioId: scenario?.id ?? null,
    purpose: req.purpose,
    outcome: decision.decision,
    permitted: cover.permitted,
    decision,
    ledgerIndex: null,
    at,
  };
  const entry = {
    type: 'flow-decision',
    v: 2,
    decisionId: flow.id,
    at,
    exporterOrgId: exporter.id,
    importerOrgId: importer.id,
    from: ctx.exporter.jurisdiction,
    to: ctx.importer.jurisdiction,
    dataType: dataset.dataType,
    classification: dataset.classification,
    outcome: decision.decision,
    channel: decision.channel,
    ruleId: decision.ruleId.toLowerCase(),
    rulebookVersion: decision.rulebookVersion,
    contextDigest: createHash('sha256').update(canonicalJson(ctx)).digest('hex'),
    ...(scenario ? { scenario: scenario.name } : {}),
    ...(ctx.data.onGeneralDataList && listEntry ? { listVersion: String(listEntry.version) } : {}),
  };
  // P24 counts individuals whose personal information left the Mainland; a domestic flow or a Hong Kong export
  // adds nothing. The flow, its counts and its ledger entry commit together.
  const leaves = cover.permitted && piLeavesMainland(ctx);
  const counts = leaves
    ? {
        year: calendarYearAt(at),
        pi: dataset.sensitivePersonalInfo ? 0 : dataset.individuals,
        sensitive: dataset.sensitivePersonalInfo ? dataset.individuals : 0,
      }
    : null;
  await r.recordFlow(flow, counts, encodeEntry(entry as unknown as LedgerEntry));
  // Appends the entry, recording its index under the flow's ref in the same commit; on failure the next flush does.
  await flushAfter(deps.ledger.flush);
  const ledgerIndex = (await r.getFlow(flow.id))?.ledgerIndex ?? null;
  return { ...flow, ledgerIndex, missing: cover.missing };
}
