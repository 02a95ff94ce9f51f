import type { BusinessProfile } from '#shared/config/business-profile.ts';
import type { LeadDirectory } from '#shared/ports/lead-directory.ts';
import type { LeadHistory } from '#shared/ports/lead-history.ts';
import type { Lead, LeadStore } from '#shared/ports/lead-store.ts';
import type { QueueHealth } from '#shared/ports/queue-health.ts';
import { type LeadListQuery, matchesQuery, toLeadRow } from './lead-row.ts';
import { speedToLeadByHour } from './speed-to-lead.ts';
import { toThread } from './thread.ts';
import { buildTimeline } from './timeline.ts';
import type { LeadDetail, LeadPage, LeadRow, PipelineHealth } from './views.ts';

/** What the console reads, as ports: the same use cases serve the local runtime and the cloud API. */
export interface ConsoleDeps {
  directory: LeadDirectory;
  store: Pick<LeadStore, 'getLead' | 'getMessages' | 'getMeetings' | 'getOptOut' | 'getEmailUnreachable'>;
  history: Pick<LeadHistory, 'events' | 'consentEntries'>;
  queues: QueueHealth;
  profile: BusinessProfile;
  now?: () => Date;
}

const rowOf = async (deps: ConsoleDeps, lead: Lead): Promise<LeadRow> => {
  const [lastMessage, optOut, emailUnreachable] = await Promise.all([
    deps.directory.lastMessage(lead.leadId),
    deps.store.getOptOut(lead.contact),
    lead.email ? deps.store.getEmailUnreachable(lead.email) : undefined,
  ]);
  return toLeadRow(lead, {
    ...(lastMessage && { lastMessage }),
    optOut: optOut ?? null,
    emailUnreachable: emailUnreachable ?? null,
    profile: deps.profile,
  });
};

/** One page of the lead list, latest activity first, filtered and searched. Throws `InvalidCursorError` for a bad cursor. */
export const listLeads = async (deps: ConsoleDeps, query: LeadListQuery): Promise<LeadPage> => {
  const { limit, cursor, ...filters } = query;
  const page = await deps.directory.page({
    limit,
    ...(cursor && { cursor }),
    matches: (lead) => matchesQuery(lead, filters),
  });
  return {
    leads: await Promise.all(page.leads.map((lead) => rowOf(deps, lead))),
    ...(page.nextCursor && { nextCursor: page.nextCursor }),
  };
};

/** A lead with its conversation and timeline; undefined when there is no such lead. */
export const leadDetail = async (deps: ConsoleDeps, leadId: string): Promise<LeadDetail | undefined> => {
  const lead = await deps.store.getLead(leadId);
  if (!lead) return undefined;
  const [row, messages, meetings, optOut, events, consent] = await Promise.all([
    rowOf(deps, lead),
    deps.store.getMessages(leadId),
    deps.store.getMeetings(leadId),
    deps.store.getOptOut(lead.contact),
    deps.history.events(leadId),
    deps.history.consentEntries(lead.contact),
  ]);
  const repName = (id: string) => deps.profile.reps.find((r) => r.id === id)?.name ?? id;
  return {
    lead: {
      ...row,
      timeZone: lead.timeZone,
      known: { ...lead.known },
      ...(lead.qualification && {
        qualification: {
          intent: lead.qualification.intent,
          qualifiedBy: lead.qualification.qualifiedBy,
          at: lead.qualification.at,
        },
      }),
      scoreReasons: lead.score?.reasons ?? [],
      ...(lead.crm && { crm: lead.crm }),
      meetings: meetings.map((m) => ({
        meetingId: m.meetingId,
        start: m.start,
        end: m.end,
        repName: repName(m.repId),
      })),
      ...(optOut && { optOut: { optedOut: optOut.optedOut, at: optOut.at, channel: optOut.channel } }),
    },
    thread: toThread(messages, lead.timeZone),
    timeline: buildTimeline({ lead, events, messages, meetings, consent, profile: deps.profile }),
  };
};

/** Most leads the speed-to-lead chart reads (newest activity first). */
const CHART_LEAD_LIMIT = 5000;

/** The queues and the speed to lead of the last `hours`. */
export const pipelineHealth = async (deps: ConsoleDeps, hours: number): Promise<PipelineHealth> => {
  const now = deps.now?.() ?? new Date();
  const activeSince = new Date(now.getTime() - hours * 3_600_000).toISOString();
  // A lead first answered in the window was active in it: its updatedAt is at least its first reply.
  const leads: Lead[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.directory.page({ limit: 200, activeSince, ...(cursor && { cursor }) });
    leads.push(...page.leads);
    cursor = page.nextCursor;
  } while (cursor && leads.length < CHART_LEAD_LIMIT);
  return {
    queues: await deps.queues.list(),
    speedToLead: { hours, points: speedToLeadByHour(leads, hours, now) },
    at: now.toISOString(),
  };
};
