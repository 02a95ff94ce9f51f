import { describe, expect, it } from 'vitest';
import { byLead } from '../../../functions/crm-sync/by-lead.ts';

describe("crm-sync's batch, lead by lead", () => {
  it('groups a batch by lead, each group in delivery order, so a lead is written to the CRM once for its latest event', () => {
    const events = [
      { id: 1, detail: { leadId: 'ld-a' } },
      { id: 2, detail: { leadId: 'ld-b' } },
      { id: 3, detail: { leadId: 'ld-a' } },
      { id: 4, detail: { leadId: 'ld-a' } },
    ];
    const groups = byLead(events);
    expect(groups.map((g) => g.map((e) => e.id))).toEqual([[1, 3, 4], [2]]);
    expect(groups.map((g) => g.at(-1)?.id)).toEqual([4, 2]);
    expect(byLead([])).toEqual([]);
  });
});
