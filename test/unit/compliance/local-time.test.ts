import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import rawAreaCodes from '#shared/compliance/data/nanp-area-codes.json' with { type: 'json' };
import { areaCodeOf, betterLocalTime, localTimeFor, regionOfState } from '#shared/compliance/local-time.ts';
import { isValidTimeZone } from '#shared/domain/time.ts';

const BUSINESS = 'America/Chicago';
const zonesOf = (phone: string, fromState?: string) =>
  localTimeFor({ phone, fromState, businessTimeZone: BUSINESS }).zones;

describe('the NANP area code data', () => {
  const areaCodes: Record<string, { region: string; zones: string[] }> = rawAreaCodes.areaCodes;

  it('covers every geographic code libphonenumber-js knows in the US, its territories and Canada', () => {
    const missing: string[] = [];
    for (let npa = 200; npa <= 999; npa++) {
      const phone = parsePhoneNumberFromString(`+1${npa}2345678`);
      if (!phone?.isValid() || !['US', 'CA', 'PR', 'GU', 'MP', 'VI', 'AS'].includes(phone.country ?? ''))
        continue;
      if (!areaCodes[npa] && !rawAreaCodes.nonGeographic.includes(String(npa))) missing.push(String(npa));
    }
    expect(missing).toEqual([]);
    expect(Object.keys(areaCodes).length).toBeGreaterThan(420);
  });

  it('gives every code a known region and only valid IANA zones', () => {
    for (const [code, { region, zones }] of Object.entries(areaCodes)) {
      expect(rawAreaCodes.regions, code).toHaveProperty([region]);
      for (const zone of zones) expect(isValidTimeZone(zone), `${code} ${zone}`).toBe(true);
    }
  });
});

describe('localTimeFor', () => {
  it.each([
    // The 18 numbers Twilio's FromState put in the wrong zone (issue 9), by area code.
    ['+18505550100', 'FL', ['America/Chicago', 'America/New_York']], // Pensacola
    ['+19155550100', 'TX', ['America/Denver']], // El Paso
    ['+12195550100', 'IN', ['America/Chicago', 'America/Indiana/Indianapolis']], // Gary
    ['+18125550100', 'IN', ['America/Indiana/Indianapolis', 'America/Chicago']], // Evansville
    ['+12705550100', 'KY', ['America/Chicago', 'America/New_York']], // Bowling Green
    ['+14235550100', 'TN', ['America/New_York', 'America/Chicago']], // Chattanooga
    ['+18655550100', 'TN', ['America/New_York', 'America/Chicago']], // Knoxville
    ['+12085550100', 'ID', ['America/Boise', 'America/Los_Angeles']], // Coeur d'Alene
    ['+15415550100', 'OR', ['America/Los_Angeles', 'America/Boise']], // Ontario, OR
    ['+19065550100', 'MI', ['America/Detroit', 'America/Menominee']], // Iron Mountain
    ['+16055550100', 'SD', ['America/Chicago', 'America/Denver']], // Rapid City
    ['+16045550100', 'BC', ['America/Vancouver']], // Vancouver
    ['+14035550100', 'AB', ['America/Edmonton']], // Calgary
    ['+13065550100', 'SK', ['America/Regina', 'America/Edmonton', 'America/Winnipeg']],
    ['+12045550100', 'MB', ['America/Winnipeg']],
    ['+14165550100', 'ON', ['America/Toronto']],
    ['+15145550100', 'QC', ['America/Toronto']],
    ['+15065550100', 'NB', ['America/Moncton']],
    ['+19025550100', 'NS', ['America/Halifax']],
    ['+17095550100', 'NL', ['America/St_Johns', 'America/Goose_Bay']],
  ])('reads %s (FromState %s) as %j', (phone, state, zones) => {
    expect(zonesOf(phone, state)).toEqual(zones);
  });

  it('puts Los Angeles and Honolulu numbers in their own zones without any carrier state', () => {
    expect(zonesOf('+12135550100')).toEqual(['America/Los_Angeles']);
    expect(zonesOf('+18085550100')).toEqual(['Pacific/Honolulu']);
    expect(zonesOf('+17875550100')).toEqual(['America/Puerto_Rico']);
  });

  it('names the region whose calling rules apply, adding a different carrier state', () => {
    expect(localTimeFor({ phone: '+13055550100', businessTimeZone: BUSINESS })).toEqual({
      zones: ['America/New_York'],
      regions: ['US-FL'],
      source: 'area-code',
    });
    expect(
      localTimeFor({ phone: '+13055550100', fromState: 'NY', businessTimeZone: BUSINESS }).regions,
    ).toEqual(['US-FL', 'US-NY']);
  });

  it("falls back to every zone of the carrier's state, then to the business's zone", () => {
    expect(localTimeFor({ phone: '+18005550100', fromState: 'TX', businessTimeZone: BUSINESS })).toEqual({
      zones: ['America/Chicago', 'America/Denver'],
      regions: ['US-TX'],
      source: 'carrier-state',
    });
    expect(localTimeFor({ phone: '+447700900123', businessTimeZone: BUSINESS })).toEqual({
      zones: [BUSINESS],
      regions: [],
      source: 'business',
    });
    expect(localTimeFor({ businessTimeZone: BUSINESS }).source).toBe('business');
  });
});

describe('regionOfState', () => {
  it.each([
    ['TX', 'US-TX'],
    ['tx', 'US-TX'],
    ['Texas', 'US-TX'],
    [' new york ', 'US-NY'],
    ['District of Columbia', 'US-DC'],
    ['North  Dakota', 'US-ND'],
    ['ON', 'CA-ON'],
    ['Ontario', 'CA-ON'],
    ['PR', 'US-PR'],
  ])('reads %j as %s', (state, region) => {
    expect(regionOfState(state)).toBe(region);
  });

  it.each(['', 'XX', 'Texass'])('knows no region %j', (state) => {
    expect(regionOfState(state)).toBeUndefined();
  });
});

describe('betterLocalTime', () => {
  const business = localTimeFor({ businessTimeZone: BUSINESS });
  const areaCode = localTimeFor({ phone: '+12135550100', businessTimeZone: BUSINESS });

  it('moves a lead to a better signal (a phone after an email) and never back', () => {
    expect(betterLocalTime(business, areaCode)).toBe(areaCode);
    expect(betterLocalTime(areaCode, business)).toBe(areaCode);
    expect(betterLocalTime(undefined, business)).toBe(business);
  });

  it('reads the area code of an E.164 NANP number only', () => {
    expect(areaCodeOf('+15125550100')).toMatchObject({ code: '512', region: 'US-TX' });
    expect(areaCodeOf('+4420794600')).toBeUndefined();
  });
});
