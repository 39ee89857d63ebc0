import type { IncomingMessage } from 'node:http';
import type { RequestHandler, Response } from 'express';
import { AppError, bearerToken, describeSecurity, type TokenVerifier } from '@shop/platform';
import type { CartOwner } from '../app/cart-of.js';
import { hashCartToken, MAX_CART_TOKEN_LENGTH } from '../domain/cart-token.js';

/** The header a guest sends its cart token in. */
export const CART_TOKEN_HEADER = 'x-cart-token';

/** A guest's cart token as sent, if it may name a cart at all. */
const guestTokenOf = (sent: string | string[] | undefined) => (typeof sent === 'string' && sent && sent.length <= MAX_CART_TOKEN_LENGTH ? sent : undefined);

/**
 * Works out whose cart a request is about: a verified bearer token's customer, else the guest
 * holding an `X-Cart-Token`; neither is 401 UNAUTHORIZED. A bad bearer token is 401 too, never a
 * silent fall back to the guest cart.
 */
export function identifyCartOwner(verify: TokenVerifier): RequestHandler {
  const identify: RequestHandler = async (req, res, next) => {
    const header = req.get('authorization');
    const token = bearerToken(header);
    if (token) {
      res.locals.cartOwner = { customerId: (await verify(token)).customerId } satisfies CartOwner;
    } else {
      if (header) throw new AppError('UNAUTHORIZED', 'malformed bearer token');
      const guestToken = guestTokenOf(req.get(CART_TOKEN_HEADER));
      if (!guestToken) throw new AppError('UNAUTHORIZED', 'sign in, or send the X-Cart-Token of a guest cart');
      res.locals.cartOwner = { guestToken } satisfies CartOwner;
    }
    next();
  };
  return describeSecurity(identify, { scheme: 'bearer' }, { scheme: 'cartToken' });
}

/**
 * The answer key of a request whose owner is known without waiting: a bearer token this replica
 * has verified before (and that has not expired), or a guest's cart token; undefined otherwise, or
 * when the request would be refused (the request then goes through identifyCartOwner). A guest
 * token's key finds an answer only if that token opened a cart before.
 */
export function knownAnswerKey(verify: TokenVerifier, req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const customer = verify.known?.(bearerToken(header) ?? '');
    return customer ? answerKeyOf({ customerId: customer.customerId }) : undefined;
  }
  const guestToken = guestTokenOf(req.headers[CART_TOKEN_HEADER]);
  return guestToken && guestAnswerKey(guestToken);
}

/** The owner `identifyCartOwner` found for this request. */
export function ownerOf(input: { res: Response }): CartOwner {
  return input.res.locals.cartOwner as CartOwner;
}

/**
 * The key of an owner's cart answer in the answer cache: a customer's by their id, a guest's by
 * the hash of its token (the token itself is not kept). The prefixes keep the two apart.
 */
export function answerKeyOf(owner: CartOwner): string {
  return 'customerId' in owner ? `customer ${owner.customerId.toLowerCase()}` : guestAnswerKey(owner.guestToken);
}

export function guestAnswerKey(guestToken: string): string {
  return `guest ${hashCartToken(guestToken).toString('base64url')}`;
}
