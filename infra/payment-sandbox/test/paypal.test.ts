import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { eventually } from '@shop/testkit';
import { API_KEY, approvalRequest, startSandboxFixture, usd, webhooksAbout, type SandboxFixture, type WebhookReceiver } from './sandbox.fixture';

const PUBLIC_URL = 'https://pay.sandbox.test';

describe('PayPal approvals', function () {
  this.timeout(30_000);
  let f: SandboxFixture;
  let receiver: WebhookReceiver;
  before(async () => {
    // With a trailing slash, as someone may well write it: approvalUrl must not get a double one.
    f = await startSandboxFixture({ env: { PUBLIC_URL: `${PUBLIC_URL}/` } });
    receiver = f.receiver!;
  });
  after(() => f.stop());

  const approvalPath = (approval: Record<string, any>) => new URL(approval.approvalUrl as string).pathname;
  const approve = (approval: Record<string, any>) => f.page('POST', `${approvalPath(approval)}/approve`, {});
  const cancel = (approval: Record<string, any>) => f.page('POST', `${approvalPath(approval)}/cancel`, {});
  const withdraw = (approval: Record<string, any>) => f.post(`/v1/paypal/approvals/${approval.id}/cancel`);
  const current = async (approval: Record<string, any>) => (await f.get(`/v1/paypal/approvals/${approval.id}`)).body;
  const delivered = (count: number, list: () => Promise<Array<Record<string, any>>>) =>
    eventually(async () => {
      const events = await list();
      return events.length >= count && events.every((e) => e.delivery.status === 'delivered') && events;
    }, 5_000, `${count} events delivered`);

  describe('POST /v1/paypal/approvals', () => {
    it('when amount, reference and http(s) return and cancel URLs are given, then 201 awaiting_approval with its approvalUrl under PUBLIC_URL', async () => {
      const request = approvalRequest({ amount: usd(4999) });

      const response = await f.post('/v1/paypal/approvals', request);

      expect(response.status).to.equal(201);
      const { id, createdAt } = response.body;
      expect(id).to.match(/^pp_[0-9a-f]{24}$/);
      expect(new Date(createdAt).getTime()).to.be.closeTo(Date.now(), 60_000);
      expect(response.body).to.deep.equal({
        id,
        status: 'awaiting_approval',
        amount: usd(4999),
        reference: request.reference,
        approvalUrl: `${PUBLIC_URL}/paypal/${id}`,
        returnUrl: request.returnUrl,
        cancelUrl: request.cancelUrl,
        authorizationId: null,
        cancelledBy: null,
        createdAt,
        approvedAt: null,
        cancelledAt: null,
      });
    });

    it('when returnUrl or cancelUrl is not an http(s) URL, then 400 invalid_request naming it and nothing is stored', async () => {
      for (const bad of ['javascript:alert(1)', 'ftp://shop.test/return', '/checkout/return', 'data:text/html,hi']) {
        for (const field of ['returnUrl', 'cancelUrl'] as const) {
          const request = approvalRequest({ [field]: bad });

          const response = await f.post('/v1/paypal/approvals', request);

          expect(response.status, `${field} ${bad}`).to.equal(400);
          expect(response.body.error.code).to.equal('invalid_request');
          expect(response.body.error.message).to.contain(field);
          expect((await f.get(`/v1/paypal/approvals?reference=${request.reference}`)).body.items).to.deep.equal([]);
        }
      }
    });

    it('when the same Idempotency-Key comes again, then the same 201 replayed and one approval; with another body, 409 idempotency_key_reused', async () => {
      const key = randomUUID();
      const request = approvalRequest();
      const first = await f.post('/v1/paypal/approvals', request, { key });

      const again = await f.post('/v1/paypal/approvals', request, { key });
      const reused = await f.post('/v1/paypal/approvals', { ...request, amount: usd(1) }, { key });

      expect(again.status).to.equal(201);
      expect(again.body).to.deep.equal(first.body);
      expect(again.headers.get('idempotent-replayed')).to.equal('true');
      expect(reused.status).to.equal(409);
      expect(reused.body.error.code).to.equal('idempotency_key_reused');
      expect((await f.get(`/v1/paypal/approvals?reference=${request.reference}`)).body.items).to.have.length(1);
    });

    it('when the Idempotency-Key is missing, then 400 idempotency_key_required', async () => {
      const response = await f.post('/v1/paypal/approvals', approvalRequest(), { key: null });

      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('idempotency_key_required');
    });
  });

  describe('GET /v1/paypal/approvals', () => {
    it('when looked up by id, then the approval as created; an unknown id, 404 not_found', async () => {
      const approval = await f.approval();

      const found = await f.get(`/v1/paypal/approvals/${approval.id}`);
      const unknown = await f.get('/v1/paypal/approvals/pp_000000000000000000000000');

      expect(found.status).to.equal(200);
      expect(found.body).to.deep.equal(approval);
      expect(unknown.status).to.equal(404);
      expect(unknown.body.error.code).to.equal('not_found');
    });

    it('when looked up by reference, then every approval asked for with it, oldest first; without a reference, 400 invalid_request', async () => {
      const reference = randomUUID();
      const first = await f.approval({ reference });
      const second = await f.approval({ reference, amount: usd(1200) });
      await f.approval();

      const response = await f.get(`/v1/paypal/approvals?reference=${reference}`);
      const without = await f.get('/v1/paypal/approvals');

      expect(response.status).to.equal(200);
      expect(response.body.items.map((a: { id: string }) => a.id)).to.deep.equal([first.id, second.id]);
      expect(without.status).to.equal(400);
      expect(without.body.error.code).to.equal('invalid_request');
    });
  });

  describe('the API key', () => {
    it('when a /v1/paypal route has no or a wrong X-Api-Key, then 401 unauthorized; the shopper pages need none', async () => {
      const approval = await f.approval();
      const attempts = [
        () => f.post('/v1/paypal/approvals', approvalRequest(), { headers: { 'x-api-key': 'wrong' } }),
        () => f.post(`/v1/paypal/approvals/${approval.id}/cancel`, undefined, { headers: { 'x-api-key': 'wrong' } }),
        () => f.get(`/v1/paypal/approvals/${approval.id}`, {}),
        () => f.get(`/v1/paypal/approvals?reference=${approval.reference}`, { 'x-api-key': `${API_KEY}x` }),
      ];

      for (const attempt of attempts) {
        const response = await attempt();
        expect(response.status).to.equal(401);
        expect(response.body.error.code).to.equal('unauthorized');
      }
      expect((await current(approval)).status).to.equal('awaiting_approval');
      expect((await f.page('GET', approvalPath(approval))).status).to.equal(200);
      expect((await approve(approval)).status).to.equal(303);
    });
  });

  describe('GET /paypal/:id (the shopper page)', () => {
    it('when the approval awaits the shopper, then an HTML page with the amount, the reference and forms posting to approve and cancel, loading nothing', async () => {
      const approval = await f.approval({ amount: usd(2500) });

      const page = await f.page('GET', approvalPath(approval));

      expect(page.status).to.equal(200);
      expect(page.headers.get('content-type')).to.match(/^text\/html/);
      expect(page.text).to.contain('$25.00 USD');
      expect(page.text).to.contain(approval.reference);
      expect(page.text).to.contain(`<form method="post" action="${approval.approvalUrl}/approve">`);
      expect(page.text).to.contain(`<form method="post" action="${approval.approvalUrl}/cancel">`);
      expect(page.text).not.to.match(/<script|<link|<img|src=/i);
      const csp = page.headers.get('content-security-policy')!;
      expect(csp).to.contain("default-src 'none'");
      // A form's redirect to the shop must be allowed too, or a browser stops it.
      expect(csp).to.contain(`form-action ${PUBLIC_URL} https://shop.test`);
      expect(page.headers.get('cache-control')).to.equal('no-store');
    });

    it('when the reference and the return URL hold markup characters, then the page shows them escaped', async () => {
      const reference = `<script>alert("x")</script>&'${randomUUID()}`;
      const approval = await f.approval({ reference, returnUrl: "https://shop.test/return?a=1&b='x'" });

      const awaiting = await f.page('GET', approvalPath(approval));
      await approve(approval);
      const approved = await f.page('GET', approvalPath(approval));

      expect(awaiting.text).to.contain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
      expect(awaiting.text).not.to.contain('<script>');
      expect(approved.text).to.contain('href="https://shop.test/return?a=1&amp;b=&#39;x&#39;"');
      expect(approved.text).not.to.contain('<script>');
    });

    it('when the id is unknown, then a 404 HTML page', async () => {
      const page = await f.page('GET', '/paypal/pp_000000000000000000000000');

      expect(page.status).to.equal(404);
      expect(page.headers.get('content-type')).to.match(/^text\/html/);
      expect(page.text).to.contain('Payment not found');
    });
  });

  describe('POST /paypal/:id/approve', () => {
    it('when the shopper approves, then 303 to returnUrl, a captured paypal authorization with the reference, and the approval approved with it', async () => {
      const approval = await f.approval({ amount: usd(3100) });

      const answer = await f.page('POST', `${approvalPath(approval)}/approve`, { approve: '' });

      expect(answer.status).to.equal(303);
      expect(answer.headers.get('location')).to.equal(approval.returnUrl);
      const approved = await current(approval);
      expect(approved).to.deep.include({ status: 'approved', cancelledBy: null, cancelledAt: null });
      expect(approved.authorizationId).to.match(/^auth_[0-9a-f]{24}$/);
      expect(approved.approvedAt).to.be.a('string');
      const authorization = (await f.get(`/v1/authorizations/${approved.authorizationId}`)).body;
      expect(authorization).to.deep.include({
        status: 'captured',
        brand: 'paypal',
        last4: null,
        declineCode: null,
        reference: approval.reference,
        amount: usd(3100),
        capturedAmount: usd(3100),
        refundedAmount: usd(0),
        refunds: [],
      });
      expect((await f.get(`/v1/authorizations?reference=${approval.reference}`)).body.items).to.have.length(1);
    });

    it('when the shopper approves, then payment.captured about the authorization, with the approvalId, is delivered signed', async () => {
      const approval = await f.approval({ amount: usd(1800) });

      await approve(approval);

      const { authorizationId } = await current(approval);
      const [webhook] = await webhooksAbout(receiver, approval.id, 1);
      expect(webhook).to.deep.include({ type: 'payment.captured', verified: true, contentType: 'application/json' });
      expect(webhook!.id).to.match(/^evt_[0-9a-f]{24}$/);
      expect(webhook!.data).to.deep.equal({ authorizationId, approvalId: approval.id, reference: approval.reference, amount: usd(1800), capturedAt: webhook!.data.capturedAt });
      expect(new Date(webhook!.data.capturedAt as string).getTime()).to.be.closeTo(Date.now(), 60_000);
      const [stored] = await delivered(1, () => f.events(authorizationId));
      expect(stored!.id).to.equal(webhook!.id);
    });

    it('when the shopper approves twice (the second with an empty body), then 303 to returnUrl again and nothing new: one authorization, one event', async () => {
      const approval = await f.approval();
      await approve(approval);

      const again = await f.page('POST', `${approvalPath(approval)}/approve`);

      expect(again.status).to.equal(303);
      expect(again.headers.get('location')).to.equal(approval.returnUrl);
      expect((await f.get(`/v1/authorizations?reference=${approval.reference}`)).body.items).to.have.length(1);
      const events = await delivered(1, () => f.approvalEvents(approval.id));
      expect(events.map((e) => e.type)).to.deep.equal(['payment.captured']);
      expect(receiver.about(approval.id)).to.have.length(1);
    });

    it('when an approved payment is refunded through POST /v1/authorizations/:id/refunds, then 201 and payment.refunded follows payment.captured', async () => {
      const approval = await f.approval({ amount: usd(4000) });
      await approve(approval);
      const { authorizationId } = await current(approval);

      const refund = await f.post(`/v1/authorizations/${authorizationId}/refunds`, { amount: usd(1500) });

      expect(refund.status).to.equal(201);
      expect(refund.body).to.deep.include({ authorizationId, amount: usd(1500), status: 'succeeded' });
      const rest = await f.post(`/v1/authorizations/${authorizationId}/refunds`);
      expect(rest.body.amount).to.deep.equal(usd(2500));
      const webhooks = await webhooksAbout(receiver, authorizationId, 3);
      expect(webhooks.map((w) => w.type)).to.deep.equal(['payment.captured', 'payment.refunded', 'payment.refunded']);
      expect(webhooks[1]!.data).to.deep.include({ authorizationId, refundId: refund.body.id, amount: usd(1500) });
    });

    it('when the approved payment is then cancelled by the shopper or the merchant, then a 409 page and 409 approval_completed; it stays approved', async () => {
      const approval = await f.approval();
      await approve(approval);

      const page = await cancel(approval);
      const api = await withdraw(approval);

      expect(page.status).to.equal(409);
      expect(page.headers.get('content-type')).to.match(/^text\/html/);
      expect(page.text).to.contain('approved');
      expect(api.status).to.equal(409);
      expect(api.body.error.code).to.equal('approval_completed');
      expect((await current(approval)).status).to.equal('approved');
    });
  });

  describe('POST /paypal/:id/cancel', () => {
    it('when the shopper cancels, then 303 to cancelUrl, the approval cancelled by the shopper, and payment.approval_cancelled delivered signed, naming no authorization', async () => {
      const approval = await f.approval({ amount: usd(2200) });

      const answer = await f.page('POST', `${approvalPath(approval)}/cancel`, { cancel: '' });

      expect(answer.status).to.equal(303);
      expect(answer.headers.get('location')).to.equal(approval.cancelUrl);
      const cancelled = await current(approval);
      expect(cancelled).to.deep.include({ status: 'cancelled', cancelledBy: 'shopper', authorizationId: null });
      const [webhook] = await webhooksAbout(receiver, approval.id, 1);
      expect(webhook).to.deep.include({ type: 'payment.approval_cancelled', verified: true });
      expect(webhook!.data).to.deep.equal({ approvalId: approval.id, reference: approval.reference, amount: usd(2200), cancelledAt: cancelled.cancelledAt });
      expect((await f.get(`/v1/authorizations?reference=${approval.reference}`)).body.items).to.deep.equal([]);
    });

    it('when the shopper cancels twice, then 303 to cancelUrl again and one event; approving it afterwards is a 409 page', async () => {
      const approval = await f.approval();
      await cancel(approval);

      const again = await f.page('POST', `${approvalPath(approval)}/cancel`);
      const approveAfter = await approve(approval);

      expect(again.status).to.equal(303);
      expect(again.headers.get('location')).to.equal(approval.cancelUrl);
      expect(approveAfter.status).to.equal(409);
      expect(approveAfter.headers.get('content-type')).to.match(/^text\/html/);
      const events = await delivered(1, () => f.approvalEvents(approval.id));
      expect(events.map((e) => e.type)).to.deep.equal(['payment.approval_cancelled']);
      expect((await current(approval)).status).to.equal('cancelled');
    });

    it('when the receiver answers 500 to payment.approval_cancelled, then it is retried until a 2xx, like any event', async () => {
      const approval = await f.approval();
      receiver.script(approval.id, [500]);

      await cancel(approval);

      const webhooks = await webhooksAbout(receiver, approval.id, 2);
      expect(webhooks.map((w) => `${w.type} ${w.answered}`)).to.deep.equal(['payment.approval_cancelled 500', 'payment.approval_cancelled 200']);
      expect(webhooks[0]!.id).to.equal(webhooks[1]!.id);
      const [stored] = await delivered(1, () => f.approvalEvents(approval.id));
      expect(stored!.delivery.attempts).to.equal(2);
    });

    it('when the shopper approves and cancels at the same time, then one of them wins: its redirect, its event, a 409 page for the other', async () => {
      const approval = await f.approval();

      const [approveAnswer, cancelAnswer] = await Promise.all([approve(approval), cancel(approval)]);

      const statuses = [approveAnswer.status, cancelAnswer.status].sort();
      expect(statuses).to.deep.equal([303, 409]);
      const won = approveAnswer.status === 303 ? 'approved' : 'cancelled';
      expect((await current(approval)).status).to.equal(won);
      const events = await f.approvalEvents(approval.id);
      expect(events.map((e) => e.type)).to.deep.equal([won === 'approved' ? 'payment.captured' : 'payment.approval_cancelled']);
    });

    it('when the id is unknown, then a 404 HTML page for approve and cancel alike', async () => {
      for (const action of ['approve', 'cancel']) {
        const page = await f.page('POST', `/paypal/pp_000000000000000000000000/${action}`, {});

        expect(page.status).to.equal(404);
        expect(page.headers.get('content-type')).to.match(/^text\/html/);
      }
    });
  });

  describe('POST /v1/paypal/approvals/:id/cancel (the merchant withdraws)', () => {
    it('when the approval awaits the shopper, then 200 cancelled by the merchant, no event, and the shopper can neither approve nor cancel it (409 pages)', async () => {
      const approval = await f.approval();

      const response = await withdraw(approval);

      expect(response.status).to.equal(200);
      expect(response.body).to.deep.include({ id: approval.id, status: 'cancelled', cancelledBy: 'merchant', authorizationId: null });
      const approveAfter = await approve(approval);
      const cancelAfter = await cancel(approval);
      for (const page of [approveAfter, cancelAfter]) {
        expect(page.status).to.equal(409);
        expect(page.text).to.contain('The merchant withdrew this payment');
      }
      expect((await f.page('GET', approvalPath(approval))).text).to.contain('Payment withdrawn');
      expect(await f.approvalEvents(approval.id)).to.deep.equal([]);
      expect((await f.get(`/v1/authorizations?reference=${approval.reference}`)).body.items).to.deep.equal([]);
    });

    it('when it is withdrawn again (or the shopper cancelled it first), then 200 as it is; an unknown id, 404 not_found', async () => {
      const approval = await f.approval();
      const first = await withdraw(approval);
      const cancelledByShopper = await f.approval();
      await cancel(cancelledByShopper);

      const again = await withdraw(approval);
      const afterShopper = await withdraw(cancelledByShopper);
      const unknown = await f.post('/v1/paypal/approvals/pp_000000000000000000000000/cancel');

      expect(again.status).to.equal(200);
      expect(again.body).to.deep.equal(first.body);
      expect(afterShopper.status).to.equal(200);
      expect(afterShopper.body).to.deep.include({ status: 'cancelled', cancelledBy: 'shopper' });
      expect(unknown.status).to.equal(404);
      expect(unknown.body.error.code).to.equal('not_found');
    });
  });
});
