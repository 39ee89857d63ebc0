import { expect } from 'chai';
import Handlebars from 'handlebars';
import type { Money } from '@shop/contracts';
import { openSealedSecret, sealSecret } from '@shop/platform';
import { createMailRenderer, isStaffAlert, templateNames, type MailFacts, type MailLine, type MailRenderer, type TemplateName } from '../src/domain/mail-templates';

const SEAL_KEY = 'mail-seal-key-of-the-tests';
const shop = { shopName: 'Northwind Goods', publicBaseUrl: 'https://shop.example' };
const rendererFor = (identity: { shopName: string; publicBaseUrl: string }, sealKey = SEAL_KEY): MailRenderer =>
  createMailRenderer({ ...identity, openSecret: (sealed) => openSealedSecret(sealKey, sealed) });
const renderer = rendererFor(shop);

const usd = (amount: number): Money => ({ amount, currency: 'USD' });
const jpy = (amount: number): Money => ({ amount, currency: 'JPY' });
const ORDER_ID = '5f0c6c1e-8a4b-4a55-9d8e-2b1f3c4d5e6f';
const ORDER_NUMBER = 'ORD-2026-004821';
const PRODUCT_ID = '0b7e4a2c-1d3f-4e5a-8b9c-7d6e5f4a3b2c';
const VARIANT_ID = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
const VERIFY_TOKEN = 'vt_3kX9qLm2Rz7PwY4c';
const VERIFY_LINK = `https://shop.example/verify-email?token=${VERIFY_TOKEN}`;
const AT = '2026-11-29T10:00:00.000Z';
const AT_SHOWN = '2026-11-29 10:00 UTC';

const mug: MailLine = { name: 'Stoneware Mug, Blue', sku: 'MUG-BLUE-350', quantity: 2, unitPrice: usd(1250), lineTotal: usd(2500) };
const kettle: MailLine = { name: 'Enamel Kettle', sku: 'KET-ENM-1L', quantity: 1, unitPrice: usd(1980), lineTotal: usd(1980) };
const address = { recipientName: 'Ada Lovelace', street: '12 Analytical Way', city: 'Springfield', state: 'IL', postalCode: '62704', country: 'US' };

/** A template's facts and what its mail has to show of them. */
interface Sample<T extends TemplateName> {
  facts: MailFacts[T];
  /** What the subject names. */
  subject: string[];
  /** The facts as a reader sees them, in the text and in the HTML. */
  shows: string[];
  /** Where the mail links to, below the storefront. */
  links: string[];
}

