import { documentClient } from '#shared/adapters/aws/clients.ts';
import { schedulingPageLinkFromEnv } from '#shared/adapters/booking-link/scheduling-page-link.ts';
import { GoogleCalendar, readGoogleCalendarSettings } from '#shared/adapters/google/google-calendar.ts';
import { SandboxCalendar } from '#shared/adapters/sandbox/sandbox-calendar.ts';
import { chooseProvider } from '#shared/config/providers.ts';
import type { Scheduler } from '#shared/ports/outbound.ts';
import { once, storageSettings } from './core.ts';
import { adapterNotBuilt, sandboxOutbox } from './pipeline.ts';

export const calendar = once((): Scheduler => {
  const provider = chooseProvider('CALENDAR_PROVIDER');
  switch (provider) {
    case 'sandbox':
      return new SandboxCalendar(documentClient(), storageSettings().LEADS_TABLE_NAME, sandboxOutbox());
    case 'google':
      return new GoogleCalendar(readGoogleCalendarSettings());
    case 'booking-link':
      return schedulingPageLinkFromEnv();
    default:
      return adapterNotBuilt('CALENDAR_PROVIDER', provider);
  }
});
