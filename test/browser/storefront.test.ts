import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { eventually } from '@shop/testkit';
import { ADMIN, SHOP_ORIGIN, sharedShop, WEB_DIST, type Shop } from '../e2e/shop.fixture';
import { shoppers } from '../e2e/shoppers';
import { ensureWebBuilt, launchChromium, screenshots, seriousAccessibilityViolations, type Browser } from './chromium';

/** Where the run's screenshots go (a few are committed in docs/screenshots). */
const SHOTS = process.env.SCREENSHOT_DIR ?? path.join(tmpdir(), 'shop-screenshots');
const PASSWORD = 'browser-pass-1';
/** A second shopper's passwords: the one they register with and the one they change it to. */
const SECOND_PASSWORD = 'second-pass-1';
const NEW_PASSWORD = 'second-pass-2';

describe('storefront in Chromium: a guest buys, an admin ships, the shopper sees it', function () {
  this.timeout(180_000);
  let shop: Shop;
  let browser: Browser;
  let page: Page;
  let adminToken: string;
  const tag = randomUUID().slice(0, 6);
  const names = { mug: `Browser mug ${tag}`, kettle: `Browser kettle ${tag}`, tray: `Browser tray ${tag}` };
  const email = `browser-${tag}@example.com`;
  const productIds = { mug: '', kettle: '', tray: '' };
  const accessibility = new Map<string, string[]>();
  let orderId = '';
  let orderNumber = '';
  const secondEmail = `browser-second-${tag}@example.com`;

  /** Screenshots at both widths and the accessibility scan of the page as it is now. */
  async function visit(name: string) {
    await screenshots(page, SHOTS, name);
    accessibility.set(name, await seriousAccessibilityViolations(page));
  }

  /** Reloads the page until the locator shows (a change another process makes within moments). */
  async function untilShown(on: Page, locator: ReturnType<Page['locator']>) {
    const deadline = Date.now() + 15_000;
    while (!(await locator.isVisible())) {
      if (Date.now() > deadline) throw new Error(`not shown within 15 s: ${String(locator)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await on.reload();
      await on.locator('h1').waitFor();
    }
  }

  async function productOnSale(name: string, price: number) {
    const category = await shop.api.post('/admin/categories', { name: `Browser ${randomUUID().slice(0, 8)}` }, { token: adminToken });
    const created = await shop.api.post(
      '/admin/products',
      { name, description: `A ${name.toLowerCase()} for the browser test.`, price: { amount: price, currency: 'USD' }, categoryId: category.body.id, status: 'active', initialStock: 50 },
      { token: adminToken },
    );
    expect(created.status).to.equal(201);
    // The cart learns products from the catalog's events: a guest can add it once it has.
    const guest = await shop.api.post('/carts/guest');
    await eventually(
      async () => (await shop.api.post('/cart/items', { productId: created.body.id, quantity: 1 }, { headers: { 'x-cart-token': guest.body.cartToken } })).status === 201,
      10_000,
      `${name} in the cart service`,
    );
    return created.body.id as string;
  }

  /** What has the keyboard focus: its tag, id and text. */
  const focused = (on: Page) =>
    on.evaluate('(({ tagName, id, textContent }) => ({ tag: tagName.toLowerCase(), id, text: textContent.trim() }))(document.activeElement)') as Promise<{ tag: string; id: string; text: string }>;

  /** Presses Tab until the element with this text has the focus (at most `limit` times). */
  async function tabTo(text: string, limit = 20) {
    for (let i = 0; i < limit && (await focused(page)).text !== text; i++) await page.keyboard.press('Tab');
    expect((await focused(page)).text, `Tab reaches ${text}`).to.equal(text);
  }

  /** What a field's aria-describedby points to: what a screen reader reads after its label. */
  async function descriptionOf(field: ReturnType<Page['locator']>) {
    const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
    return (await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()))).join(' ');
  }

  async function fillAddress(address: { name: string; street: string; city: string; state: string; postalCode: string; country: string }) {
    const form = page.getByRole('form', { name: 'New address' });
    await form.getByLabel('Full name', { exact: true }).fill(address.name);
    await form.getByLabel('Street', { exact: true }).fill(address.street);
    await form.getByLabel('City', { exact: true }).fill(address.city);
    await form.getByLabel('State', { exact: true }).fill(address.state);
    await form.getByLabel('Postal code', { exact: true }).fill(address.postalCode);
    await form.getByLabel('Country code', { exact: true }).fill(address.country);
    await form.getByRole('button', { name: 'Add address', exact: true }).click();
  }

  async function signIn(address: string, password: string) {
    await page.getByLabel('Email', { exact: true }).fill(address);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  async function addToCart(productName: string) {
    await page.getByRole('searchbox', { name: 'Search', exact: true }).fill(productName);
    await page.getByRole('searchbox', { name: 'Search', exact: true }).press('Enter');
    await page.getByRole('link', { name: productName }).click();
    await page.getByRole('button', { name: 'Add to cart', exact: true }).click();
    await page.getByText('Added to your cart.').waitFor();
  }

  before(async function () {
    ensureWebBuilt(WEB_DIST);
    shop = await sharedShop();
    adminToken = (await shop.api.post('/auth/login', ADMIN)).body.accessToken;
    [productIds.mug, productIds.kettle, productIds.tray] = await Promise.all([productOnSale(names.mug, 1250), productOnSale(names.kettle, 3900), productOnSale(names.tray, 2000)]);
    browser = await launchChromium(SHOP_ORIGIN, shop.gatewayUrl);
    browser.context.setDefaultTimeout(10_000);
    page = await browser.context.newPage();
  });
  afterEach(async function () {
    // What the browser showed when a step failed, beside the run's screenshots.
    if (this.currentTest?.state === 'failed') await page.screenshot({ path: path.join(SHOTS, `failed-${this.currentTest.title.slice(5, 40).replace(/\W+/g, '-')}.png`), fullPage: true });
  });
  after(async () => {
    await browser?.close();
  });

  it('when a guest adds two products, registers, verifies through the mailed link and signs in, then the cart holds both', async () => {
    const scripts: string[] = [];
    page.on('request', (request) => request.resourceType() === 'script' && scripts.push(new URL(request.url()).pathname));
    const started = Date.now();
    await page.goto(`${SHOP_ORIGIN}/`);
    await page.locator('.product-grid .card').first().waitFor();
    const listMs = Date.now() - started;
    expect(scripts.some((s) => s.startsWith('/assets/storefront-')), 'the storefront entry').to.equal(true);
    expect(scripts.filter((s) => s.includes('admin')), "a shopper's browser loads none of the admin's code").to.deep.equal([]);
    process.stdout.write(`      product list with products ${listMs} ms after navigation\n`);
    expect(listMs, 'the product list shows products soon after navigation').to.be.below(5_000);
    await visit('products');

    await addToCart(names.mug);
    await visit('product');
    await addToCart(names.kettle);
    await page.getByRole('link', { name: 'Cart', exact: true }).click();
    await page.locator('.cart-lines').getByText(names.kettle).waitFor();
    await page.reload();
    await page.locator('.cart-lines').getByText(names.mug).waitFor();

    await page.getByRole('link', { name: 'Register', exact: true }).click();
    await page.getByLabel('First name', { exact: true }).fill('Ada');
    await page.getByLabel('Last name', { exact: true }).fill('Lovelace');
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByText('At least 8 characters (not met yet)').waitFor();
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await visit('register');
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    await page.getByRole('heading', { name: 'Check your e-mail', exact: true }).waitFor();
    await visit('check-email');

    const mail = await shop.mail.waitForMail((m) => m.to.some((to) => to.address === email), 15_000);
    const link = /https?:\/\/\S+\/verify\?token=[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
    expect(link, 'the verification link').to.be.a('string');
    expect(link).to.match(new RegExp(`^${SHOP_ORIGIN}/verify\\?token=`));
    await page.goto(link!);
    await page.getByText('Your e-mail address is confirmed.').waitFor();
    await visit('verified');

    await page.getByRole('link', { name: 'Sign in', exact: true }).first().click();
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await visit('sign-in');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();

    await page.getByRole('link', { name: 'Cart', exact: true }).click();
    await page.locator('.cart-lines').getByText(names.mug).waitFor();
    await page.locator('.cart-lines').getByText(names.kettle).waitFor();
    await visit('cart');
  });

  it('when the card is declined, then the reason is shown next to Place order and no order is made', async () => {
    await page.getByRole('link', { name: 'Checkout', exact: true }).click();
    await page.getByLabel('Full name', { exact: true }).fill('Ada Lovelace');
    await page.getByLabel('Street', { exact: true }).fill('1 Main St');
    await page.getByLabel('City', { exact: true }).fill('Springfield');
    await page.getByLabel('State', { exact: true }).fill('IL');
    await page.getByLabel('Postal code', { exact: true }).fill('62701');
    await page.getByRole('button', { name: 'Add address', exact: true }).click();
    await page.getByRole('radio', { name: /Ada Lovelace, 1 Main St/ }).waitFor();

    await page.getByLabel('Card number', { exact: true }).fill('4000 0000 0000 0002');
    await page.getByLabel('Expiry month', { exact: true }).fill('12');
    await page.getByLabel('Expiry year', { exact: true }).fill(String(new Date().getUTCFullYear() + 2));
    await page.getByLabel('CVC', { exact: true }).fill('123');
    await page.getByRole('button', { name: 'Place order', exact: true }).click();

    await page.getByText('Your card was declined. Try another card.').waitFor();
    await visit('checkout-declined');
    await page.goto(`${SHOP_ORIGIN}/orders`);
    await page.getByText('You have no orders yet.').waitFor();
  });

  it('when the shopper pays with 4242 4242 4242 4242, then the confirmation shows the order number and the confirmation mail comes', async () => {
    await page.getByRole('link', { name: 'Cart', exact: true }).click();
    await page.getByRole('link', { name: 'Checkout', exact: true }).click();
    await page.getByLabel('Card number', { exact: true }).fill('4242 4242 4242 4242');
    await page.getByLabel('Expiry month', { exact: true }).fill('12');
    await page.getByLabel('Expiry year', { exact: true }).fill(String(new Date().getUTCFullYear() + 2));
    await page.getByLabel('CVC', { exact: true }).fill('123');
    await visit('checkout');
    await page.getByRole('button', { name: 'Place order', exact: true }).dblclick();

    const confirmation = page.getByText(/Your order number is/);
    await confirmation.waitFor();
    orderNumber = (await confirmation.locator('strong').textContent()) ?? '';
    expect(orderNumber).to.match(/^ORD-\d{4}-\d+$/);
    orderId = new URL(page.url()).pathname.split('/').pop()!;
    await visit('order-placed');

    const mail = await shop.mail.waitForMail((m) => m.to.some((to) => to.address === email) && m.subject.includes(orderNumber), 20_000);
    expect(mail.text).to.contain(orderNumber);
    await page.goto(`${SHOP_ORIGIN}/orders`);
    await page.getByRole('link', { name: orderNumber }).waitFor();
    expect(await page.locator('.orders li').count(), 'one order, however often Place order was clicked').to.equal(1);
    await visit('orders');
  });

  it('when an admin confirms a pending order and ships the shopper\'s, then each changes status and the shopper sees SHIPPED with the tracking number', async () => {
    // Another customer's order whose capture the provider declines: it stays PENDING for staff.
    const pending = (await shoppers(shop, () => adminToken).buy(productIds.tray, '4000000000000341')).order;
    const admin = await browser.context.newPage();
    await admin.goto(`${SHOP_ORIGIN}/admin/`);
    await admin.getByLabel('Email', { exact: true }).fill(ADMIN.email);
    await admin.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await admin.getByRole('button', { name: 'Sign in', exact: true }).click();
    await admin.getByLabel('Status', { exact: true }).selectOption('PENDING');
    await admin.getByRole('link', { name: pending.orderNumber, exact: true }).click();
    await admin.locator('.status', { hasText: 'PENDING' }).waitFor();
    await admin.getByRole('button', { name: 'Confirm', exact: true }).click();
    await admin.locator('.status', { hasText: 'CONFIRMED' }).waitFor();

    // The shopper's own order is confirmed by its captured payment.
    await admin.goto(`${SHOP_ORIGIN}/admin/orders/${orderId}`);
    await untilShown(admin, admin.locator('.status', { hasText: 'CONFIRMED' }));
    await admin.getByLabel('Carrier', { exact: true }).fill('UPS');
    await admin.getByLabel('Tracking number', { exact: true }).fill(`1Z${tag}`);
    await admin.getByRole('button', { name: 'Ship', exact: true }).click();
    await admin.locator('.status', { hasText: 'SHIPPED' }).waitFor();
    await screenshots(admin, SHOTS, 'admin-order');
    await admin.close();

    await page.goto(`${SHOP_ORIGIN}/orders/${orderId}`);
    await page.locator('.status', { hasText: 'SHIPPED' }).waitFor();
    await page.getByText(`1Z${tag}`).waitFor();
    await visit('order-shipped');
  });

  it('when the shopper pays PayPal-style, then the approve page sends them back to their order', async () => {
    await addToCart(names.tray);
    await page.getByRole('link', { name: 'Cart', exact: true }).click();
    await page.getByRole('link', { name: 'Checkout', exact: true }).click();
    await page.getByRole('radio', { name: 'PayPal', exact: true }).check();
    await page.getByRole('button', { name: 'Place order', exact: true }).click();

    await page.getByRole('heading', { name: 'Approve your payment', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Approve', exact: true }).click();

    await page.getByText(/Your order number is/).waitFor();
    expect(new URL(page.url()).origin).to.equal(SHOP_ORIGIN);
    await page.getByText(/PayPal \(captured\)/).waitFor({ timeout: 20_000 });
  });

  it('when an admin creates a product with two variants and initial stock and restocks one, then the audit trail shows it and shoppers see both variants', async () => {
    const admin = await browser.context.newPage();
    const name = `Browser lamp ${tag}`;
    await admin.goto(`${SHOP_ORIGIN}/admin/products/new`);
    await admin.getByLabel('Name', { exact: true }).fill(name);
    await admin.getByLabel('Description', { exact: true }).fill('A lamp made in the admin.');
    await admin.getByLabel('Price', { exact: true }).fill('24.50');
    await admin.getByLabel('Category', { exact: true }).selectOption({ index: 1 });
    await admin.getByLabel('Initial stock per variant', { exact: true }).fill('7');
    for (const [i, colour] of ['Red', 'Blue'].entries()) {
      await admin.getByRole('button', { name: 'Add a variant', exact: true }).click();
      await admin.getByLabel(`SKU of variant ${i + 1}`, { exact: true }).fill(`LAMP-${tag}-${colour.toUpperCase()}`);
      await admin.getByLabel(`Name of variant ${i + 1}`, { exact: true }).fill(colour);
    }
    await screenshots(admin, SHOTS, 'admin-new-product');
    await admin.getByRole('button', { name: 'Create product', exact: true }).click();
    await admin.getByRole('heading', { name, exact: true }).waitFor();

    const red = admin.getByRole('region', { name: `Stock of Red (LAMP-${tag}-RED)` });
    await red.getByText('On hand 7').waitFor();
    await red.getByLabel(`Quantity for LAMP-${tag}-RED`, { exact: true }).fill('5');
    await red.getByLabel(`Reason for LAMP-${tag}-RED`, { exact: true }).fill('delivery');
    await red.getByRole('button', { name: 'Restock', exact: true }).click();
    await red.getByText('On hand 12').waitFor();
    await red.getByText('Audit trail').click();
    await red.getByText('Restocked 7 → 12 (delivery)').waitFor();
    await screenshots(admin, SHOTS, 'admin-product');
    await admin.close();

    await page.getByRole('searchbox', { name: 'Search', exact: true }).fill(name);
    await page.getByRole('searchbox', { name: 'Search', exact: true }).press('Enter');
    await page.getByRole('link', { name, exact: true }).click();
    await page.getByRole('radio', { name: /^Red · \$24\.50 · In stock/ }).waitFor();
    await page.getByRole('radio', { name: /^Blue · \$24\.50 · In stock/ }).waitFor();
  });

  it('when every storefront page visited is scanned with axe-core, then none has a serious or critical violation', async () => {
    await page.goto(`${SHOP_ORIGIN}/account`);
    await page.getByRole('heading', { name: 'Your account', exact: true }).waitFor();
    await visit('account');
    expect([...accessibility.keys()]).to.include.members(['products', 'product', 'cart', 'register', 'check-email', 'sign-in', 'verified', 'checkout', 'order-placed', 'orders', 'order-shipped', 'account']);
    expect(Object.fromEntries([...accessibility].filter(([, found]) => found.length > 0))).to.deep.equal({});
  });
  it('when an admin suspends the shopper, then their next page lands on sign-in with a message, and signing in says the account is suspended', async () => {
    const found = await shop.api.get(`/admin/customers?q=${encodeURIComponent(email)}`, { token: adminToken });
    const customerId = found.body.items[0].id as string;
    expect((await shop.api.post(`/admin/customers/${customerId}/suspend`, { reason: 'browser test' }, { token: adminToken })).status).to.equal(200);

    await page.getByRole('link', { name: 'My orders', exact: true }).click();

    await page.getByText('Your session has ended. Please sign in again.').waitFor();
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('Your account is suspended. Contact us for help.').waitFor();
    await visit('sign-in-suspended');
    expect(accessibility.get('sign-in-suspended')).to.deep.equal([]);
  });
  it("when a second shopper opens a product with the keyboard alone, then each new page's main heading takes the focus and Enter adds it to the cart", async () => {
    expect((await shop.api.post('/customers', { email: secondEmail, password: SECOND_PASSWORD, firstName: 'Grace', lastName: 'Hopper' })).status).to.equal(201);
    const mail = await shop.mail.waitForMail((m) => m.to.some((to) => to.address === secondEmail), 15_000);
    expect((await shop.api.post('/customers/verify', { token: /token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] })).status).to.equal(200);
    await page.goto(`${SHOP_ORIGIN}/signin`);
    await signIn(secondEmail, SECOND_PASSWORD);
    await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();

    await page.goto(`${SHOP_ORIGIN}/?q=${encodeURIComponent(names.mug)}`);
    await page.getByRole('link', { name: names.mug, exact: true }).waitFor();
    await page.keyboard.press('Tab');
    expect(await focused(page)).to.include({ tag: 'a', text: 'Skip to content' });
    await page.keyboard.press('Enter');
    expect((await focused(page)).tag, 'the skip link lands in the page region').to.equal('main');
    await tabTo(names.mug);
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { level: 1, name: names.mug, exact: true }).waitFor();
    await page.waitForFunction(`document.activeElement?.tagName === 'H1' && document.activeElement.textContent === ${JSON.stringify(names.mug)}`, undefined, { timeout: 5_000 });
    await tabTo('Add to cart');
    await page.keyboard.press('Enter');
    await page.getByText('Added to your cart.').waitFor();

    await page.getByRole('link', { name: 'Cart', exact: true }).click();
    await page.waitForFunction(`document.activeElement?.tagName === 'H1' && document.activeElement.textContent === 'Your cart'`, undefined, { timeout: 5_000 });
  });

  it("when the shopper adds an address abroad at checkout, then the shop's message is at the country field, which has the focus, and no order can be placed", async () => {
    await page.getByRole('link', { name: 'Checkout', exact: true }).click();
    await page.getByText('Add an address to place your order.').waitFor();
    await fillAddress({ name: 'Grace Hopper', street: 'Unter den Linden 1', city: 'Berlin', state: 'BE', postalCode: '10117', country: 'DE' });

    const country = page.getByRole('form', { name: 'New address' }).getByLabel('Country code', { exact: true });
    await page.getByText('The shop only ships to US.').waitFor();
    expect(await country.getAttribute('aria-invalid')).to.equal('true');
    expect(await descriptionOf(country)).to.equal('The shop only ships to US.');
    expect((await focused(page)).id, 'the focus is on the field the message is about').to.equal(await country.getAttribute('id'));
    expect(await page.getByRole('button', { name: 'Place order', exact: true }).isDisabled()).to.equal(true);
    await visit('checkout-abroad');
    expect(accessibility.get('checkout-abroad')).to.deep.equal([]);

    await page.getByRole('link', { name: 'My orders', exact: true }).click();
    await page.getByText('You have no orders yet.').waitFor();
  });

  it('when the shopper cancels a PayPal-style payment at the approve page, then they are back on their order, told in sentences that it is cancelled and nothing was charged', async () => {
    await page.getByRole('link', { name: 'Cart', exact: true }).click();
    await page.getByRole('link', { name: 'Checkout', exact: true }).click();
    await fillAddress({ name: 'Grace Hopper', street: '2 Elm St', city: 'Arlington', state: 'VA', postalCode: '22201', country: 'US' });
    await page.getByRole('radio', { name: /Grace Hopper, 2 Elm St/ }).waitFor();
    await page.getByRole('radio', { name: 'PayPal', exact: true }).check();
    await page.getByRole('button', { name: 'Place order', exact: true }).click();

    await page.getByRole('heading', { name: 'Approve your payment', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();

    expect(new URL(page.url()).origin).to.equal(SHOP_ORIGIN);
    await page.getByText('You cancelled the payment at PayPal, so this order is cancelled. Nothing was charged.').waitFor({ timeout: 20_000 });
    await page.locator('.status', { hasText: 'Cancelled' }).waitFor();
    await page.getByText(/PayPal \(\w+\) · You cancelled the payment at PayPal\. Nothing was charged\./).waitFor();
    expect(await page.getByRole('button', { name: 'Cancel order', exact: true }).count()).to.equal(0);
    expect(await page.locator('main').textContent(), 'no code reaches the shopper').not.to.match(/[a-z]+_[a-z]+|[A-Z]{2,}_[A-Z]{2,}/);
    await visit('order-paypal-cancelled');
    expect(accessibility.get('order-paypal-cancelled')).to.deep.equal([]);
  });

  it('when the shopper changes the password and adds an address on the account page, then the address is listed and only the new password signs in', async () => {
    await page.getByRole('link', { name: 'Account', exact: true }).click();
    await page.getByText(`${secondEmail} (confirmed)`).waitFor();
    const passwords = page.getByRole('form', { name: 'Change password' });
    await passwords.getByLabel('Current password', { exact: true }).fill('not-my-password-1');
    await passwords.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await passwords.getByRole('button', { name: 'Change password', exact: true }).click();
    await passwords.getByText('Your current password is not right.').waitFor();
    expect(await descriptionOf(passwords.getByLabel('Current password', { exact: true }))).to.equal('Your current password is not right.');

    await passwords.getByLabel('Current password', { exact: true }).fill(SECOND_PASSWORD);
    await passwords.getByRole('button', { name: 'Change password', exact: true }).click();
    await page.getByText('Password changed; your other sessions were signed out.').waitFor();

    await fillAddress({ name: 'Grace Hopper', street: '3 Oak Ave', city: 'Boston', state: 'MA', postalCode: '02108', country: 'US' });
    await page.getByRole('listitem').filter({ hasText: 'Grace Hopper, 3 Oak Ave, Boston, MA 02108, US' }).waitFor();
    await page.getByRole('listitem').filter({ hasText: 'Grace Hopper, 2 Elm St, Arlington, VA 22201, US' }).waitFor();

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('link', { name: 'Sign in', exact: true }).click();
    await signIn(secondEmail, SECOND_PASSWORD);
    await page.getByText('The e-mail address or the password is wrong.').waitFor();
    await signIn(secondEmail, NEW_PASSWORD);
    await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
  });

  it('when the shopper deletes the account behind its confirmation, then they are signed out and signing in is refused with a sentence', async () => {
    await page.getByRole('link', { name: 'Account', exact: true }).click();
    await page.getByRole('button', { name: 'Delete my account…', exact: true }).click();
    const confirmation = page.getByRole('group', { name: /^This deletes your name, e-mail address, password, saved addresses and cart for good/ });
    await confirmation.waitFor();
    expect((await focused(page)).id, 'the question has the focus').to.equal('erase-confirmation');
    await visit('account-delete');
    expect(accessibility.get('account-delete')).to.deep.equal([]);

    // The customer service closes the cancelled order from the order's events: until it has, the shop asks to wait (PENDING_ORDERS_EXIST).
    const deleted = page.getByText('Your account and its personal data are deleted, and you are signed out.');
    const deadline = Date.now() + 10_000;
    await confirmation.getByRole('button', { name: 'Yes, delete my account', exact: true }).click();
    while (!(await deleted.isVisible())) {
      if (Date.now() > deadline) throw new Error(`not deleted within 10 s: ${await page.locator('main').textContent()}`);
      const refused = page.getByText('Your account can be deleted once every order has been delivered or cancelled.');
      if (await refused.isVisible()) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        await confirmation.getByRole('button', { name: 'Yes, delete my account', exact: true }).click();
      } else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await page.getByRole('link', { name: 'Sign in', exact: true }).waitFor();

    await page.getByRole('link', { name: 'Sign in', exact: true }).click();
    await signIn(secondEmail, NEW_PASSWORD);
    await page.getByText('The e-mail address or the password is wrong.').waitFor();
    expect((await shop.api.post('/auth/login', { email: secondEmail, password: NEW_PASSWORD })).status).to.equal(401);
  });
});
