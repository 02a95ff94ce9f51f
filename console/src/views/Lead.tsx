import type { LeadDetail, ThreadMessage, TimelineItem } from '#shared/console/views.ts';
import { ChannelIcon, Empty, Failure, GradeBadge, Section, ToneBadge } from '../components.tsx';
import { dateTime, formatDuration, INTENT_LABELS, phone, STAGE_LABELS } from '../format.ts';
import { useData } from '../live.ts';
import { href } from '../route.ts';

const FACTS: [string, string][] = [
  ['need', 'Needs'],
  ['service', 'Service'],
  ['location', 'Where'],
  ['timing', 'When'],
  ['budget', 'Budget'],
];

const Message = ({ message, timeZone }: { message: ThreadMessage; timeZone: string }) => (
  <li class={`bubble ${message.direction}`} data-status={message.status}>
    {message.subject && <div class="subject">{message.subject}</div>}
    <div class="text">{message.text || <em>(no text)</em>}</div>
    {message.media && (
      <div class="media">
        {message.media.map((m, i) => (
          <span key={i} class="badge muted">
            {m.contentType}
            {m.archived ? '' : ' (not archived)'}
          </span>
        ))}
      </div>
    )}
    <div class="meta">
      <time dateTime={message.at}>{dateTime(message.at, timeZone)}</time>
      {message.direction === 'out' && (
        <ToneBadge tone={message.tone} title={message.statusDetail}>
          {message.status}
        </ToneBadge>
      )}
      {message.purpose && <span class="purpose">{message.purpose.replace(/[-_]/g, ' ')}</span>}
      {message.composedBy === 'openai' && <span class="purpose">drafted by OpenAI</span>}
    </div>
    {message.statusDetail && <div class={`status-detail tone-${message.tone}`}>{message.statusDetail}</div>}
  </li>
);

const Event = ({ item, timeZone }: { item: TimelineItem; timeZone: string }) => (
  <li class={`event tone-${item.tone}`} data-source={item.source}>
    <span class="dot" aria-hidden="true" />
    <div class="event-body">
      <div class="event-head">
        <strong>{item.title}</strong>
        <time dateTime={item.at}>{dateTime(item.at, timeZone)}</time>
      </div>
      {item.details.length > 0 && (
        <ul class="details">
          {item.details.map((detail, i) => (
            <li key={i}>{detail}</li>
          ))}
        </ul>
      )}
      {item.link && (
        <a href={item.link.href} target="_blank" rel="noopener noreferrer">
          {item.link.label}
        </a>
      )}
    </div>
  </li>
);

/** One lead: who, what we know, the conversation and, beside it, everything the pipeline did. */
export const Lead = ({ leadId }: { leadId: string }) => {
  const { data, error, reload } = useData<LeadDetail>(`/api/leads/${encodeURIComponent(leadId)}`);
  if (error && !data) return <Failure error={error} retry={reload} />;
  if (!data) return <p class="loading">Loading the lead…</p>;
  const { lead, thread, timeline } = data;
  const contact = lead.phone ? phone(lead.phone) : lead.contact;
  const facts = FACTS.filter(([key]) => lead.known[key]);
  return (
    <div class="lead">
      <a class="back" href={href('leads')}>
        ← All leads
      </a>
      <header class="lead-head">
        <div>
          <h1>{lead.name ?? contact}</h1>
          <p class="contact">
            {lead.name && <span>{contact}</span>}
            {lead.email && lead.email !== lead.contact && <span>{lead.email}</span>}
          </p>
        </div>
        <div class="badges">
          <GradeBadge grade={lead.grade} score={lead.score} />
          <span class={`stage stage-${lead.stage}`}>{STAGE_LABELS[lead.stage] ?? lead.stage}</span>
          <ChannelIcon channel={lead.channel} />
          {lead.optedOut && <ToneBadge tone="bad">opted out</ToneBadge>}
          {lead.emailUnreachable && <ToneBadge tone="bad">email bounced</ToneBadge>}
        </div>
      </header>
      <dl class="facts">
        <div>
          <dt>Rep</dt>
          <dd>{lead.rep?.name ?? 'unassigned'}</dd>
        </div>
        <div>
          <dt>Speed to lead</dt>
          <dd>
            {lead.speedToLeadMs !== undefined ? formatDuration(lead.speedToLeadMs) : 'not answered yet'}
          </dd>
        </div>
        {lead.qualification && (
          <div>
            <dt>Qualified</dt>
            <dd>
              {INTENT_LABELS[lead.qualification.intent] ?? lead.qualification.intent} (
              {lead.qualification.qualifiedBy === 'openai' ? 'OpenAI' : 'rules'})
            </dd>
          </div>
        )}
        {facts.map(([key, label]) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd>{lead.known[key]}</dd>
          </div>
        ))}
        {lead.crm && (
          <div>
            <dt>CRM</dt>
            <dd>
              {lead.crm.provider} {lead.crm.id}
            </dd>
          </div>
        )}
        {lead.meetings.map((meeting) => (
          <div key={meeting.meetingId}>
            <dt>Meeting</dt>
            <dd>
              {dateTime(meeting.start, lead.timeZone)} with {meeting.repName}
            </dd>
          </div>
        ))}
        <div>
          <dt>Lead's time</dt>
          <dd>{lead.timeZone}</dd>
        </div>
      </dl>
      <div class="lead-columns">
        <Section title="Conversation" class="thread">
          {thread.length === 0 ? (
            <Empty>No messages.</Empty>
          ) : (
            <ol class="bubbles" aria-label="Conversation">
              {thread.map((message) => (
                <Message key={message.messageId} message={message} timeZone={lead.timeZone} />
              ))}
            </ol>
          )}
        </Section>
        <Section title="Timeline" class="timeline">
          {timeline.length === 0 ? (
            <Empty>Nothing recorded yet.</Empty>
          ) : (
            <ol class="events" aria-label="Timeline">
              {timeline.map((item, i) => (
                <Event key={i} item={item} timeZone={lead.timeZone} />
              ))}
            </ol>
          )}
        </Section>
      </div>
    </div>
  );
};
