import { describe, expect, it } from 'vitest';
import { HetaoError } from '../core/index.js';
import { defaultPolicyParameters, parsePolicyParameters } from './index.js';

function rejection(input: unknown): HetaoError {
  try {
    parsePolicyParameters(input);
  } catch (err) {
    expect(err).toBeInstanceOf(HetaoError);
    return err as HetaoError;
  }
  throw new Error('expected a rejection');
}

describe('parsePolicyParameters', () => {
  it('undefined and {} give the defaults', () => {
    expect(parsePolicyParameters(undefined)).toBe(defaultPolicyParameters);
    expect(parsePolicyParameters({})).toEqual(defaultPolicyParameters);
    expect(Object.isFrozen(defaultPolicyParameters.generalDataListZones)).toBe(true);
  });
  it('merges overrides over the defaults, frozen, zones de-duplicated', () => {
    const p = parsePolicyParameters({
      gbaContractLiftsVolumeCaps: true,
      generalDataListZones: ['hetao-sz', 'hetao-sz'],
    });
    expect(p).toEqual({
      ...defaultPolicyParameters,
      gbaContractLiftsVolumeCaps: true,
      generalDataListZones: ['hetao-sz'],
    });
    expect(Object.isFrozen(p)).toBe(true);
  });
  it.each([
    [{ gbaContractLiftsVolumeCaps: 'yes' }, 'gbaContractLiftsVolumeCaps', /true or false/],
    [{ generalDataListZones: ['nansha'] }, 'generalDataListZones', /list of zones \(qianhai, hetao-sz\)/],
    [{ generalDataListZones: 'qianhai' }, 'generalDataListZones', /list of zones/],
    [{ assessmentPiThreshold: 0 }, 'assessmentPiThreshold', /1 or more/],
    [{ exemptPiThreshold: 1.5 }, 'exemptPiThreshold', /whole number/],
    [{ exemptPiThreshold: 2_000_000 }, 'exemptPiThreshold', /must not exceed assessmentPiThreshold/],
    [{ thresholds: 1 }, 'thresholds', /not a known field/],
    [null, undefined, /must be an object/],
  ])('rejects %j naming %s', (input, field, message) => {
    const err = rejection(input);
    expect(err.code).toBe('HETAO_POLICY_PARAMETERS');
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
  });
});
