import { describe, expect, it } from 'vitest';
import { LeadMessageReceived } from '#events/catalog.ts';
import { sampleDetail } from '#events/samples.ts';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import { leadIdForContact } from '#shared/domain/contact.ts';
import { blankQualification, type Qualification } from '#shared/domain/qualification.ts';
import type { Qualifier } from '#shared/ports/qualifier.ts';
import { qualifyMessage } from '../../functions/qualify/qualify-message.ts';
import { useTestLeadStore } from '../support/dynamo.ts';

const profile = BusinessProfile.parse(demoBusinessProfile);

/** A model that reads every message as `qualification` says. */
const model = (qualification: Partial<Qualification>): Qualifier => ({
  qualify: async () => ({ qualification: blankQualification(qualification), qualifiedBy: 'openai' }),
});

describe('qualify records consent and where the lead is, against DynamoDB', () => {
  const db = useTestLeadStore();
  const published: string[] = [];
  const publisher = {
    publish: async (event: { detailType: string }) => void published.push(event.detailType),
  };

  const received = (from: string, body: string, overrides: Record<string, unknown> = {}) =>
    LeadMessageReceived.schema.parse(
      sampleDetail(LeadMessageReceived, {
        from,
        leadId: leadIdForContact(from),
        messageId: `sms-${from}-${body.length}`,
        correlationId: `sms-${from}-${body.length}`,
        body,
        ...overrides,
      }),
    );

  it("lets the model add an opt-out the rules miss, and the ledger says it was the model's judgement", async () => {
    const phone = '+15125550401';
    const outcome = await qualifyMessage(received(phone, "I'm done with you people, lose this thread"), {
      store: db.store,
      qualifier: model({ intent: 'opt_out', summary: 'wants no more contact' }),
      publisher,
      profile,
    });
    expect(outcome.intent).toBe('opt_out');
    expect((await db.store.getOptOut(phone))?.optedOut).toBe(true);
    expect((await db.store.getConsentLedger(phone)).map((e) => [e.event, e.signal])).toEqual([
      ['first_contact', 'inbound-message'],
      ['opt_out', 'model'],
    ]);
  });

  it('never lets the model remove a keyword opt-out', async () => {
    const phone = '+15125550402';
    const outcome = await qualifyMessage(received(phone, 'No thanks, stop'), {
      store: db.store,
      qualifier: model({ intent: 'new_lead' }),
      publisher,
      profile,
    });
    expect(outcome.intent).toBe('opt_out');
    const [, optOut] = await db.store.getConsentLedger(phone);
    expect(optOut).toMatchObject({
      event: 'opt_out',
      signal: 'keyword',
      detail: expect.stringContaining('keyword:stop'),
    });
  });

  it('records a Twilio HELP and publishes nothing to answer it: Twilio did', async () => {
    const phone = '+15125550403';
    published.length = 0;
    await qualifyMessage(received(phone, 'HELP', { optOutType: 'HELP' }), {
      store: db.store,
      qualifier: model({ intent: 'new_lead' }),
      publisher,
      profile,
    });
    expect(published).toEqual([]);
    expect((await db.store.getConsentLedger(phone)).at(-1)).toMatchObject({
      event: 'help',
      signal: 'twilio-opt-out-type',
    });
  });

  it('moves an email lead to the zone of the phone number it gives', async () => {
    const email = 'ana@example.com';
    const emailed = received(email, 'Leaky faucet', {
      channel: 'email',
      provider: 'sendgrid',
      messageId: 'email-1',
      correlationId: 'email-1',
    });
    await qualifyMessage(emailed, {
      store: db.store,
      qualifier: model({ intent: 'new_lead' }),
      publisher,
      profile,
    });
    expect((await db.store.getLead(leadIdForContact(email)))?.localTime?.source).toBe('business');

    await qualifyMessage(
      { ...emailed, messageId: 'email-2', correlationId: 'email-2', body: 'Text me at 808 555 0123' },
      { store: db.store, qualifier: model({ intent: 'reply', phone: '808 555 0123' }), publisher, profile },
    );
    const lead = await db.store.getLead(leadIdForContact(email));
    expect(lead).toMatchObject({
      phone: '+18085550123',
      timeZone: 'Pacific/Honolulu',
      localTime: { source: 'area-code', regions: ['US-HI'] },
    });
  });
});
