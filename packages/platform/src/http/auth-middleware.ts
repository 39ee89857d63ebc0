import type { RequestHandler } from 'express';
import { bearerToken, type Role, type TokenVerifier } from '../auth.js';
import { AppError } from '../errors.js';
import { describeSecurity } from './described-routes.js';

/** Verifies the bearer token and, when roles are given, that the principal has one of them. */
export function requireAuth(verify: TokenVerifier, roles?: Role[]): RequestHandler {
  const check: RequestHandler = async (req, res, next) => {
    const token = bearerToken(req.get('authorization'));
    if (!token) throw new AppError('UNAUTHORIZED', 'a bearer access token is required');
    const principal = await verify(token);
    if (roles && !roles.includes(principal.role)) throw new AppError('FORBIDDEN', 'not allowed for this account');
    res.locals.principal = principal;
    next();
  };
  return describeSecurity(check, { scheme: 'bearer', ...(roles && { roles }) });
}
