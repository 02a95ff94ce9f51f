import { useEffect, useState } from 'preact/hooks';

export interface Route {
  /** Path segments after `#/`, e.g. ['leads', 'ld_123']. */
  parts: string[];
  query: URLSearchParams;
}

const parse = (): Route => {
  const hash = window.location.hash.replace(/^#\/?/, '');
  const [path = '', search = ''] = hash.split('?');
  return {
    parts: path.split('/').filter(Boolean).map(decodeURIComponent),
    query: new URLSearchParams(search),
  };
};

/** The route in the URL's hash (works from a static bucket, no server rewrites). */
export const useRoute = (): Route => {
  const [route, setRoute] = useState(parse);
  useEffect(() => {
    const onChange = () => setRoute(parse());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
};

/** A hash link: `href('leads', id)` → `#/leads/<id>`; `query` drops empty values. */
export const href = (...parts: (string | Record<string, string | undefined>)[]): string => {
  const path = parts.filter((p): p is string => typeof p === 'string').map(encodeURIComponent);
  const query = parts.find((p): p is Record<string, string | undefined> => typeof p === 'object');
  const search = new URLSearchParams(
    Object.entries(query ?? {}).filter((entry): entry is [string, string] => Boolean(entry[1])),
  ).toString();
  return `#/${path.join('/')}${search ? `?${search}` : ''}`;
};
