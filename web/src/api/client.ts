import createClient from 'openapi-fetch';
import type { paths } from './schema.gen';
import { ApiError } from './errors';
import type { Session } from './session';

export type { paths, components } from './schema.gen';

/** The API's base path on this origin: the gateway serves the pages and the API together. */
export const API_BASE = '/api/v1';

/** Creates the typed client of the gateway's API over a session's credentials. */
export function createApi(session: Session) {
  return createClient<paths>({ baseUrl: API_BASE, fetch: session.fetch });
}

export type Api = ReturnType<typeof createApi>;

/**
 * The data of a successful answer, or the ApiError of a failed one (a network failure is
 * NETWORK with status 0), for TanStack Query to hold.
 */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch {
    throw new ApiError(0, 'NETWORK', '');
  }
  if (!result.response.ok) throw ApiError.from(result.response.status, result.error);
  return result.data as T;
}
