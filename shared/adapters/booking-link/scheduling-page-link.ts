import * as z from 'zod';
import { ConfigurationError, readEnv } from '#shared/config/env.ts';
import { isGsm7 } from '#shared/domain/sms-text.ts';
import type { BookingLink } from '#shared/ports/outbound.ts';

export type SchedulingProvider = 'calendly' | 'cal.com' | 'other';

/** Which service hosts a scheduling page, by its host name. */
export const schedulingProviderOf = (page: URL): SchedulingProvider => {
  const host = page.hostname.toLowerCase();
  if (host === 'calendly.com' || host.endsWith('.calendly.com')) return 'calendly';
  if (host === 'cal.com' || host.endsWith('.cal.com')) return 'cal.com';
  return 'other';
};

/**
 * The page with the lead's name and email in its query string, which both Calendly
 * (https://help.calendly.com/hc/en-us/articles/226766767) and Cal.com (`name`, `email`, as in
 * https://cal.com/help/embedding/prefill-booking-form-embed) read into the booking form. The page's
 * own parameters stay. Values are percent-encoded with `%20` for spaces, as Calendly documents,
 * so the link is plain ASCII and costs nothing extra in a GSM-7 text.
 */
export const prefilledLink = (
  page: URL,
  lead: { name?: string; email?: string; leadId?: string },
  provider: SchedulingProvider = schedulingProviderOf(page),
): string => {
  const url = new URL(page.href);
  const params = new URLSearchParams(url.search);
  const name = lead.name?.replace(/\s+/g, ' ').trim();
  if (name) params.set('name', name);
  if (lead.email) params.set('email', lead.email);
  // Returned in the booking's webhook (Calendly `tracking.utm_content`, Cal.com `metadata`), so
  // the booking is matched to the lead whatever contact they type on the page.
  if (lead.leadId && provider === 'calendly') params.set('utm_content', lead.leadId);
  if (lead.leadId && provider === 'cal.com') params.set('metadata[leadId]', lead.leadId);
  // URLSearchParams writes a space as '+' and a literal '+' as %2B, so this swap is exact.
  const query = params.toString().replace(/\+/g, '%20');
  url.search = query;
  return url.href;
};

/**
 * A Calendly or Cal.com scheduling page (`CALENDAR_PROVIDER=booking-link`): the lead picks the time
 * there and the provider books it, so Leadline offers the link and books nothing. Pages on other
 * hosts (a self-hosted Cal.com, say) are sent as they are unless `prefill` says otherwise.
 */
export class SchedulingPageLink implements BookingLink {
  readonly provider: SchedulingProvider;
  readonly #page: URL;
  readonly #prefill: boolean;

  constructor(page: URL, options: { prefill?: boolean } = {}) {
    this.#page = page;
    this.provider = schedulingProviderOf(page);
    this.#prefill = options.prefill ?? this.provider !== 'other';
  }

  urlFor(lead: { name?: string; email?: string; leadId?: string }): string {
    return this.#prefill ? prefilledLink(this.#page, lead, this.provider) : this.#page.href;
  }
}

/** Longest page address accepted: a text carries it whole, and a first reply is two segments. */
const MAX_PAGE_URL = 200;

export const readSchedulingPageSettings = (env: NodeJS.ProcessEnv = process.env) => {
  const settings = readEnv(
    {
      BOOKING_LINK_URL: z.url({ protocol: /^https$/ }).max(MAX_PAGE_URL),
      /** Put the lead's name and email in the link; default: on for Calendly and Cal.com pages. */
      BOOKING_LINK_PREFILL: z.enum(['true', 'false']).optional(),
    },
    env,
  );
  const page = new URL(settings.BOOKING_LINK_URL);
  // WHATWG URL percent-encodes non-ASCII; what is left must be a character a GSM-7 text carries.
  if (!isGsm7(page.href)) {
    throw new ConfigurationError(
      'Invalid configuration: BOOKING_LINK_URL: has characters a text message cannot carry',
    );
  }
  return {
    page,
    ...(settings.BOOKING_LINK_PREFILL && { prefill: settings.BOOKING_LINK_PREFILL === 'true' }),
  };
};

export const schedulingPageLinkFromEnv = (env: NodeJS.ProcessEnv = process.env): SchedulingPageLink => {
  const { page, ...options } = readSchedulingPageSettings(env);
  return new SchedulingPageLink(page, options);
};
