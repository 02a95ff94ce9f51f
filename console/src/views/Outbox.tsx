import { useState } from 'preact/hooks';
import { Empty, Failure } from '../components.tsx';
import { dateTime } from '../format.ts';
import { useData } from '../live.ts';
import { href, type Route } from '../route.ts';

/** An entry of `/local/outbox` (the sandbox adapters' record, `SandboxOutbox`). */
interface OutboxEntry {
  id: string;
  kind: string;
  to: string;
  body: string;
  at: string;
  details: Record<string, unknown>;
}

const KINDS = ['sms', 'email', 'slack', 'crm', 'booking'];

/** Locally only: what the sandbox providers recorded instead of sending, newest first, filtered by kind and recipient. */
export const Outbox = ({ route }: { route: Route }) => {
  const kind = route.query.get('kind') ?? '';
  const to = route.query.get('to') ?? '';
  const [typed, setTyped] = useState(to);
  const query = new URLSearchParams(Object.entries({ kind, to }).filter(([, v]) => v)).toString();
  const { data, error, reload } = useData<OutboxEntry[]>(`/local/outbox${query ? `?${query}` : ''}`);
  const go = (changes: Record<string, string | undefined>) => {
    window.location.hash = href('outbox', { kind, to, ...changes });
  };
  const entries = [...(data ?? [])].reverse();
  return (
    <div class="outbox">
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          go({ to: typed.trim() || undefined });
        }}
      >
        <select
          name="kind"
          aria-label="Kind"
          value={kind}
          onChange={(e) => go({ kind: e.currentTarget.value || undefined })}
        >
          <option value="">Everything</option>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <input
          type="search"
          name="to"
          placeholder="Recipient"
          aria-label="Recipient"
          value={typed}
          onInput={(e) => setTyped(e.currentTarget.value)}
        />
      </form>
      {error && <Failure error={error} retry={reload} />}
      {data && entries.length === 0 && (
        <Empty>Nothing recorded{query ? ' for these filters' : ' yet'}.</Empty>
      )}
      <ol class="outbox-entries">
        {entries.map((entry) => (
          <li key={entry.id} class="panel outbox-entry" data-kind={entry.kind}>
            <div class="outbox-head">
              <span class="badge muted">{entry.kind}</span>
              <strong>{entry.to}</strong>
              <time dateTime={entry.at}>{dateTime(entry.at)}</time>
            </div>
            {typeof entry.details.subject === 'string' && <div class="subject">{entry.details.subject}</div>}
            <pre class="outbox-body">{entry.body}</pre>
            <details>
              <summary>Details</summary>
              <pre>{JSON.stringify(entry.details, null, 2)}</pre>
            </details>
          </li>
        ))}
      </ol>
    </div>
  );
};
