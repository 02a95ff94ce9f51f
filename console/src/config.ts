/** What `/config.json` says: the local runtime, or a deployed stack with its sign-in settings. */
export type ConsoleConfig =
  | { mode: 'local' }
  | {
      mode: 'cloud';
      /** The console API's base URL, e.g. https://abc123.execute-api.us-east-1.amazonaws.com */
      apiUrl: string;
      auth: {
        /** The user pool's OpenID Connect issuer: https://cognito-idp.<region>.amazonaws.com/<pool id> */
        authority: string;
        clientId: string;
        /** The user pool's sign-in domain: https://<prefix>.auth.<region>.amazoncognito.com */
        domain: string;
      };
    };

export const loadConfig = async (): Promise<ConsoleConfig> => {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
  return (await response.json()) as ConsoleConfig;
};
