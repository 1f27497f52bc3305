import { defineErrors } from './define.js';

export const registryErrors = defineErrors('registry', {
  HETAO_REGISTRY_INVALID: {
    status: 400,
    summary: 'a registry object is not valid',
    fix: 'Correct the field the message names; nothing was stored.',
  },
  HETAO_REGISTRY_TRANSITION: {
    status: 409,
    summary: 'this lifecycle step is not allowed from the current state',
    fix: 'Read the object to see its state; the message lists the steps allowed from it.',
  },
  HETAO_REGISTRY_ASSESSMENT: {
    status: 422,
    summary: 'a data type cannot be listed without a safe assessment',
    fix: 'Record an assessment with result "safe" (who, when, evidence digest) before listing the type.',
  },
});
