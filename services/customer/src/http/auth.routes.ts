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
  router.post('/auth/login', route({ body: schema.loginBody }, ({ body }) => login(deps, body)));
  router.post('/auth/refresh', route({ body: schema.refreshBody }, ({ body }) => refreshSession(deps, body)));
  router.post('/auth/logout', requireAuth(authenticate(deps)), route({}, (input) => logout(deps, principalOf(input) as CustomerPrincipal)));
  router.get('/auth/jwks', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(deps.tokens.jwks);
  });
}
