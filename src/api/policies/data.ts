import type { Dataset } from '../../registry/index.js';
import { anyone, ownerOrOverseer, roles } from '../auth/rules.js';

/** Data types are a shared vocabulary: everyone reads them; the operator and regulators define them. */
export const dataTypePolicy = { list: anyone, create: roles('exchange-admin', 'regulator') };

/** Datasets are seen only by their owner organization, the operator and regulators. */
export const datasetPolicy = {
  list: anyone,
  read: ownerOrOverseer<Dataset>((d) => [d.ownerOrgId]),
  create: roles('org-admin', 'org-member'),
};
