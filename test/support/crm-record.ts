import type { CrmLeadRecord } from '#shared/ports/outbound.ts';

/** A lead as crm-sync hands it to the CRM port: an SMS lead, scored hot, two messages in. */
export const crmLeadRecord = (overrides: Partial<CrmLeadRecord> = {}): CrmLeadRecord => ({
  externalId: 'ld_0123456789abcdef0123',
  name: 'Priya Shah',
  phone: '+15125550411',
  score: 82,
  grade: 'hot',
  status: 'engaged',
  sourceChannel: 'sms',
  need: 'Replace a leaking water heater',
  service: 'Water heater',
  location: 'Leander',
  timing: 'this_week',
  optedOut: false,
  conversationLog: [
    '2026-03-02T15:04:05.000Z lead (sms): hi our water heater is leaking, can someone come this week?',
    '2026-03-02T15:04:09.000Z us (sms): Hi Priya, thanks for reaching out! We can come out this week.',
  ],
  meetings: [],
  ...overrides,
});