// One sample per template: a template added without one fails to compile and fails the test below.
const samples: { [T in TemplateName]: Sample<T> } = {
  'verification-email': {
    facts: { firstName: 'Ada', reason: 'registered', linkSealed: sealSecret(SEAL_KEY, VERIFY_LINK), expiresAt: AT },
    subject: ['Northwind Goods', 'confirm'],
    shows: [VERIFY_TOKEN, AT_SHOWN],
    links: [VERIFY_LINK],
  },
  'email-changed-notice': {
    facts: { firstName: 'Ada', newEmail: 'ada.lovelace@example.test', changedAt: AT },
    subject: ['Northwind Goods', 'e-mail address'],
    shows: ['ada.lovelace@example.test', AT_SHOWN],
    links: [],
  },
  'order-confirmation': {
    facts: {
      firstName: 'Ada',
      orderId: ORDER_ID,
      orderNumber: ORDER_NUMBER,
      lineItems: [mug, kettle],
      subtotal: usd(4480),
      shippingCost: usd(0),
      tax: usd(340),
      totalAmount: usd(4820),
      shippingAddress: address,
      placedAt: AT,
    },
    subject: [ORDER_NUMBER],
    shows: [
      ORDER_NUMBER,
      AT_SHOWN,
      'Stoneware Mug, Blue',
      'MUG-BLUE-350',
      '$12.50',
      '$25.00',
      'Enamel Kettle',
      'KET-ENM-1L',
      '$19.80',
      '$44.80',
      'free',
      '$3.40',
      '$48.20',
      'Ada Lovelace',
      '12 Analytical Way',
      'Springfield, IL 62704',
    ],
    links: [`/orders/${ORDER_ID}`],
  },
  'order-shipped': {
    facts: { firstName: 'Ada', orderId: ORDER_ID, orderNumber: ORDER_NUMBER, carrier: 'UPS', trackingNumber: '1Z999AA10123456784', shippedAt: AT },
    subject: [ORDER_NUMBER, 'shipped'],
    shows: [ORDER_NUMBER, 'UPS', '1Z999AA10123456784', AT_SHOWN],
    links: [`/orders/${ORDER_ID}`],
  },
  'order-delivered': {
    facts: { firstName: 'Ada', orderId: ORDER_ID, orderNumber: ORDER_NUMBER, deliveredAt: AT },
    subject: [ORDER_NUMBER, 'delivered'],
    shows: [ORDER_NUMBER, AT_SHOWN],
    links: [`/orders/${ORDER_ID}`],
  },
  'order-cancelled': {
    facts: { firstName: 'Ada', orderId: ORDER_ID, orderNumber: ORDER_NUMBER, reason: 'requested by the customer', lineItems: [mug], refundAmount: usd(4820), cancelledAt: AT },
    subject: [ORDER_NUMBER, 'cancelled'],
    shows: [ORDER_NUMBER, 'requested by the customer', 'Stoneware Mug, Blue', 'MUG-BLUE-350', '$25.00', '$48.20', AT_SHOWN],
    links: [],
  },
  'refund-completed': {
    facts: { firstName: 'Ada', orderId: ORDER_ID, orderNumber: ORDER_NUMBER, amount: jpy(3800), refundedAt: AT },
    subject: [ORDER_NUMBER, 'refund'],
    shows: [ORDER_NUMBER, '¥3,800', AT_SHOWN],
    links: [`/orders/${ORDER_ID}`],
  },
  'payment-failed': {
    facts: { firstName: 'Ada', orderId: ORDER_ID, orderNumber: ORDER_NUMBER, amount: usd(4820), reason: 'card declined', failedAt: AT },
    subject: [ORDER_NUMBER, 'payment'],
    shows: [ORDER_NUMBER, '$48.20', 'card declined', AT_SHOWN],
    links: [`/orders/${ORDER_ID}`],
  },
  'account-suspended': {
    facts: { firstName: 'Ada', reason: 'chargebacks on several orders', suspendedAt: AT },
    subject: ['Northwind Goods', 'suspended'],
    shows: ['chargebacks on several orders', AT_SHOWN],
    links: [],
  },
  'cart-expired': {
    facts: { firstName: 'Ada', lastActivityAt: '2026-11-22T08:15:00.000Z', expiredAt: AT },
    subject: ['Northwind Goods', 'cart'],
    shows: ['2026-11-22 08:15 UTC', AT_SHOWN],
    links: ['/'],
  },
  'erasure-confirmation': {
    facts: { firstName: 'Ada', erasedAt: AT },
    subject: ['Northwind Goods', 'erased'],
    shows: [AT_SHOWN],
    links: [],
  },
  'low-stock-alert': {
    facts: { productId: PRODUCT_ID, variantId: VARIANT_ID, productName: 'Stoneware Mug, Blue', sku: 'MUG-BLUE-350', currentStock: 3, threshold: 5, triggeredAt: AT },
    subject: ['Stoneware Mug, Blue', 'MUG-BLUE-350', '3 left'],
    shows: ['Stoneware Mug, Blue', 'MUG-BLUE-350', 'threshold of 5', PRODUCT_ID, VARIANT_ID, AT_SHOWN],
    links: [`/admin/inventory/${VARIANT_ID}`],
  },
  'out-of-stock-alert': {
    facts: { productId: PRODUCT_ID, variantId: VARIANT_ID, productName: 'Stoneware Mug, Blue', sku: 'MUG-BLUE-350', triggeredAt: AT },
    subject: ['Stoneware Mug, Blue', 'MUG-BLUE-350'],
    shows: ['Stoneware Mug, Blue', 'MUG-BLUE-350', PRODUCT_ID, VARIANT_ID, AT_SHOWN],
    links: [`/admin/inventory/${VARIANT_ID}`],
  },
  'refund-failed-alert': {
    facts: { orderId: ORDER_ID, orderNumber: ORDER_NUMBER, paymentId: 'pay_7QkR2mXv', amount: usd(4820), reason: 'card account closed', failedAt: AT },
    subject: [ORDER_NUMBER, '$48.20'],
    shows: [ORDER_NUMBER, '$48.20', 'card account closed', 'pay_7QkR2mXv', AT_SHOWN],
    links: [`/admin/orders/${ORDER_ID}`],
  },
  'unknown-tracking-alert': {
    facts: { trackingNumber: '1Z999AA10123456784', carrierStatus: 'in transit', receivedAt: AT },
    subject: ['1Z999AA10123456784'],
    shows: ['1Z999AA10123456784', 'in transit', AT_SHOWN],
    links: [],
  },
};

