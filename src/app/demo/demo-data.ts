/**
 * The demo's fictional Greater Bay Area: organizations, the two compute centres (modelled on the Qianhai
 * Shenzhen–Hong Kong AI compute centre and Cyberport's AI supercomputing centre, with their subsidy rates), data
 * types, datasets, pilot scenarios and the general data list. Names are invented; the rules and rates are real.
 */
export const DEMO_ORGS = [
  { key: 'robotics', name: 'Pengcheng Inspection Robotics', jurisdiction: 'SZ', zone: 'hetao-sz', isStartup: true },
  { key: 'lab', name: 'Victoria Harbour University AI Lab', jurisdiction: 'HK' },
  { key: 'logistics', name: 'Qianhai Link Logistics', jurisdiction: 'SZ', zone: 'qianhai' },
  { key: 'affiliate', name: 'Link Logistics (Hong Kong) Ltd', jurisdiction: 'HK' },
  { key: 'qhcc', name: 'Qianhai AI Compute Centre Co.', jurisdiction: 'SZ', zone: 'qianhai' },
  { key: 'cyberport', name: 'Cyberport AI Supercomputing Centre', jurisdiction: 'HK' },
  { key: 'sz-reg', name: 'Shenzhen Data Regulator (demo)', jurisdiction: 'SZ' },
  { key: 'hk-reg', name: 'Hong Kong Digital Policy Regulator (demo)', jurisdiction: 'HK' },
] as const;

export type DemoOrgKey = (typeof DEMO_ORGS)[number]['key'];

export const DEMO_SITES = [
  {
    key: 'qianhai',
    name: 'Qianhai Shenzhen–Hong Kong AI Compute Centre',
    operator: 'qhcc',
    jurisdiction: 'SZ',
    latitude: 22.5265,
    longitude: 113.8946,
    gpus: { A800: 8 },
    pricePerGpuHour: 14,
    currency: 'CNY',
    subsidies: [
      {
        id: 'sz-compute-voucher',
        name: 'Shenzhen compute vouchers',
        rate: 0.5,
        startupRate: 0.6,
        eligibleJurisdictions: ['SZ'],
        capPerOrg: 5_000_000,
        currency: 'CNY',
      },
    ],
    slurmCluster: 'sz',
  },
  {
    key: 'cyberport',
    name: 'Cyberport AI Supercomputing Centre',
    operator: 'cyberport',
    jurisdiction: 'HK',
    latitude: 22.2613,
    longitude: 114.13,
    gpus: { H800: 4 },
    pricePerGpuHour: 38,
    currency: 'HKD',
    subsidies: [
      {
        id: 'hk-aiss',
        name: 'Hong Kong AI Subsidy Scheme',
        rate: 0.7,
        startupRate: null,
        eligibleJurisdictions: ['HK'],
        capPerOrg: 10_000_000,
        currency: 'HKD',
      },
    ],
    slurmCluster: 'hk',
  },
] as const;

export const DEMO_DATA_TYPES = [
  {
    name: 'robotics.substation-acoustics',
    title: 'Substation acoustic recordings',
    defaultClassification: 'general',
    containsPersonalInfo: false,
  },
  {
    name: 'logistics.shipment-status',
    title: 'Shipment status events',
    defaultClassification: 'general',
    containsPersonalInfo: false,
  },
  {
    name: 'customs.manifests',
    title: 'Customs manifests',
    defaultClassification: 'important',
    containsPersonalInfo: false,
  },
  {
    name: 'crm.customer-records',
    title: 'Customer records',
    defaultClassification: 'general',
    containsPersonalInfo: true,
  },
  {
    name: 'vessel.sensor-telemetry',
    title: 'Unmanned vessel sensor telemetry',
    defaultClassification: 'general',
    containsPersonalInfo: false,
  },
] as const;

export const DEMO_DATASETS = [
  {
    key: 'hum',
    owner: 'robotics',
    site: 'qianhai',
    name: 'substation-hum-recordings',
    dataType: 'robotics.substation-acoustics',
    sizeBytes: 48_000_000_000,
  },
  {
    key: 'shipments',
    owner: 'logistics',
    site: 'qianhai',
    name: 'shipments-2026',
    dataType: 'logistics.shipment-status',
    sizeBytes: 2_400_000_000,
  },
  {
    key: 'manifests',
    owner: 'logistics',
    site: 'qianhai',
    name: 'customs-manifests',
    dataType: 'customs.manifests',
    sizeBytes: 900_000_000,
  },
  {
    key: 'crm',
    owner: 'logistics',
    site: 'qianhai',
    name: 'crm-records',
    dataType: 'crm.customer-records',
    sizeBytes: 300_000_000,
    individuals: 150_000,
  },
  {
    key: 'vessels',
    owner: 'lab',
    site: 'cyberport',
    name: 'harbour-vessel-telemetry',
    dataType: 'vessel.sensor-telemetry',
    sizeBytes: 12_000_000_000,
  },
] as const;

export const DEMO_SCENARIOS = [
  {
    key: 'logistics',
    name: 'cross-border-logistics',
    title: 'Cross-border logistics',
    zone: 'qianhai',
    participants: ['logistics', 'affiliate'],
  },
  {
    key: 'customs',
    name: 'ai-customs-supervision',
    title: 'AI-assisted customs supervision',
    zone: 'qianhai',
    participants: ['logistics'],
  },
  {
    key: 'vessels',
    name: 'unmanned-vessels',
    title: 'Unmanned vessels',
    zone: 'hetao-sz',
    participants: ['lab', 'robotics'],
  },
] as const;
