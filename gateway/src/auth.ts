import { AppError, bearerToken, type Logger, type Principal, type TokenVerifier } from '@shop/platform';
import type { RevokedSessions } from './revoked-sessions.js';
import type { GatewayRoute } from './routes.js';

/** How tokens are checked: the platform verifier over the customer service's JWKS, and the revoked sessions. */
export interface AuthOptions {
  verify: TokenVerifier;
  revokedSessions: RevokedSessions;
  logger: Logger;
}

/** Who a routed request speaks for (undefined: nobody, the service decides); rejects with 401 or 403. */
export type Authorizer = (authorization: string | undefined, route: GatewayRoute, correlationId: string) => Promise<Principal | undefined>;

/**
 * Checks the bearer token of a routed request before it reaches a service: a token that is
 * there must be valid and not outlawed by a sessions invalidation; a route with roles needs a
 * token with one of them. A request without a token goes on, and its service decides.
 */
export function createAuthorizer(options: AuthOptions): Authorizer {
  const { verify, revokedSessions, logger } = options;
  return async (header, route, correlationId) => {
    const token = bearerToken(header);
    if (!token) {
      if (header !== undefined && /^bearer\b/i.test(header)) throw new AppError('UNAUTHORIZED', 'malformed bearer token');
      if (route.roles) throw new AppError('UNAUTHORIZED', 'a bearer access token is required');
      return undefined;
    }
    const principal = await verify(token);
    if (revokedSessions.isRevoked(principal)) {
      logger.info('token of invalidated sessions rejected', { customerId: principal.customerId, sessionId: principal.sessionId, correlationId });
      throw new AppError('UNAUTHORIZED', 'the session has ended, sign in again');
    }
    if (route.roles && !route.roles.includes(principal.role)) throw new AppError('FORBIDDEN', 'not allowed for this account');
    return principal;
  };
}
