import { describe, expect, it } from 'vitest';
import {
  prefilledLink,
  readSchedulingPageSettings,
  SchedulingPageLink,
  schedulingPageLinkFromEnv,
  schedulingProviderOf,
} from '#shared/adapters/booking-link/scheduling-page-link.ts';
import { ConfigurationError } from '#shared/config/env.ts';
import { isGsm7 } from '#shared/domain/sms-text.ts';

const calendly = new URL('https://calendly.com/brightside-plumbing/estimate');

describe('schedulingProviderOf', () => {
  it('knows Calendly and Cal.com pages by their host', () => {
    expect(schedulingProviderOf(calendly)).toBe('calendly');
    expect(schedulingProviderOf(new URL('https://cal.com/brightside/estimate'))).toBe('cal.com');
    expect(schedulingProviderOf(new URL('https://app.cal.com/brightside/estimate'))).toBe('cal.com');
    expect(schedulingProviderOf(new URL('https://book.brightside.example/estimate'))).toBe('other');
    expect(schedulingProviderOf(new URL('https://notcalendly.com/x'))).toBe('other');
  });
});

describe('prefilledLink', () => {
  it('adds the name and email, encoding spaces as %20 as Calendly documents', () => {
    expect(prefilledLink(calendly, { name: 'Maria  Lopez ', email: 'maria+home@example.com' })).toBe(
      'https://calendly.com/brightside-plumbing/estimate?name=Maria%20Lopez&email=maria%2Bhome%40example.com',
    );
  });

  it("keeps the page's own parameters and replaces a name or email already there", () => {
    const page = new URL('https://cal.com/brightside/estimate?month=2026-11&name=Someone');
    expect(prefilledLink(page, { name: 'Jo' })).toBe(
      'https://cal.com/brightside/estimate?month=2026-11&name=Jo',
    );
  });

  it("carries the lead's id where each provider hands it back in its webhook", () => {
    expect(prefilledLink(calendly, { leadId: 'ld_0123456789abcdef0123' })).toBe(
      `${calendly.href}?utm_content=ld_0123456789abcdef0123`,
    );
    expect(prefilledLink(new URL('https://cal.com/brightside/estimate'), { leadId: 'ld_1' })).toBe(
      'https://cal.com/brightside/estimate?metadata%5BleadId%5D=ld_1',
    );
    // A page on another host has no known way back: the id is not added.
    const other = new URL('https://book.brightside.example/estimate');
    expect(prefilledLink(other, { leadId: 'ld_1' })).toBe(other.href);
  });

  it('leaves the page as it is when nothing is known', () => {
    expect(prefilledLink(calendly, {})).toBe(calendly.href);
  });

  it('stays within GSM-7 whatever the name holds', () => {
    const link = prefilledLink(calendly, { name: 'José Ñúñez 😀 {x} ~`', email: 'jose@example.com' });
    expect(isGsm7(link)).toBe(true);
    expect(link).not.toMatch(/[{}~`\s]/);
    expect(new URL(link).searchParams.get('name')).toBe('José Ñúñez 😀 {x} ~`');
  });
});

describe('SchedulingPageLink', () => {
  it('prefills Calendly and Cal.com pages and sends other pages as they are', () => {
    expect(new SchedulingPageLink(calendly).urlFor({ name: 'Maria' })).toBe(`${calendly.href}?name=Maria`);
    const other = new URL('https://book.brightside.example/estimate');
    expect(new SchedulingPageLink(other).urlFor({ name: 'Maria' })).toBe(other.href);
    expect(new SchedulingPageLink(other, { prefill: true }).urlFor({ name: 'Maria' })).toBe(
      `${other.href}?name=Maria`,
    );
    expect(new SchedulingPageLink(calendly, { prefill: false }).urlFor({ name: 'Maria' })).toBe(
      calendly.href,
    );
  });
});

describe('readSchedulingPageSettings', () => {
  it('reads the page and the prefill switch', () => {
    const link = schedulingPageLinkFromEnv({
      BOOKING_LINK_URL: calendly.href,
      BOOKING_LINK_PREFILL: 'false',
    });
    expect(link.provider).toBe('calendly');
    expect(link.urlFor({ name: 'Maria' })).toBe(calendly.href);
  });

  it('refuses a page that is not https or too long for a text', () => {
    expect(() => readSchedulingPageSettings({})).toThrow(/BOOKING_LINK_URL/);
    expect(() => readSchedulingPageSettings({ BOOKING_LINK_URL: 'http://calendly.com/x' })).toThrow(
      ConfigurationError,
    );
    expect(() =>
      readSchedulingPageSettings({ BOOKING_LINK_URL: `https://calendly.com/${'x'.repeat(200)}` }),
    ).toThrow(/BOOKING_LINK_URL/);
  });

  it('refuses a page whose address keeps a character a text cannot carry', () => {
    expect(() => readSchedulingPageSettings({ BOOKING_LINK_URL: 'https://calendly.com/x?utm=`a`' })).toThrow(
      /cannot carry/,
    );
  });

  it('percent-encodes a page address with non-ASCII characters', () => {
    const { page } = readSchedulingPageSettings({ BOOKING_LINK_URL: 'https://cal.com/señor-plumbing/visit' });
    expect(page.href).toBe('https://cal.com/se%C3%B1or-plumbing/visit');
  });
});
