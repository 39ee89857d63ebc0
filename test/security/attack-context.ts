import { ADMIN, type Shop } from '../e2e/shop.fixture';
import { shoppers } from '../e2e/shoppers';
import { attackClient, type AttackClient, type AttackRequest } from './attack-client';
import type { ApiOperation } from './api-operations';
import type { GeneratedRequest } from './fuzz';
import { signedFor } from './fuzz';
import { Ledger, type LedgerRow } from './ledger';

/** The loopback address the attacks come from: the gateway's per-IP limits count them apart. */
export const ATTACKER_ADDRESS = '127.0.0.66';

/** What every attack works with: the shop, the attacker's client, the report, and the principals to act as. */
export interface AttackContext {
  shop: Shop;
  client: AttackClient;
  ledger: Ledger;
  admin: string;
  tools: ReturnType<typeof shoppers>;
  /** Requests from now on count in this row of the report; its checks and leaks are the caller's to count. */
  count(kind: string): LedgerRow;
  /** The request with the credentials its operation's caller would send. */
  authorize(operation: ApiOperation, request: GeneratedRequest): Promise<AttackRequest>;
  close(): void;
}

export async function attackContext(shop: Shop): Promise<AttackContext> {
  const admin = (await shop.api.post('/auth/login', ADMIN)).body.accessToken as string;
  const tools = shoppers(shop, () => admin);
  // The fuzz's customer, and two more for the operations that end a session or the account.
  const [customer, erasable] = await Promise.all([tools.verifiedCustomer(), tools.verifiedCustomer()]);
  const logoutSession = (await shop.api.post('/auth/login', { email: customer.email, password: 'buyer-pass-1' })).body.accessToken as string;
  const client = attackClient(shop.gatewayUrl, ATTACKER_ADDRESS);
  const ledger = new Ledger();

  const tokenFor = (operation: ApiOperation): string | undefined => {
    if (operation.caller === 'admin') return admin;
    if (operation.caller !== 'customer') return undefined;
    if (operation.template === '/auth/logout') return logoutSession;
    if (operation.method === 'DELETE' && operation.template === '/customers/me') return erasable.token;
    return customer.token;
  };

  return {
    shop,
    client,
    ledger,
    admin,
    tools,
    count(kind) {
      const row = ledger.row(kind);
      client.countIn(row);
      return row;
    },
    authorize: async (operation, request) => signedFor(operation, request, tokenFor(operation)),
    close: () => client.close(),
  };
}
