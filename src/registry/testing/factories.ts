import { createIdGenerator } from '../../core/index.js';
import type { Association, Dataset, DataType, Organization, Site } from '../index.js';

/** Small valid registry objects for store tests; override any field. */
const T0 = Date.UTC(2026, 10, 1);
let seq = 0;
const ids = createIdGenerator(() => T0 + seq++);

export const at = T0;

export function org(over: Partial<Organization> = {}): Organization {
  const id = over.id ?? ids.next('org');
  return {
    id,
    name: `org-${id.slice(-8)}`,
    jurisdiction: 'SZ',
    zone: null,
    isCIIO: false,
    isStartup: false,
    gpuShare: 0,
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

export function site(operatorOrgId: string, over: Partial<Site> = {}): Site {
  const id = over.id ?? ids.next('site');
  return {
    id,
    name: `site-${id.slice(-8)}`,
    operatorOrgId,
    jurisdiction: 'HK',
    latitude: 22.26,
    longitude: 114.13,
    gpus: { A100: 8, H800: 4 },
    pricePerGpuHour: 21.5,
    currency: 'HKD',
    subsidies: [
      {
        id: 'hk-aiss',
        name: 'AI Subsidy Scheme',
        rate: 0.7,
        startupRate: null,
        eligibleJurisdictions: ['HK'],
        capPerOrg: 1_000_000,
        currency: 'HKD',
      },
    ],
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

export function dataType(over: Partial<DataType> = {}): DataType {
  return {
    name: `logistics.t${seq++}`,
    title: 'Shipment status',
    defaultClassification: 'general',
    containsPersonalInfo: false,
    sensitivePersonalInfo: false,
    createdAt: T0,
    ...over,
  };
}

export function dataset(ownerOrgId: string, siteId: string, type: string, over: Partial<Dataset> = {}): Dataset {
  const id = over.id ?? ids.next('ds');
  return {
    id,
    name: `dataset-${id.slice(-8)}`,
    ownerOrgId,
    siteId,
    dataType: type,
    classification: 'general',
    containsPersonalInfo: false,
    sensitivePersonalInfo: false,
    individuals: 0,
    sizeBytes: 1_000_000,
    contentDigest: 'a'.repeat(64),
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

export function association(orgA: string, orgB: string, over: Partial<Association> = {}): Association {
  return {
    id: ids.next('assoc'),
    orgA,
    orgB,
    basis: 'shareholding',
    shareholdingPct: 51,
    evidenceDigest: 'b'.repeat(64),
    declaredBy: orgA,
    confirmedBy: null,
    approvedBy: null,
    state: 'declared',
    validFrom: T0,
    validUntil: null,
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

export function nextId(prefix: string): string {
  return ids.next(prefix);
}
