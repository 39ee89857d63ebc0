import type { Role } from '@shop/platform';
import type { UpstreamKey } from './config.js';

/** One row of the public API: a path prefix, the service behind it, and who may call it. */
export interface GatewayRoute {
  /** Public path prefix under `/api/v1`; `:name` matches one path segment. */
  prefix: string;
  /** Config key of the upstream's base URL. */
  upstream: UpstreamKey;
  /** Roles a verified token must have; absent means the route is open and the service decides. */
  roles?: readonly Role[];
  /** Only this method (a row without one serves every method). */
  method?: string;
  /** Only the prefix itself, not the paths below it. */
  exact?: boolean;
  /**
   * The circuit breaker the row's calls count against, beside the service's own: slow routes
   * (password hashing) have their own, so they cannot open the breaker of the service's fast ones.
   */
  group?: string;
  /**
   * A 2xx answer ends the caller's session (`true`, a logout) or every session of the account
   * (`'account'`, an erasure): the gateway refuses those tokens from that moment.
   */
  endsSession?: boolean | 'account';
}

/** The breaker group of rows without one. */
export const DEFAULT_GROUP = 'default';
/** Routes that hash or verify a password: argon2 makes them slow by design. */
const CREDENTIALS = 'credentials';

/** Where the public API starts; the services serve the same paths without it. */
export const PUBLIC_BASE_PATH = '/api/v1';

const ADMIN: readonly Role[] = ['admin'];

/**
 * THE route table. Public `/api/v1/<x>` is served by the upstream at `/<x>`; a service's
 * `/internal/*` routes have no row and so are never reachable from outside. The most specific
 * prefix wins, whatever the order of the rows.
 */
export const routeTable: readonly GatewayRoute[] = [
  { prefix: '/api/v1/customers', upstream: 'CUSTOMER_SERVICE_URL' },
  { prefix: '/api/v1/customers', method: 'POST', exact: true, upstream: 'CUSTOMER_SERVICE_URL', group: CREDENTIALS },
  { prefix: '/api/v1/customers/me/password', upstream: 'CUSTOMER_SERVICE_URL', group: CREDENTIALS },
  { prefix: '/api/v1/customers/me/email', upstream: 'CUSTOMER_SERVICE_URL', group: CREDENTIALS },
  { prefix: '/api/v1/auth', upstream: 'CUSTOMER_SERVICE_URL' },
  { prefix: '/api/v1/auth/login', upstream: 'CUSTOMER_SERVICE_URL', group: CREDENTIALS },
  { prefix: '/api/v1/auth/logout', upstream: 'CUSTOMER_SERVICE_URL', endsSession: true },
  { prefix: '/api/v1/customers/me', method: 'DELETE', exact: true, upstream: 'CUSTOMER_SERVICE_URL', endsSession: 'account' },
  { prefix: '/api/v1/admin/customers', upstream: 'CUSTOMER_SERVICE_URL', roles: ADMIN },

  { prefix: '/api/v1/categories', upstream: 'CATALOG_SERVICE_URL' },
  { prefix: '/api/v1/products', upstream: 'CATALOG_SERVICE_URL' },
  { prefix: '/api/v1/admin/categories', upstream: 'CATALOG_SERVICE_URL', roles: ADMIN },
  { prefix: '/api/v1/admin/products', upstream: 'CATALOG_SERVICE_URL', roles: ADMIN },

  { prefix: '/api/v1/admin/inventory', upstream: 'INVENTORY_SERVICE_URL', roles: ADMIN },

  { prefix: '/api/v1/cart', upstream: 'CART_SERVICE_URL' },
  { prefix: '/api/v1/carts', upstream: 'CART_SERVICE_URL' },

  { prefix: '/api/v1/orders', upstream: 'ORDER_SERVICE_URL' },
  { prefix: '/api/v1/admin/orders', upstream: 'ORDER_SERVICE_URL', roles: ADMIN },
  { prefix: '/api/v1/admin/orders/:orderId/ship', upstream: 'ORDER_SERVICE_URL', roles: ['admin', 'fulfillment'] },
  { prefix: '/api/v1/webhooks/carriers', upstream: 'ORDER_SERVICE_URL' },

  { prefix: '/api/v1/payments', upstream: 'PAYMENT_SERVICE_URL' },
  { prefix: '/api/v1/webhooks/payments', upstream: 'PAYMENT_SERVICE_URL' },

  { prefix: '/api/v1/admin/notifications', upstream: 'NOTIFICATION_SERVICE_URL', roles: ADMIN },
];

/** A request path matched to its row, with the path the upstream serves it under. */
export interface ResolvedRoute {
  route: GatewayRoute;
  /** The upstream path and query string: the public one without `/api/v1`. */
  upstreamUrl: string;
}

/** Finds the row for a request (method, URL with its query), or undefined when none serves it. */
export type RouteResolver = (method: string, url: string) => ResolvedRoute | undefined;

interface CompiledRoute {
  route: GatewayRoute;
  pattern: RegExp;
  /** Rows are tried most specific first: longer prefixes, then exact ones, then method-bound ones. */
  rank: number;
}

/**
 * Compiles a route table into a resolver. Matching is case-sensitive and on whole segments
 * (`/api/v1/cart` does not match `/api/v1/carts`). Refuses a table whose admin row forgets its
 * roles, so a new row cannot open an admin API by omission.
 */
export function createRouteResolver(table: readonly GatewayRoute[] = routeTable): RouteResolver {
  const compiled: CompiledRoute[] = table.map((route) => {
    assertWellFormed(route);
    const segments = route.prefix.split('/').filter(Boolean);
    const source = segments.map((s) => (s.startsWith(':') ? '[^/]+' : escapeRegExp(s))).join('/');
    const ending = route.exact ? '/?$' : '(?:/|$)';
    return { route, pattern: new RegExp(`^/${source}${ending}`), rank: segments.length * 4 + (route.exact ? 2 : 0) + (route.method ? 1 : 0) };
  });
  compiled.sort((a, b) => b.rank - a.rank);

  return (method, url) => {
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    if (hasDotSegment(path)) return undefined;
    const match = compiled.find((c) => (!c.route.method || c.route.method === method) && c.pattern.test(path));
    if (!match) return undefined;
    return { route: match.route, upstreamUrl: url.slice(PUBLIC_BASE_PATH.length) };
  };
}

function assertWellFormed(route: GatewayRoute): void {
  if (!route.prefix.startsWith(`${PUBLIC_BASE_PATH}/`) || route.prefix.endsWith('/')) {
    throw new Error(`route prefix ${route.prefix} must sit under ${PUBLIC_BASE_PATH}/ without a trailing slash`);
  }
  if (route.prefix.startsWith(`${PUBLIC_BASE_PATH}/admin/`) && !route.roles?.length) {
    throw new Error(`admin route ${route.prefix} must name the roles allowed to call it`);
  }
  if (route.prefix.startsWith(`${PUBLIC_BASE_PATH}/internal`)) {
    throw new Error(`internal routes are never exposed: ${route.prefix}`);
  }
}

// `..` or `.` segments (plain or percent-encoded) could make an upstream that normalizes paths
// serve something other than the row that was authorized, such as /internal/*.
function hasDotSegment(path: string): boolean {
  return path.split('/').some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment)) || /%2f|%5c|\\/i.test(path);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
