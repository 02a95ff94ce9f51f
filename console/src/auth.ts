import type { ConsoleConfig } from './config.ts';

/** The signed-in user as the console needs it: a token for the API, a name, and signing out. */
export interface Auth {
  token(): Promise<string | undefined>;
  userName?: string;
  signOut?: () => Promise<void>;
}

/** The local runtime trusts its own machine: no sign-in. */
const localAuth: Auth = { token: async () => undefined };

/**
 * The cloud console signs in with the stack's Cognito user pool: OAuth 2.0 authorization code
 * with PKCE (oidc-client-ts), tokens kept for the browser session, renewed silently with the
 * refresh token. The API takes the access token (its JWT authorizer checks issuer and client).
 * Resolves once signed in; before that it sends the browser to the sign-in page.
 */
export const signIn = async (config: ConsoleConfig): Promise<Auth> => {
  if (config.mode === 'local') return localAuth;
  const { UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  const home = `${window.location.origin}/`;
  const manager = new UserManager({
    authority: config.auth.authority,
    client_id: config.auth.clientId,
    redirect_uri: home,
    response_type: 'code',
    scope: 'openid email profile',
    automaticSilentRenew: true,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
  const params = new URLSearchParams(window.location.search);
  if (params.has('code') && params.has('state')) {
    const user = await manager.signinRedirectCallback();
    const back = typeof user.state === 'string' ? user.state : '';
    window.history.replaceState(null, '', `/${back}`);
  }
  let user = await manager.getUser();
  if (!user || user.expired) {
    await manager.signinRedirect({ state: window.location.hash });
    // The browser is leaving for the sign-in page.
    return new Promise<Auth>(() => undefined);
  }
  const name = typeof user.profile.email === 'string' ? user.profile.email : user.profile.sub;
  return {
    userName: name,
    token: async () => {
      user = (await manager.getUser()) ?? user;
      return user?.access_token;
    },
    signOut: async () => {
      await manager.removeUser();
      // Cognito's own logout ends its session too (its discovery document has no end_session_endpoint).
      const logout = new URL('/logout', config.auth.domain);
      logout.searchParams.set('client_id', config.auth.clientId);
      logout.searchParams.set('logout_uri', home);
      window.location.assign(logout.href);
    },
  };
};