const sampleOf = (name: TemplateName): Sample<TemplateName> | undefined => samples[name] as Sample<TemplateName> | undefined;
const render = <T extends TemplateName>(name: T, facts: MailFacts[T], using = renderer) => using.render(name, facts);

/** The HTML form of a value, as the templates escape it. */
const inHtml = (value: string) => Handlebars.escapeExpression(value);

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };
const decodeEntities = (value: string) =>
  value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, code: string) => {
    if (code.startsWith('#x') || code.startsWith('#X')) return String.fromCodePoint(parseInt(code.slice(2), 16));
    if (code.startsWith('#')) return String.fromCodePoint(parseInt(code.slice(1), 10));
    return ENTITIES[code] ?? entity;
  });

const hrefsOf = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((match) => decodeEntities(match[1] ?? ''));
const linksInText = (text: string) => [...text.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi)].map((match) => match[0]);
const absolute = (link: string) => new URL(link, `${shop.publicBaseUrl}/`).toString();
const withoutFirstName = <F extends object>(facts: F): F => {
  const copy: F & { firstName?: string } = { ...facts };
  delete copy.firstName;
  return copy;
};

describe('mail templates', () => {
  it('when the templates are listed, then each has a sample of its facts', () => {
    const missing = templateNames.filter((name) => sampleOf(name) === undefined);

    expect(missing).to.deep.equal([]);
  });

  it('when a template is named, then only those ending in -alert are staff alerts', () => {
    const alerts = templateNames.filter((name) => isStaffAlert(name));

    expect(alerts).to.have.members(['low-stock-alert', 'out-of-stock-alert', 'refund-failed-alert', 'unknown-tracking-alert']);
  });

  for (const name of templateNames) {
    describe(name, () => {
      const sample = () => {
        const found = sampleOf(name);
        if (!found) throw new Error(`no sample facts for ${name}`);
        return found;
      };

      it('when the subject is written, then it is one line naming its facts, and the same as the rendered one', () => {
        const { facts, subject: named } = sample();

        const subject = renderer.subject(name, facts);

        expect(subject).to.not.equal('');
        expect(subject).to.not.match(/[\r\n]/);
        expect(subject).to.equal(subject.trim());
        for (const part of named) expect(subject).to.include(part);
        const orderNumber = (facts as { orderNumber?: string }).orderNumber;
        if (orderNumber !== undefined) expect(subject).to.include(orderNumber);
        expect(render(name, facts).subject).to.equal(subject);
      });

      it('when the mail is rendered, then its facts show in the text and in the HTML', () => {
        const { facts, shows } = sample();

        const mail = render(name, facts);

        for (const value of shows) {
          expect(mail.text, `text of ${name}`).to.include(value);
          expect(mail.html, `HTML of ${name}`).to.include(inHtml(value));
        }
        expect(mail.text).to.not.include('{{');
        expect(mail.html).to.not.include('{{');
        expect(mail.html).to.include(`<title>${inHtml(mail.subject)}</title>`);
      });

      it('when the mail links somewhere, then every link is absolute and below the storefront', () => {
        const { facts, links } = sample();

        const mail = render(name, facts);

        const hrefs = hrefsOf(mail.html);
        const textLinks = linksInText(mail.text);
        for (const link of [...hrefs, ...textLinks]) expect(link.startsWith(`${shop.publicBaseUrl}/`) || link === shop.publicBaseUrl, link).to.equal(true);
        for (const link of links) {
          expect(hrefs, `HTML links of ${name}`).to.include(absolute(link));
          expect(textLinks, `text links of ${name}`).to.include(absolute(link));
        }
      });

      it('when the mail is rendered, then it sits in the layout with the shop name and URL in both parts', () => {
        const { facts } = sample();

        const mail = render(name, facts);

        expect(mail.text.endsWith(`\n\n--\nNorthwind Goods · https://shop.example\n`)).to.equal(true);
        expect(mail.html).to.match(/^<!doctype html>/);
        expect(mail.html).to.include('<a href="https://shop.example" style="color: #666">https://shop.example</a>');
        expect(mail.html).to.include('>Northwind Goods</a>');
      });

      it('when the text part is rendered, then it has no blank run, no trailing spaces and no leading blank line', () => {
        const { facts } = sample();

        const { text } = render(name, facts);

        expect(text).to.not.match(/\n{3,}/);
        expect(text).to.not.match(/[ \t]+\n/);
        expect(text).to.not.match(/^\s/);
      });

      if (isStaffAlert(name)) {
        it('when it is a staff alert, then it has no greeting', () => {
          const { facts } = sample();

          const mail = render(name, facts);

          expect(mail.text).to.not.match(/^(Hi|Hello)\b/);
          expect(mail.html).to.not.match(/<p>(Hi|Hello)\b/);
        });
      } else {
        it('when the customer has a first name, then the mail greets them by it', () => {
          const { facts } = sample();

          const mail = render(name, { ...facts, firstName: 'Ada' });

          expect(mail.text.startsWith('Hi Ada,\n\n')).to.equal(true);
          expect(mail.html).to.include('<p>Hi Ada,</p>');
        });

        it('when the first name is not known, then the mail says Hello without a name', () => {
          const { facts } = sample();

          const mail = render(name, withoutFirstName(facts));

          expect(mail.text.startsWith('Hello,\n\n')).to.equal(true);
          expect(mail.html).to.include('<p>Hello,</p>');
          expect(mail.text).to.not.include('Hi ');
        });
      }
    });
  }

  describe('values that look like markup', () => {
    const hostile = 'Mug <script>alert(1)</script> "Tea & Co"';
    const escaped = 'Mug &lt;script&gt;alert(1)&lt;/script&gt; &quot;Tea &amp; Co&quot;';

    it('when a product name holds markup, then the HTML escapes it and the text keeps it verbatim', () => {
      const line: MailLine = { ...mug, name: hostile };
      const mails = [
        render('order-confirmation', { ...samples['order-confirmation'].facts, lineItems: [line] }),
        render('order-cancelled', { ...samples['order-cancelled'].facts, lineItems: [line] }),
        render('low-stock-alert', { ...samples['low-stock-alert'].facts, productName: hostile }),
        render('out-of-stock-alert', { ...samples['out-of-stock-alert'].facts, productName: hostile }),
      ];

      for (const mail of mails) {
        expect(mail.html).to.include(escaped);
        expect(mail.html).to.not.include('<script>');
        expect(mail.text).to.include(hostile);
      }
    });

    it('when a reason holds markup, then the HTML escapes it and the text keeps it verbatim', () => {
      const reason = '<b>fraud</b> "suspected" & <img src=x onerror=alert(1)>';
      const mails = [
        render('order-cancelled', { ...samples['order-cancelled'].facts, reason }),
        render('payment-failed', { ...samples['payment-failed'].facts, reason }),
        render('account-suspended', { ...samples['account-suspended'].facts, reason }),
        render('refund-failed-alert', { ...samples['refund-failed-alert'].facts, reason }),
      ];

      for (const mail of mails) {
        expect(mail.html).to.include('&lt;b&gt;fraud&lt;/b&gt; &quot;suspected&quot; &amp; &lt;img');
        expect(mail.html).to.not.include('<img');
        expect(mail.html).to.not.include('<b>fraud');
        expect(mail.text).to.include(reason);
      }
    });

    it('when a stock alert names such a product, then the subject keeps it as plain text and the HTML title escapes it', () => {
      const mail = render('low-stock-alert', { ...samples['low-stock-alert'].facts, productName: hostile });

      expect(mail.subject).to.equal(`Low stock: ${hostile} (MUG-BLUE-350), 3 left`);
      expect(mail.html).to.include(`<title>Low stock: ${escaped} (MUG-BLUE-350), 3 left</title>`);
    });

    it('when a value holds line breaks, then the subject is still one line', () => {
      const subject = renderer.subject('out-of-stock-alert', { ...samples['out-of-stock-alert'].facts, productName: 'Stoneware Mug\r\nBcc: someone@example.test' });

      expect(subject).to.equal('Out of stock: Stoneware Mug Bcc: someone@example.test (MUG-BLUE-350)');
    });

    it('when the first name holds markup, then the HTML greeting escapes it', () => {
      const mail = render('order-delivered', { ...samples['order-delivered'].facts, firstName: '<i>Ada</i>' });

      expect(mail.html).to.include('<p>Hi &lt;i&gt;Ada&lt;/i&gt;,</p>');
      expect(mail.text.startsWith('Hi <i>Ada</i>,\n\n')).to.equal(true);
    });
  });

  describe('money and dates', () => {
    it('when an order is in yen, then every amount has no decimals', () => {
      const facts: MailFacts['order-confirmation'] = {
        ...samples['order-confirmation'].facts,
        lineItems: [{ ...mug, unitPrice: jpy(1900), lineTotal: jpy(3800) }],
        subtotal: jpy(3800),
        shippingCost: jpy(600),
        tax: jpy(440),
        totalAmount: jpy(4840),
      };

      const mail = render('order-confirmation', facts);

      for (const amount of ['¥1,900', '¥3,800', '¥600', '¥440', '¥4,840']) {
        expect(mail.text).to.include(amount);
        expect(mail.html).to.include(amount);
      }
      expect(mail.text).to.not.match(/¥[\d,]+\.\d/);
    });

    it('when shipping costs something, then it is shown as money instead of free', () => {
      const mail = render('order-confirmation', { ...samples['order-confirmation'].facts, shippingCost: usd(495) });

      expect(mail.text).to.include('Shipping:  $4.95');
      expect(mail.html).to.include('$4.95');
      expect(mail.text).to.not.include('free');
    });

    it('when an instant has seconds and another offset, then it is shown in UTC to the minute', () => {
      const mail = render('order-delivered', { ...samples['order-delivered'].facts, deliveredAt: '2026-11-29T11:00:59+01:00' });

      expect(mail.text).to.include('on 2026-11-29 10:00 UTC.');
      expect(mail.html).to.include('on 2026-11-29 10:00 UTC.');
    });

    it('when the address has no state, then the city line has only the postal code', () => {
      const mail = render('order-confirmation', {
        ...samples['order-confirmation'].facts,
        shippingAddress: { recipientName: 'Grace Hopper', street: '1 Harbour Street', city: 'London', state: '', postalCode: 'SW1A 1AA', country: 'GB' },
      });

      expect(mail.text).to.include('Shipping to:\nGrace Hopper\n1 Harbour Street\nLondon, SW1A 1AA\nGB\n');
      expect(mail.html).to.include('Grace Hopper<br>1 Harbour Street<br>London, SW1A 1AA<br>GB</p>');
    });
  });

  describe('order-cancelled', () => {
    it('when money was taken, then the mail says it is refunded', () => {
      const mail = render('order-cancelled', { ...samples['order-cancelled'].facts, refundAmount: usd(4820) });

      expect(mail.text).to.include('We are refunding $48.20 to your original payment method');
      expect(mail.html).to.include('We are refunding <strong>$48.20</strong> to your original payment method');
      expect(mail.text).to.not.include('not charged');
    });

    it('when nothing was taken, then the mail says the customer was not charged', () => {
      const mail = render('order-cancelled', { ...samples['order-cancelled'].facts, refundAmount: usd(0) });

      expect(mail.text).to.include('You were not charged for this order');
      expect(mail.html).to.include('You were not charged for this order');
      expect(mail.text).to.not.include('refunding');
      expect(mail.html).to.not.include('refunding');
    });
  });

  describe('verification-email', () => {
    const facts = (link: string, sealKey = SEAL_KEY): MailFacts['verification-email'] => ({ ...samples['verification-email'].facts, linkSealed: sealSecret(sealKey, link) });

    it('when the link is sealed, then the mail shows the opened link and its token, never the sealed string', () => {
      const sealed = facts(VERIFY_LINK);

      const mail = render('verification-email', sealed);

      expect(mail.text).to.include(`\n${VERIFY_LINK}\n`);
      expect(mail.text).to.include(`verification code: ${VERIFY_TOKEN}`);
      expect(hrefsOf(mail.html).filter((href) => href === VERIFY_LINK)).to.have.length(2);
      expect(mail.html).to.include(`<code>${VERIFY_TOKEN}</code>`);
      for (const part of [mail.subject, mail.text, mail.html]) {
        expect(part).to.not.include(sealed.linkSealed);
        expect(part).to.not.include(sealed.linkSealed.split('.')[2]);
      }
    });

    it('when the reason differs, then each reason has its own subject and opening line', () => {
      const reasons = ['registered', 'email-changed', 'resend'] as const;

      const mails = reasons.map((reason) => render('verification-email', { ...facts(VERIFY_LINK), reason }));

      expect(new Set(mails.map((mail) => mail.subject)).size).to.equal(3);
      expect(mails[0]?.text).to.include('Thank you for registering with Northwind Goods.');
      expect(mails[1]?.text).to.include('You changed the e-mail address of your Northwind Goods account to this one.');
      expect(mails[2]?.text).to.include('Here is the new link you asked for');
      for (const mail of mails) expect(mail.subject).to.include('Northwind Goods');
    });

    it('when the sealed link is a javascript: URL, then rendering throws', () => {
      expect(() => render('verification-email', facts('javascript:alert(document.cookie)//?token=x'))).to.throw(/http\(s\)/);
      expect(() => render('verification-email', facts('data:text/html,<script>alert(1)</script>'))).to.throw(/http\(s\)/);
    });

    it('when the sealed link is not a URL, then rendering throws', () => {
      expect(() => render('verification-email', facts('not a link'))).to.throw(/not a URL/);
    });

    it('when the link was sealed under another key, then rendering throws', () => {
      expect(() => render('verification-email', facts(VERIFY_LINK, 'some-other-key'))).to.throw();
    });

    it('when the sealed string was altered, then rendering throws', () => {
      const sealed = facts(VERIFY_LINK);
      const [version, iv, ciphertext, tag] = sealed.linkSealed.split('.');
      const flipped = `${ciphertext?.[0] === 'A' ? 'B' : 'A'}${ciphertext?.slice(1)}`;

      expect(() => render('verification-email', { ...sealed, linkSealed: [version, iv, flipped, tag].join('.') })).to.throw();
    });
  });

  describe('a storefront served below a path', () => {
    const below = rendererFor({ shopName: 'Northwind Goods', publicBaseUrl: 'https://example.com/shop' });

    it('when the base URL has a path, then the links keep it', () => {
      const order = render('order-shipped', samples['order-shipped'].facts, below);
      const cart = render('cart-expired', samples['cart-expired'].facts, below);
      const alert = render('refund-failed-alert', samples['refund-failed-alert'].facts, below);

      expect(order.text).to.include(`Your order: https://example.com/shop/orders/${ORDER_ID}\n`);
      expect(hrefsOf(order.html)).to.include(`https://example.com/shop/orders/${ORDER_ID}`);
      expect(cart.text).to.include('Everything is still in the shop: https://example.com/shop/\n');
      expect(hrefsOf(alert.html)).to.include(`https://example.com/shop/admin/orders/${ORDER_ID}`);
      expect(order.text.endsWith('--\nNorthwind Goods · https://example.com/shop\n')).to.equal(true);
    });
  });
});
