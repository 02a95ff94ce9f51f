import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from './api.ts';
import type { ConsoleConfig } from './config.ts';

/** How fresh the data on screen is: `version` grows whenever something changed. */
export interface Live {
  version: number;
  /** `live`: pushed by the server as it happens; `polling`: re-read every few seconds; `offline`: lost. */
  status: 'live' | 'polling' | 'offline';
}

/** The cloud console re-reads on a timer: API Gateway's HTTP APIs do not stream. */
const POLL_MS = 15_000;
/** Many changes come at once (one message fans out to several steps): one refetch for a burst. */
const SETTLE_MS = 150;

/** Follows the server's changes: server-sent events locally, polling in the cloud. */
export const useLiveSource = (config: ConsoleConfig): Live => {
  const [live, setLive] = useState<Live>({
    version: 0,
    status: config.mode === 'local' ? 'offline' : 'polling',
  });
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => {
    const bump = () => {
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => setLive((l) => ({ ...l, version: l.version + 1 })), SETTLE_MS);
    };
    if (config.mode === 'cloud') {
      const interval = window.setInterval(bump, POLL_MS);
      return () => window.clearInterval(interval);
    }
    // A hidden tab lets go of its stream: browsers allow six connections per host over HTTP/1.1,
    // and every open console tab would otherwise hold one.
    let source: EventSource | undefined;
    const connect = () => {
      source?.close();
      source = new EventSource('/local/live');
      source.addEventListener('change', bump);
      source.onopen = () => {
        setLive((l) => ({ ...l, status: 'live' }));
        // Whatever happened while disconnected.
        bump();
      };
      source.onerror = () => setLive((l) => ({ ...l, status: 'offline' }));
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') connect();
      else {
        source?.close();
        source = undefined;
      }
    };
    if (document.visibilityState === 'visible') connect();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      source?.close();
    };
  }, [config.mode]);
  return live;
};

export const LiveContext = createContext<Live>({ version: 0, status: 'offline' });
export const ApiContext = createContext<Api | undefined>(undefined);

export const useApi = (): Api => {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside the app');
  return api;
};

export interface Loaded<T> {
  data?: T;
  error?: Error;
  loading: boolean;
}

/**
 * Reads `path` from the API, and again whenever the live version changes; keeps showing the last
 * answer while a new one loads. `null` reads nothing.
 */
export const useData = <T>(path: string | null): Loaded<T> & { reload: () => void } => {
  const api = useApi();
  const { version } = useContext(LiveContext);
  const [state, setState] = useState<Loaded<T>>({ loading: path !== null });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    api.get<T>(path).then(
      (data) => current && setState({ data, loading: false }),
      (error: Error) => current && setState((s) => ({ ...s, error, loading: false })),
    );
    return () => {
      current = false;
    };
  }, [path, version, nonce, api]);
  return { ...state, reload: () => setNonce((n) => n + 1) };
};
