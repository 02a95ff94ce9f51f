import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Session } from '#shared/console/views.ts';
import { type Api, createApi } from './api.ts';
import { type Auth, signIn } from './auth.ts';
import { Failure } from './components.tsx';
import { type ConsoleConfig, loadConfig } from './config.ts';
import { ApiContext, LiveContext, useLiveSource } from './live.ts';
import { href, useRoute } from './route.ts';
import './styles.css';
import { Lead } from './views/Lead.tsx';
import { Leads } from './views/Leads.tsx';
import { Outbox } from './views/Outbox.tsx';
import { Pipeline } from './views/Pipeline.tsx';
import { TryIt } from './views/TryIt.tsx';

const LIVE_LABELS = { live: 'Live', polling: 'Refreshes every 15 s', offline: 'Reconnecting…' };

const App = ({
  config,
  auth,
  api,
  session,
}: {
  config: ConsoleConfig;
  auth: Auth;
  api: Api;
  session: Session;
}) => {
  const route = useRoute();
  const live = useLiveSource(config);
  const [section = 'leads', id] = route.parts;
  const local = config.mode === 'local';
  const tabs: [string, string][] = [
    ['leads', 'Leads'],
    ['pipeline', 'Pipeline'],
    ...(local
      ? ([
          ['try', 'Try it'],
          ['outbox', 'Outbox'],
        ] as [string, string][])
      : []),
  ];
  useEffect(() => {
    document.title = `${tabs.find(([key]) => key === section)?.[1] ?? 'Leadline'} · Leadline`;
  }, [section]);
  let view = <Leads route={route} />;
  if (section === 'leads' && id) view = <Lead leadId={id} />;
  else if (section === 'pipeline') view = <Pipeline session={session} />;
  else if (section === 'try' && local) view = <TryIt />;
  else if (section === 'outbox' && local) view = <Outbox route={route} />;
  return (
    <ApiContext.Provider value={api}>
      <LiveContext.Provider value={live}>
        <header class="top">
          <a class="brand" href={href('leads')}>
            Leadline
          </a>
          <nav aria-label="Sections">
            {tabs.map(([key, label]) => (
              <a
                key={key}
                href={href(key)}
                class={section === key ? 'active' : ''}
                aria-current={section === key ? 'page' : undefined}
              >
                {label}
              </a>
            ))}
          </nav>
          <div class="who">
            <span
              class={`live ${live.status}`}
              title={local ? 'Server-sent events from npm start' : 'The cloud API is polled'}
            >
              {LIVE_LABELS[live.status]}
            </span>
            {local ? (
              <span class="mode">local</span>
            ) : (
              <>
                <span class="user">{auth.userName ?? session.user}</span>
                <button type="button" class="link" onClick={() => void auth.signOut?.()}>
                  Sign out
                </button>
              </>
            )}
          </div>
        </header>
        <main>{view}</main>
      </LiveContext.Provider>
    </ApiContext.Provider>
  );
};

const Boot = () => {
  const [state, setState] = useState<
    { error?: Error } | { config: ConsoleConfig; auth: Auth; api: Api; session: Session }
  >({});
  useEffect(() => {
    (async () => {
      const config = await loadConfig();
      const auth = await signIn(config);
      const api = createApi(config, auth);
      const session = await api.get<Session>('/api/session');
      setState({ config, auth, api, session });
    })().catch((error: Error) => setState({ error }));
  }, []);
  if ('config' in state) return <App {...state} />;
  if (state.error) return <Failure error={state.error} retry={() => window.location.reload()} />;
  return <p class="boot">Loading the Leadline console…</p>;
};

render(<Boot />, document.getElementById('app')!);
