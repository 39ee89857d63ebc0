import { ApiError } from './errors';

/** Who is signed in, as the login and `GET /customers/me` answer it. */
export interface Customer {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  status: 'unverified' | 'verified' | 'suspended';
  role: 'customer' | 'admin' | 'fulfillment';
  version: number;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token lives. */
  expiresIn: number;
}

/** Why a session ended without the person signing out. */
export type EndReason = 'expired' | 'suspended';

export interface SessionState {
  customer?: Customer;
  /** Set once a session ended on its own; the sign-in page says why. */
  ended?: EndReason;
}

export interface SessionOptions {
  /** The API's base, e.g. `/api/v1`. */
  baseUrl: string;
  fetch?: typeof fetch;
  /** Where the refresh token and the guest cart token survive a reload. */
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  now?: () => number;
  /** Storage keys: the storefront's and the admin's sessions are separate. */
  storageKey?: string;
}

/** An access token is renewed this long before it expires. */
const RENEW_BEFORE_MS = 30_000;

/**
 * The signed-in person's tokens and every request's credentials. The access token lives in
 * memory only; the refresh token (and a guest's cart token) in storage, so a reload keeps both.
 * The access token is renewed before it expires and once after a 401; a refresh that fails, or
 * an ACCOUNT_SUSPENDED answer, ends the session with its reason.
 */
export class Session {
  private state: SessionState = {};
  private accessToken?: string;
  private expiresAt = 0;
  private refreshing?: Promise<boolean>;
  private readonly listeners = new Set<() => void>();
  private readonly fetchFn: typeof fetch;
  private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  private readonly now: () => number;
  private readonly keys: { refresh: string; cart: string };

  constructor(private readonly options: SessionOptions) {
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.storage = options.storage ?? globalThis.localStorage;
    this.now = options.now ?? Date.now;
    const key = options.storageKey ?? 'shop';
    this.keys = { refresh: `${key}.refreshToken`, cart: `${key}.cartToken` };
  }

  getState = (): SessionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Whether a refresh token is kept from an earlier visit (the session may be resumed). */
  hasStoredSession(): boolean {
    return this.storage.getItem(this.keys.refresh) !== null;
  }

  guestCartToken(): string | undefined {
    return this.storage.getItem(this.keys.cart) ?? undefined;
  }

  setGuestCartToken(token: string | undefined): void {
    if (token) this.storage.setItem(this.keys.cart, token);
    else this.storage.removeItem(this.keys.cart);
  }

  signedIn(tokens: TokenPair, customer: Customer): void {
    this.keep(tokens);
    this.set({ customer });
  }

  /** Keeps the tokens of a login without telling the pages yet (the login finishes its own requests first). */
  authenticate(tokens: TokenPair): void {
    this.keep(tokens);
  }

  updateCustomer(customer: Customer): void {
    this.set({ customer });
  }

  /** Forgets the tokens; the caller has told the server (or the server ended the session). */
  clear(ended?: EndReason): void {
    this.accessToken = undefined;
    this.expiresAt = 0;
    this.storage.removeItem(this.keys.refresh);
    this.set(ended ? { ended } : {});
  }

  /** A valid access token, renewed first when it is about to expire; undefined when signed out. */
  async token(): Promise<string | undefined> {
    if (this.accessToken && this.expiresAt - this.now() > RENEW_BEFORE_MS) return this.accessToken;
    if (!this.storage.getItem(this.keys.refresh)) return undefined;
    return (await this.refresh()) ? this.accessToken : undefined;
  }

  /**
   * Trades the refresh token for a new pair, once at a time however many requests ask; false
   * (and the session ended) when the server refuses it.
   */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async doRefresh(): Promise<boolean> {
    const refreshToken = this.storage.getItem(this.keys.refresh);
    if (!refreshToken) return false;
    let response: Response;
    try {
      response = await this.fetchFn(`${this.options.baseUrl}/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      });
    } catch {
      // The network: the session may still be valid; the request that asked fails on its own.
      return false;
    }
    if (!response.ok) {
      const error = ApiError.from(response.status, await response.json().catch(() => undefined));
      if (response.status === 401 || response.status === 403) this.clear(error.code === 'ACCOUNT_SUSPENDED' ? 'suspended' : 'expired');
      return false;
    }
    this.keep((await response.json()) as TokenPair);
    return true;
  }

  /**
   * Sends a request with the person's credentials: the bearer token when signed in, the guest
   * cart token otherwise. A 401 to a signed-in request renews the token once and sends it again.
   */
  fetch = async (request: Request): Promise<Response> => {
    const retry = request.clone();
    const token = await this.token();
    const response = await this.fetchFn(this.withCredentials(request, token));
    if (response.status === 401 && token && !request.url.endsWith('/auth/refresh')) {
      // A wrong current password (changing the password or the e-mail) is the person's mistake, not
      // an expired token: the session stands and the request is not sent again.
      if ((await codeOf(response)) === 'INVALID_CREDENTIALS') return response;
      if (await this.refresh()) return this.fetchFn(this.withCredentials(retry, this.accessToken));
      if (!this.state.ended) this.clear('expired');
      return response;
    }
    if (response.status === 403 && token && (await codeOf(response)) === 'ACCOUNT_SUSPENDED') this.clear('suspended');
    return response;
  };

  private withCredentials(request: Request, token: string | undefined): Request {
    const headers = new Headers(request.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    else {
      const cartToken = this.guestCartToken();
      if (cartToken) headers.set('x-cart-token', cartToken);
    }
    return new Request(request, { headers });
  }

  private keep(tokens: TokenPair): void {
    this.accessToken = tokens.accessToken;
    this.expiresAt = this.now() + tokens.expiresIn * 1000;
    this.storage.setItem(this.keys.refresh, tokens.refreshToken);
  }

  private set(state: SessionState): void {
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}

/** The error code of an answer, read from a copy (the caller still reads the body). */
async function codeOf(response: Response): Promise<string | undefined> {
  const body = (await response.clone().json().catch(() => undefined)) as { error?: { code?: string } } | undefined;
  return body?.error?.code;
}
