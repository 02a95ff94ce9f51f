import { describe, expect, it } from 'vitest';
import type { Lead } from '#shared/ports/lead-store.ts';
import type { RepAlertRecord } from '#shared/ports/rep-routing.ts';
import { openAlerts } from '../../../functions/inbound-sms/rep-message.ts';

const alert = (leadId: string, reason: string, at: string): RepAlertRecord => ({
  repId: 'rep-a',
  leadId,
  reference: leadId.slice(3, 7).toUpperCase(),
  reason,
  at,
});

const leadWith = (leadId: string, changes: Partial<Lead> = {}): Lead => ({
  leadId,
  contact: '+15125550123',
  channel: 'sms',
  timeZone: 'America/Chicago',
  status: 'engaged',
  createdAt: '2026-11-24T18:00:00.000Z',
  updatedAt: '2026-11-24T18:00:00.000Z',
  firstInboundAt: '2026-11-24T18:00:00.000Z',
  known: {},
  ...changes,
});

const storeOf = (leads: Lead[]) => ({
  getLead: async (id: string) => leads.find((l) => l.leadId === id),
});

describe('the alerts a bare command may mean', () => {
  // Newest first, as the alert log lists them.
  const alerts = [
    alert('ld_cccc', 'meeting-booked', '2026-11-24T18:30:00.000Z'),
    alert('ld_bbbb', 'hot-lead', '2026-11-24T18:20:00.000Z'),
    alert('ld_aaaa', 'emergency', '2026-11-24T18:10:00.000Z'),
    alert('ld_bbbb', 'hot-lead', '2026-11-24T18:05:00.000Z'),
  ];

  it('lists each open lead once, newest first, for the alerts the command answers', async () => {
    const store = storeOf([
      leadWith('ld_aaaa'),
      leadWith('ld_bbbb'),
      leadWith('ld_cccc', { stage: 'booked' }),
    ]);
    const open = await openAlerts(alerts, 'take-over', 'rep-a', store);
    expect(open.map((a) => a.reference)).toEqual(['BBBB', 'AAAA']);
    expect((await openAlerts(alerts, 'no-show', 'rep-a', store)).map((a) => a.reference)).toEqual(['CCCC']);
  });

  it('leaves out a lead that opted out, was won or lost, or another rep has', async () => {
    const store = storeOf([
      leadWith('ld_aaaa', { stage: 'opted_out' }),
      leadWith('ld_bbbb', {
        handedToRep: { repId: 'rep-b', at: '2026-11-24T18:25:00.000Z', messageId: 'sms-SMt' },
      }),
    ]);
    expect(await openAlerts(alerts, 'acknowledge', 'rep-a', store)).toEqual([]);
    const mine = storeOf([
      leadWith('ld_aaaa', { stage: 'lost' }),
      leadWith('ld_bbbb', {
        handedToRep: { repId: 'rep-a', at: '2026-11-24T18:25:00.000Z', messageId: 'sms-SMt' },
      }),
    ]);
    expect((await openAlerts(alerts, 'acknowledge', 'rep-a', mine)).map((a) => a.reference)).toEqual([
      'BBBB',
    ]);
  });
});
