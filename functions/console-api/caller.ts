import * as z from 'zod';

/** Members of this Cognito group may redrive dead-letter queues; everyone signed in may read. */
export const OPERATORS_GROUP = 'operators';

export interface Caller {
  /** The user's stable id (the token's `sub`). */
  id: string;
  /** What to call them: email, else user name, else id. */
  name: string;
  groups: string[];
}

const Claims = z.object({
  sub: z.string().min(1),
  email: z.string().optional(),
  'cognito:username': z.string().optional(),
  username: z.string().optional(),
  'cognito:groups': z.union([z.string(), z.array(z.string())]).optional(),
});

const AuthorizedEvent = z.object({
  requestContext: z.object({ authorizer: z.object({ jwt: z.object({ claims: Claims }) }) }),
});

/**
 * A group claim as API Gateway's JWT authorizer passes it: arrays arrive flattened to a string,
 * `[operators staff]` (bracketed, space-separated); a token's own array or a comma list also parse.
 */
export const parseGroups = (claim: string | string[] | undefined): string[] => {
  if (claim === undefined) return [];
  if (Array.isArray(claim)) return claim;
  return claim
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
};

/**
 * The caller whose token API Gateway's JWT authorizer verified (HTTP API payload 2.0,
 * `requestContext.authorizer.jwt.claims`), or undefined when the request carries none: a route
 * left without the authorizer must still refuse to answer.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 */
export const verifiedCaller = (event: unknown): Caller | undefined => {
  const parsed = AuthorizedEvent.safeParse(event);
  if (!parsed.success) return undefined;
  const claims = parsed.data.requestContext.authorizer.jwt.claims;
  return {
    id: claims.sub,
    name: claims.email ?? claims['cognito:username'] ?? claims.username ?? claims.sub,
    groups: parseGroups(claims['cognito:groups']),
  };
};
