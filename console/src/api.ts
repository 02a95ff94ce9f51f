import type { Auth } from './auth.ts';
import type { ConsoleConfig } from './config.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
}

/** JSON over fetch, to the local runtime (same origin) or the console API with the user's token. */
export const createApi = (config: ConsoleConfig, auth: Auth): Api => {
  const base = config.mode === 'cloud' ? config.apiUrl.replace(/\/$/, '') : '';
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const token = await auth.token();
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(token && { authorization: `Bearer ${token}` }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const payload: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const message =
        payload && typeof payload === 'object' && 'message' in payload
          ? String(payload.message)
          : response.statusText;
      throw new ApiError(response.status, message);
    }
    return payload as T;
  };
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
  };
};
