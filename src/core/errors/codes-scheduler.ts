import { defineErrors } from './define.js';

export const schedulerErrors = defineErrors('scheduler', {
  HETAO_JOB_SPEC_SYNTAX: {
    status: 400,
    summary: 'the job spec is not valid YAML or JSON',
    fix: 'Fix the syntax at the line and column the message gives; a job spec is one YAML or JSON object.',
  },
  HETAO_JOB_SPEC_INVALID: {
    status: 400,
    summary: 'a job spec field is missing or has the wrong type or range',
    fix: 'Correct the field named in `field` (a dotted path such as resources.gpus); only name and run are required.',
  },
  HETAO_JOB_TRANSITION_ILLEGAL: {
    status: 409,
    summary: 'the job cannot move from its current state to the requested one',
    fix: 'Read the job again; terminal jobs (succeeded, failed, cancelled, timed-out) never change state.',
  },
  HETAO_PLACEMENT_INPUT: {
    status: 422,
    summary: 'the placement facts are inconsistent (an unknown dataset, organization or site)',
    fix: 'Register the dataset, organization or site the message names, or remove the reference from the job.',
  },
  HETAO_TRACE_INVALID: {
    status: 400,
    summary: 'a trace file row or header is malformed',
    fix: 'Correct the row and column named in `field` (line.column); see contract.md for the trace formats.',
  },
  HETAO_SITES_INVALID: {
    status: 400,
    summary: 'the sites file is malformed',
    fix: 'Correct the field named in `field`; the format is sites: [{id, jurisdiction: SZ|HK, gpus: {TYPE: COUNT}, pricePerGpuHour, subsidyRate}].',
  },
  HETAO_SIMULATE_INPUT: {
    status: 400,
    summary: 'an unknown trace format or scheduler name was given to the simulator',
    fix: 'Use --format hetao|openb|tiresias and --scheduler hetao|fifo|greedy.',
  },
  HETAO_SUBSIDY_INVALID: {
    status: 422,
    summary: 'a subsidy programme has a rate outside [0, 1] or a negative cap',
    fix: 'Give rates as fractions (0.7 for 70%) and caps as non-negative amounts in the site currency.',
  },
});
