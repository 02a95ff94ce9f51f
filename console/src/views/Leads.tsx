import { useEffect, useState } from 'preact/hooks';
import type { LeadPage, LeadRow } from '#shared/console/views.ts';
import { ChannelIcon, Empty, Failure, GradeBadge, ToneBadge } from '../components.tsx';
import { formatDuration, phone, STAGE_LABELS, timeAgo } from '../format.ts';
import { useApi, useData } from '../live.ts';
import { href, type Route } from '../route.ts';

const FILTERS = {
  grade: { label: 'Grade', options: { hot: 'Hot', warm: 'Warm', cold: 'Cold', none: 'Not scored' } },
  stage: { label: 'Stage', options: STAGE_LABELS },
  channel: { label: 'Channel', options: { sms: 'SMS', email: 'Email' } },
} as const;
type FilterName = keyof typeof FILTERS;

const leadName = (lead: Pick<LeadRow, 'name' | 'contact' | 'phone'>) =>
  lead.name ?? (lead.phone ? phone(lead.phone) : lead.contact);

const ContactStates = ({ lead }: { lead: LeadRow }) => (
  <>
    {lead.optedOut && (
      <ToneBadge tone="bad" title="Opted out: nothing is sent until they opt back in">
        opted out
      </ToneBadge>
    )}
    {lead.emailUnreachable && (
      <ToneBadge tone="bad" title="The address bounced for good">
        bounced
      </ToneBadge>
    )}
  </>
);

const Row = ({ lead }: { lead: LeadRow }) => (
  <a class="lead-row" href={href('leads', lead.leadId)} data-lead-id={lead.leadId}>
    <span class="cell who">
      <strong>{leadName(lead)}</strong>
      <small>{lead.name ? (lead.phone ? phone(lead.phone) : lead.contact) : lead.email}</small>
    </span>
    <span class="cell grade">
      <GradeBadge grade={lead.grade} score={lead.score} />
    </span>
    <span class="cell phase">
      <span class={`stage stage-${lead.stage}`}>{STAGE_LABELS[lead.stage] ?? lead.stage}</span>
      <ChannelIcon channel={lead.channel} />
    </span>
    <span class="cell last">
      {lead.lastMessage ? (
        <>
          <span class={`direction ${lead.lastMessage.direction}`} aria-hidden="true">
            {lead.lastMessage.direction === 'in' ? '←' : '→'}
          </span>
          <span class="visually-hidden">
            {lead.lastMessage.direction === 'in' ? 'From the lead:' : 'To the lead:'}
          </span>{' '}
          <span class="preview">{lead.lastMessage.text}</span>
          <small class="when">{timeAgo(lead.lastMessage.at)}</small>
        </>
      ) : (
        <small>no messages</small>
      )}
    </span>
    <span class="cell rep">{lead.rep?.name ?? <small>unassigned</small>}</span>
    <span class="cell speed" title="First message to first reply">
      {lead.speedToLeadMs !== undefined ? formatDuration(lead.speedToLeadMs) : <small>not answered</small>}
    </span>
    <span class="cell states">
      <ContactStates lead={lead} />
    </span>
  </a>
);

/** The lead list: filters and search in the URL, newest activity first, more on demand. */
export const Leads = ({ route }: { route: Route }) => {
  const api = useApi();
  const filters = Object.fromEntries(
    (Object.keys(FILTERS) as FilterName[]).map((name) => [name, route.query.get(name) ?? undefined]),
  ) as Record<FilterName, string | undefined>;
  const q = route.query.get('q') ?? '';
  const [typed, setTyped] = useState(q);
  useEffect(() => setTyped(q), [q]);
  const query = new URLSearchParams(
    Object.entries({ ...filters, q }).filter((entry): entry is [string, string] => Boolean(entry[1])),
  ).toString();
  const first = useData<LeadPage>(`/api/leads${query ? `?${query}` : ''}`);
  const [more, setMore] = useState<{ leads: LeadRow[]; nextCursor?: string }>({ leads: [] });
  useEffect(() => setMore({ leads: [] }), [query]);

  const go = (changes: Record<string, string | undefined>) => {
    window.location.hash = href('leads', { ...filters, q, ...changes });
  };
  const cursor = more.leads.length ? more.nextCursor : first.data?.nextCursor;
  const loadMore = async () => {
    if (!cursor) return;
    const next = await api.get<LeadPage>(
      `/api/leads?${query ? `${query}&` : ''}cursor=${encodeURIComponent(cursor)}`,
    );
    setMore((m) => ({
      leads: [...m.leads, ...next.leads],
      ...(next.nextCursor && { nextCursor: next.nextCursor }),
    }));
  };
  const leads = [...(first.data?.leads ?? []), ...more.leads];
  const filtered = Boolean(query);

  return (
    <div class="leads">
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          go({ q: typed.trim() || undefined });
        }}
      >
        <input
          type="search"
          name="q"
          placeholder="Search name, phone or email"
          aria-label="Search leads"
          value={typed}
          onInput={(event) => setTyped(event.currentTarget.value)}
        />
        {(Object.keys(FILTERS) as FilterName[]).map((name) => (
          <select
            key={name}
            name={name}
            aria-label={FILTERS[name].label}
            value={filters[name] ?? ''}
            onChange={(event) => go({ [name]: event.currentTarget.value || undefined })}
          >
            <option value="">{`Any ${FILTERS[name].label.toLowerCase()}`}</option>
            {Object.entries(FILTERS[name].options).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        ))}
        {filtered && (
          <a class="link clear" href={href('leads')}>
            Clear
          </a>
        )}
      </form>
      {first.error && <Failure error={first.error} retry={first.reload} />}
      {!first.data && first.loading && <p class="loading">Loading leads…</p>}
      {first.data && leads.length === 0 && (
        <Empty>
          {filtered ? (
            'No lead matches these filters.'
          ) : (
            <>
              No leads yet. Write to the business as a lead would (<a href={href('try')}>Try it</a>), or text
              its number.
            </>
          )}
        </Empty>
      )}
      {leads.length > 0 && (
        <ul class="lead-table" aria-label="Leads">
          <li class="lead-row head" aria-hidden="true">
            <span class="cell who">Lead</span>
            <span class="cell grade">Grade</span>
            <span class="cell phase">Stage</span>
            <span class="cell last">Last message</span>
            <span class="cell rep">Rep</span>
            <span class="cell speed">Speed to lead</span>
            <span class="cell states" />
          </li>
          {leads.map((lead) => (
            <li key={lead.leadId}>
              <Row lead={lead} />
            </li>
          ))}
        </ul>
      )}
      {cursor && (
        <button type="button" class="more" onClick={() => void loadMore()}>
          Show more leads
        </button>
      )}
    </div>
  );
};
