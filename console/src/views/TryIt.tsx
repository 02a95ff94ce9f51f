import { useEffect, useRef, useState } from 'preact/hooks';
import type { LeadDetail, ThreadMessage } from '#shared/console/views.ts';
import { ApiError } from '../api.ts';
import { Section } from '../components.tsx';
import { dateTime, phone } from '../format.ts';
import { useApi, useData } from '../live.ts';
import { href } from '../route.ts';

/** What `/local/simulate/*` answers. */
interface Simulated {
  leadId: string;
  contact: string;
  /** The webhook's HTTP status: 200 when the business accepted the message. */
  status: number;
  message?: string;
}

/** Only what actually went out reaches the lead's phone or mailbox: not what is held or suppressed. */
const reachedTheLead = (m: ThreadMessage) =>
  m.direction === 'in' ||
  !['held', 'sending', 'suppressed', 'failed', 'bounced', 'dropped'].includes(m.status);

/** The lead's side of the conversation for a contact, kept fresh by the live updates. */
const useConversation = (contact: string) => {
  const api = useApi();
  const [leadId, setLeadId] = useState<string>();
  useEffect(() => {
    let current = true;
    setLeadId(undefined);
    if (!contact.trim()) return;
    api
      .get<{ leadId: string }>(`/local/contacts/${encodeURIComponent(contact.trim())}`)
      .then((answer) => current && setLeadId(answer.leadId))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [contact, api]);
  const { data, error } = useData<LeadDetail>(leadId ? `/api/leads/${leadId}` : null);
  const notYet = error instanceof ApiError && error.status === 404;
  return { leadId, messages: notYet ? [] : (data?.thread.filter(reachedTheLead) ?? []) };
};

const Conversation = ({
  messages,
  leadId,
  empty,
}: {
  messages: ThreadMessage[];
  leadId?: string;
  empty: string;
}) => {
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => end.current?.scrollIntoView({ block: 'nearest' }), [messages.length]);
  return (
    <>
      <ol class="device-messages" aria-live="polite">
        {messages.length === 0 && <li class="device-empty">{empty}</li>}
        {messages.map((m) => (
          <li key={m.messageId} class={`device-message ${m.direction === 'in' ? 'mine' : 'theirs'}`}>
            {m.subject && <strong class="subject">{m.subject}</strong>}
            <span class="text">{m.text}</span>
            <time dateTime={m.at}>{dateTime(m.at)}</time>
          </li>
        ))}
        <li ref={end} aria-hidden="true" />
      </ol>
      {leadId && messages.length > 0 && (
        <a class="link device-lead" href={href('leads', leadId)}>
          Open this lead in the console →
        </a>
      )}
    </>
  );
};

const useSender = () => {
  const api = useApi();
  const [state, setState] = useState<{ sending: boolean; error?: string }>({ sending: false });
  const send = async (path: string, body: unknown): Promise<boolean> => {
    setState({ sending: true });
    try {
      const answer = await api.post<Simulated>(path, body);
      if (answer.status >= 300) {
        setState({
          sending: false,
          error: `The webhook refused it (${answer.status}): ${answer.message ?? ''}`,
        });
        return false;
      }
      setState({ sending: false });
      return true;
    } catch (failure) {
      setState({ sending: false, error: (failure as Error).message });
      return false;
    }
  };
  return { ...state, send };
};

/** A simulated phone: texts the business through its real Twilio webhook, signed as Twilio signs. */
const Phone = () => {
  const [from, setFrom] = useState('+15125550123');
  const [body, setBody] = useState('');
  const { leadId, messages } = useConversation(from);
  const sender = useSender();
  return (
    <Section title="Phone" class="device phone" aside={<small>texts the business number</small>}>
      <label class="field">
        <span>From</span>
        <input name="phone-from" type="tel" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
      </label>
      <div class="screen">
        <div class="screen-head">{phone(from)}</div>
        <Conversation
          messages={messages}
          leadId={leadId}
          empty="No texts yet. Write to the business below."
        />
      </div>
      <form
        class="composer"
        onSubmit={async (event) => {
          event.preventDefault();
          if (!body.trim()) return;
          if (await sender.send('/local/simulate/sms', { from, body })) setBody('');
        }}
      >
        <textarea
          name="phone-body"
          rows={2}
          placeholder="Text message"
          aria-label="Text message"
          value={body}
          onInput={(e) => setBody(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
        />
        <button type="submit" disabled={sender.sending || !body.trim()}>
          Send
        </button>
      </form>
      {sender.error && <p class="failure">{sender.error}</p>}
    </Section>
  );
};

/** A simulated mailbox: emails the business through its SendGrid Inbound Parse webhook. */
const Mailbox = () => {
  const [from, setFrom] = useState('Tom Reyes <tom@example.com>');
  const [subject, setSubject] = useState('Water heater');
  const [body, setBody] = useState('');
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  const { leadId, messages } = useConversation(address);
  const sender = useSender();
  return (
    <Section title="Mailbox" class="device mailbox" aside={<small>emails the business</small>}>
      <label class="field">
        <span>From</span>
        <input name="mail-from" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
      </label>
      <div class="screen">
        <Conversation messages={messages} leadId={leadId} empty="No emails yet." />
      </div>
      <form
        class="composer mail"
        onSubmit={async (event) => {
          event.preventDefault();
          if (!body.trim()) return;
          if (await sender.send('/local/simulate/email', { from, subject, body })) setBody('');
        }}
      >
        <input
          name="mail-subject"
          aria-label="Subject"
          placeholder="Subject"
          value={subject}
          onInput={(e) => setSubject(e.currentTarget.value)}
        />
        <textarea
          name="mail-body"
          rows={4}
          aria-label="Email"
          placeholder="Write an email"
          value={body}
          onInput={(e) => setBody(e.currentTarget.value)}
        />
        <button type="submit" disabled={sender.sending || !body.trim()}>
          Send email
        </button>
      </form>
      {sender.error && <p class="failure">{sender.error}</p>}
    </Section>
  );
};

/** Locally only: write to the business as a lead would, and watch the pipeline answer. */
export const TryIt = () => (
  <div class="try-it">
    <p class="hint">
      These go through the business's real webhooks (signed as Twilio and SendGrid sign them), so the whole
      pipeline runs. Replies arrive here as the sandbox would send them; everything is in the{' '}
      <a href={href('outbox')}>outbox</a>.
    </p>
    <div class="devices">
      <Phone />
      <Mailbox />
    </div>
  </div>
);
