import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubSpotFake } from '../fakes/hubspot-fake.ts';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

describe('HubSpot as the CRM, on the local runtime', () => {
  let pipeline: TestPipeline;
  let hubspot: HubSpotFake;

  beforeAll(async () => {
    hubspot = await HubSpotFake.start();
    pipeline = await startTestPipeline({
      env: {
        CRM_PROVIDER: 'hubspot',
        HUBSPOT_ACCESS_TOKEN: hubspot.accessToken,
        HUBSPOT_BASE_PATH: hubspot.url,
      },
    });
  });
  afterAll(async () => {
    await pipeline.stop();
    await hubspot.close();
  });

  it('ends an inbound text with the contact in HubSpot, scored, and the conversation as notes once each', async () => {
    await pipeline.sms(
      '+15125550611',
      "Hi, this is Dana. Our water heater is leaking everywhere, I'm in Round Rock. Can someone come today?",
    );
    await pipeline.settle();

    const lead = (await pipeline.runtime.inspector.leads()).find((l) => l.contact === '+15125550611');
    expect(lead?.crm?.provider).toBe('hubspot');
    const contact = hubspot.contacts.get(lead?.crm?.id ?? '');
    expect(contact?.properties).toMatchObject({
      leadline_id: lead?.leadId,
      phone: '+15125550611',
      lastname: 'Dana',
      lifecyclestage: 'lead',
      leadline_grade: lead?.score?.grade,
      leadline_score: String(lead?.score?.score),
    });
    expect(contact?.properties).not.toHaveProperty('firstname');
    expect(hubspot.contacts.size).toBe(1);
    const notes = hubspot.notesOf(contact?.id ?? '').map((n) => n.properties.hs_note_body ?? '');
    const sent = lead?.messages.filter((m) => m.status === 'received' || m.status === 'sent') ?? [];
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(notes).toHaveLength(sent.length);
    expect(notes.some((n) => n.includes('SMS from lead') && n.includes('water heater'))).toBe(true);
    expect(notes.some((n) => n.includes('SMS to lead'))).toBe(true);
    const outbox = await pipeline.runtime.inspector.outbox();
    expect(outbox.filter((e) => e.kind === 'crm')).toHaveLength(0);
  });
});
