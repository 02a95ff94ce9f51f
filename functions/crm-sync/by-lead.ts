/**
 * Events grouped by their lead, each group in batch order (oldest first, as SQS delivered them),
 * the groups in the order of each lead's first event.
 */
export const byLead = <E extends { detail: { leadId: string } }>(events: readonly E[]): E[][] => {
  const groups = new Map<string, E[]>();
  for (const event of events) {
    const group = groups.get(event.detail.leadId);
    if (group) group.push(event);
    else groups.set(event.detail.leadId, [event]);
  }
  return [...groups.values()];
};
