import type { Router } from 'express';
import { principalOf, requireAuth, route } from '@shop/platform';
import { authenticate, type CustomerPrincipal } from '../app/authenticate.use-case.js';
import type { CustomerDeps } from '../app/deps.js';
import { login } from '../app/login.use-case.js';
import { logout } from '../app/logout.use-case.js';
import { refreshSession } from '../app/refresh-session.use-case.js';
import * as schema from './customer.schemas.js';

/** Sessions: login, refresh with rotation, logout, and the public keys that verify access tokens. */
export function authRoutes(router: Router, deps: CustomerDeps): void {
  router.post(
    '/auth/login',
    route(
      {
        body: schema.loginBody,
        response: schema.loginResponse,
        doc: {
          summary: 'Log in: a token pair and my profile; a guest cart given is merged into mine',
          description: 'Unknown e-mail and wrong password alike are INVALID_CREDENTIALS. RATE_LIMITED per client IP, and per e-mail address after 10 failures in 15 minutes.',
          errors: ['INVALID_CREDENTIALS', 'ACCOUNT_SUSPENDED', 'RATE_LIMITED'],
        },
      },
      ({ body }) => login(deps, body),
    ),
  );
  router.post(
    '/auth/refresh',
    route(
      {
        body: schema.refreshBody,
        response: schema.tokenPairResponse,
        doc: {
          summary: 'A new token pair for a refresh token; the old one stops working',
          description: 'The same refresh token presented again within 10 seconds (a client retry) gets the same new pair; later, it revokes the session.',
          errors: ['INVALID_REFRESH_TOKEN'],
        },
      },
      ({ body }) => refreshSession(deps, body),
    ),
  );
  router.post(
    '/auth/logout',
    requireAuth(authenticate(deps)),
    route({ status: 204, doc: { summary: 'Log out: the session ends, its access token is refused on every route at once', errors: ['ACCOUNT_SUSPENDED'] } }, (input) =>
      logout(deps, principalOf(input) as CustomerPrincipal),
    ),
  );
  router.get(
    '/auth/jwks',
    route({ response: schema.jwksResponse, doc: { summary: 'The public keys that verify access tokens (JWKS)' } }, async ({ res }) => {
      res.setHeader('Cache-Control', 'public, max-age=300');
      return deps.tokens.jwks;
    }),
  );
}
