import { expect } from 'chai';
import { renderOrderConfirmation, type OrderConfirmationInput } from '../src/domain/order-confirmation.template';

const usd = (amount: number) => ({ amount, currency: 'USD' });

function input(overrides: Partial<OrderConfirmationInput> = {}): OrderConfirmationInput {
  return {
    shopName: 'Test Shop',
    greetingName: 'Ada Lovelace',
    orderNumber: 'ORD-2026-000123',
    lineItems: [
      { name: 'Blue Mug', sku: 'MUG-BLUE', quantity: 2, unitPrice: usd(1250), lineTotal: usd(2500) },
      { name: 'Tea Towel', sku: 'TOWEL-01', quantity: 1, unitPrice: usd(1500), lineTotal: usd(1500) },
    ],
    subtotal: usd(4000),
    shippingCost: usd(495),
    tax: usd(325),
    totalAmount: usd(4820),
    shippingAddress: { recipientName: 'Ada Lovelace', street: '12 Analytical Way', city: 'Springfield', state: 'IL', postalCode: '62704', country: 'US' },
    placedAt: new Date('2026-03-01T10:15:42Z'),
    ...overrides,
  };
}

describe('order confirmation template', () => {
  it('when rendered, then the subject names the shop and the order number', () => {
    const mail = renderOrderConfirmation(input());

    expect(mail.subject).to.equal('Your Test Shop order ORD-2026-000123');
  });

  it('when rendered, then the text greets the recipient and lists every line with name, SKU, quantity, unit price and line total', () => {
    const mail = renderOrderConfirmation(input());

    expect(mail.text).to.include('Hi Ada Lovelace,');
    expect(mail.text).to.include('- Blue Mug\n  SKU: MUG-BLUE, quantity: 2, unit price: $12.50, line total: $25.00');
    expect(mail.text).to.include('- Tea Towel\n  SKU: TOWEL-01, quantity: 1, unit price: $15.00, line total: $15.00');
  });

  it('when rendered, then the HTML has a row per line with every value', () => {
    const mail = renderOrderConfirmation(input());

    const rows = mail.html.match(/<tbody>([\s\S]*)<\/tbody>/)?.[1]?.match(/<tr>[\s\S]*?<\/tr>/g) ?? [];
    expect(rows).to.have.length(2);
    for (const value of ['>Blue Mug<', '>MUG-BLUE<', '>2<', '>$12.50<', '>$25.00<']) expect(rows[0]).to.include(value);
    for (const value of ['>Tea Towel<', '>TOWEL-01<', '>1<', '>$15.00<']) expect(rows[1]).to.include(value);
    expect(mail.html).to.include('Hi Ada Lovelace,');
  });

  it('when rendered, then subtotal, shipping, tax and total appear as money with the currency in text and HTML', () => {
    const mail = renderOrderConfirmation(input());

    expect(mail.text).to.include('Subtotal:  $40.00');
    expect(mail.text).to.include('Shipping:  $4.95');
    expect(mail.text).to.include('Tax:       $3.25');
    expect(mail.text).to.include('Total:     $48.20');
    expect(mail.html).to.match(/>Subtotal<\/td><td[^>]*>\$40\.00<\/td>/);
    expect(mail.html).to.match(/>Shipping<\/td><td[^>]*>\$4\.95<\/td>/);
    expect(mail.html).to.match(/>Tax<\/td><td[^>]*>\$3\.25<\/td>/);
    expect(mail.html).to.match(/<strong>Total<\/strong><\/td><td[^>]*><strong>\$48\.20<\/strong>/);
  });

  it('when the order is in another currency, then amounts are formatted in it, by its own minor units', () => {
    const mail = renderOrderConfirmation(
      input({
        lineItems: [{ name: 'Teapot', sku: 'POT-1', quantity: 1, unitPrice: { amount: 3000, currency: 'JPY' }, lineTotal: { amount: 3000, currency: 'JPY' } }],
        subtotal: { amount: 3000, currency: 'JPY' },
        shippingCost: { amount: 500, currency: 'JPY' },
        tax: { amount: 300, currency: 'JPY' },
        totalAmount: { amount: 3800, currency: 'JPY' },
      }),
    );

    expect(mail.text).to.include('Total:     ¥3,800');
    expect(mail.text).to.include('Shipping:  ¥500');
    expect(renderOrderConfirmation(input({ totalAmount: { amount: 123456, currency: 'EUR' } })).text).to.include('Total:     €1,234.56');
  });

  it('when shipping costs nothing, then it says free in text and HTML', () => {
    const mail = renderOrderConfirmation(input({ shippingCost: usd(0), totalAmount: usd(4325) }));

    expect(mail.text).to.include('Shipping:  free');
    expect(mail.text).not.to.include('$0.00');
    expect(mail.html).to.match(/>Shipping<\/td><td[^>]*>free<\/td>/);
    expect(mail.text).to.include('Total:     $43.25');
  });

  it('when rendered, then the shipping address and when the order was placed appear in text and HTML', () => {
    const mail = renderOrderConfirmation(input());

    expect(mail.text).to.include('Shipping to:\nAda Lovelace\n12 Analytical Way\nSpringfield, IL 62704\nUS');
    expect(mail.html).to.include('Ada Lovelace<br>12 Analytical Way<br>Springfield, IL 62704<br>US');
    expect(mail.text).to.include('placed on 2026-03-01 10:15 UTC');
    expect(mail.html).to.include('placed on 2026-03-01 10:15 UTC');
  });

  it('when the address has no state, then the city is followed by the postal code alone', () => {
    const mail = renderOrderConfirmation(
      input({ shippingAddress: { recipientName: 'Ada Lovelace', street: '1 Baker Street', city: 'London', state: '', postalCode: 'NW1 6XE', country: 'GB' } }),
    );

    expect(mail.text).to.include('1 Baker Street\nLondon, NW1 6XE\nGB');
  });

  it('when names, SKU, address or order number contain HTML, then the HTML part escapes every one and the text part keeps them as written', () => {
    const script = '<script>alert("x")</script>';
    const mail = renderOrderConfirmation(
      input({
        shopName: "Tom & Jerry's",
        greetingName: '<b>Ada</b>',
        orderNumber: 'ORD-<1>',
        lineItems: [{ name: script, sku: 'SKU-"quoted"', quantity: 1, unitPrice: usd(100), lineTotal: usd(100) }],
        shippingAddress: { recipientName: '<b>Ada</b>', street: '1 <i>Main</i> St', city: 'A&B', state: '', postalCode: '<0>', country: 'US' },
      }),
    );

    expect(mail.html).not.to.include('<script>');
    expect(mail.html).not.to.match(/<b>|<i>|<1>|<0>/);
    expect(mail.html).to.include('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(mail.html).to.include('SKU-&quot;quoted&quot;');
    expect(mail.html).to.include('Hi &lt;b&gt;Ada&lt;/b&gt;,');
    expect(mail.html).to.include('Order ORD-&lt;1&gt;');
    expect(mail.html).to.include('1 &lt;i&gt;Main&lt;/i&gt; St<br>A&amp;B, &lt;0&gt;');
    expect(mail.html).to.include('Tom &amp; Jerry&#39;s');
    expect(mail.text).to.include(`- ${script}`);
    expect(mail.subject).to.equal("Your Tom & Jerry's order ORD-<1>");
  });
});
