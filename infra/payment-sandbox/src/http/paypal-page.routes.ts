import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { transactionRunner } from '@shop/db';
import { handlersOf, validatePart } from '@shop/platform';
import { approvePaypalPayment } from '../app/approve-paypal-payment.use-case.js';
import { cancelPaypalPayment } from '../app/cancel-paypal-payment.use-case.js';
import type { UseCaseContext } from '../app/deps.js';
import { getPaypalApproval } from '../app/get-paypal-approval.use-case.js';
import { ProviderError } from '../errors.js';
import type { PaypalApproval } from '../paypal.js';
import type { ApiDeps } from './deps.js';
import { providerErrorHandler, type ErrorResponder } from './error-handler.js';
import { approvalPage, errorPage } from './pages.js';
import { byId } from './schemas.js';
import { approvalUrlOf } from './views.js';

const originOf = (url: string) => new URL(url).origin;

/**
 * Nothing loads from anywhere; inline style only. `form-action` names the sandbox and where its
 * answers redirect to (the merchant's return and cancel pages): browsers hold a form's redirects
 * to it too. No `upgrade-insecure-requests`: a sandbox and a shop on plain http must stay so.
 */
function contentSecurityPolicy(formTargets: string[]): string {
  const targets = [...new Set(formTargets.map(originOf))].join(' ');
  return `default-src 'none'; style-src 'unsafe-inline'; form-action ${targets || "'none'"}; frame-ancestors 'none'; base-uri 'none'`;
}

function sendPage(res: Response, status: number, page: string, formTargets: string[] = []): void {
  res.status(status).set({ 'content-security-policy': contentSecurityPolicy(formTargets), 'cache-control': 'no-store' }).type('html').send(page);
}

const sendErrorPage: ErrorResponder = (res, status, { message }) => sendPage(res, status, errorPage(status, message));

/** The shopper's browser goes on to the merchant's page; a 303 makes its next request a GET. */
function redirect(res: Response, url: string): void {
  res.set('cache-control', 'no-store').redirect(303, url);
}

/** A page handler counted as running, like `route()`'s: a drain waits for the change it makes. */
function page(handler: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return async (req, res) => {
    const running = handlersOf(req.app.locals);
    running.count += 1;
    try {
      await handler(req, res);
    } finally {
      running.count -= 1;
    }
  };
}

/**
 * The PayPal approval pages a shopper's browser opens (no API key: the approval's unguessable id
 * is what lets them in): `GET /paypal/:id` shows the payment and its two buttons, whose forms
 * `POST /paypal/:id/approve` and `/cancel` answer 303 to the merchant's return or cancel URL.
 * A refusal is an HTML page with the status the API would answer.
 */
export function paypalPageRoutes(deps: ApiDeps): Router {
  const pages = express.Router();
  const transaction = transactionRunner(deps.db, deps.afterCommit);
  const change = (work: (ctx: UseCaseContext) => Promise<PaypalApproval>) => transaction((tx) => work({ tx, now: deps.now() }));
  const idOf = (req: Request) => validatePart(byId, req.params, 'params').id;

  // What a browser's form sends; nothing in it is read, but its size is bounded.
  pages.use(express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 20 }));

  pages.get(
    '/:id',
    page(async (req, res) => {
      const approval = await getPaypalApproval(deps.db, idOf(req));
      const approvalUrl = approvalUrlOf(deps.publicUrl, approval.id);
      sendPage(res, 200, approvalPage(approval, approvalUrl), approval.status === 'awaiting_approval' ? [approvalUrl, approval.returnUrl, approval.cancelUrl] : []);
    }),
  );

  pages.post(
    '/:id/approve',
    page(async (req, res) => {
      const id = idOf(req);
      const approval = await change((ctx) => approvePaypalPayment(ctx, id));
      deps.logger.info('PayPal payment approved by the shopper', { approvalId: approval.id, authorizationId: approval.authorizationId });
      redirect(res, approval.returnUrl);
    }),
  );

  pages.post(
    '/:id/cancel',
    page(async (req, res) => {
      const id = idOf(req);
      const approval = await change((ctx) => cancelPaypalPayment(ctx, id));
      deps.logger.info('PayPal payment cancelled by the shopper', { approvalId: approval.id });
      redirect(res, approval.cancelUrl);
    }),
  );

  pages.use((req) => {
    throw new ProviderError('not_found', `no page ${req.method} ${req.baseUrl}${req.path}`);
  });
  pages.use(providerErrorHandler(deps.logger, sendErrorPage));
  return pages;
}
