import { QueryClient } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AddressForm } from '../src/pages/Checkout';
import { Account } from '../src/pages/Account';
import { forgetPersonalQueriesOnSessionChange } from '../src/shop';
import { fakeShop, json } from './fake-shop';

const CUSTOMER = { id: 'c1', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', status: 'verified', role: 'customer', version: 1 } as const;
const refusal = (status: number, code: string, message: string) => json(status, { error: { code, message, details: {} } });

/** The customer service as the account page asks it; `answers` overrides a route (`PUT /api/v1/customers/me/password`). */
function accountServer(answers: Record<string, () => Response> = {}) {
  return fakeShop((request) => {
    const route = `${request.method} ${new URL(request.url).pathname}`;
    const answer = answers[route];
    if (answer) return answer();
    if (route === 'GET /api/v1/customers/me') return json(200, { ...CUSTOMER, createdAt: '2026-01-01T00:00:00Z', verifiedAt: '2026-01-01T00:00:00Z' });
    if (route === 'GET /api/v1/customers/me/addresses') return json(200, { items: [] });
    return json(404, { error: { code: 'NOT_FOUND', message: 'no such route', details: {} } });
  });
}

/** The text a field's aria-describedby points to: what a screen reader reads after its label. */
const descriptionOf = (input: HTMLElement) =>
  (input.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');

afterEach(cleanup);

describe('the account page', () => {
  it('when the current password given to change it is wrong, then the sentence is at the Current password field, which gets the focus', async () => {
    const fake = accountServer({ 'PUT /api/v1/customers/me/password': () => refusal(401, 'INVALID_CREDENTIALS', 'the current password is wrong') });
    render(fake.wrap(<Account />));
    const form = await screen.findByRole('form', { name: 'Change password' });
    fireEvent.change(within(form).getByLabelText('Current password'), { target: { value: 'not-it-1' } });
    fireEvent.change(within(form).getByLabelText('New password'), { target: { value: 'brand-new-2' } });

    fireEvent.click(within(form).getByRole('button', { name: 'Change password' }));

    const current = within(form).getByLabelText('Current password');
    await waitFor(() => expect(current.getAttribute('aria-invalid')).toBe('true'));
    expect(descriptionOf(current)).toBe('Your current password is not right.');
    expect(document.activeElement).toBe(current);
    expect(within(form).queryByRole('alert')).toBeNull();
  });

  it('when a new password breaks the rules, then the sentence is at the New password field', async () => {
    const fake = accountServer({ 'PUT /api/v1/customers/me/password': () => refusal(400, 'PASSWORD_INVALID', 'password too weak') });
    render(fake.wrap(<Account />));
    const form = await screen.findByRole('form', { name: 'Change password' });

    fireEvent.click(within(form).getByRole('button', { name: 'Change password' }));

    const next = within(form).getByLabelText('New password');
    await waitFor(() => expect(descriptionOf(next)).toContain('The password needs at least 8 characters and a digit.'));
    expect(within(form).getByLabelText('Current password').getAttribute('aria-invalid')).toBeNull();
  });

  it('when Delete my account is chosen, then a confirmation that names what is deleted takes the focus, and only its Yes sends the erasure', async () => {
    const fake = accountServer({ 'DELETE /api/v1/customers/me': () => new Response(null, { status: 204 }) });
    render(fake.wrap(<Account />));
    fireEvent.click(await screen.findByRole('button', { name: 'Delete my account…' }));

    const confirmation = screen.getByRole('group', { name: /This deletes your name, e-mail address, password, saved addresses and cart/ });
    expect(document.activeElement).toBe(confirmation);
    expect(fake.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);
    fireEvent.click(within(confirmation).getByRole('button', { name: 'Keep my account' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Delete my account…' }));

    fireEvent.click(screen.getByRole('button', { name: 'Delete my account…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, delete my account' }));

    await waitFor(() => expect(fake.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1));
    const erasure = fake.requests.find((r) => r.method === 'DELETE')!;
    expect(await erasure.json()).toEqual({ confirmation: true });
  });

  it("when an address abroad is refused, then the shop's message is at the Country code field, which gets the focus", async () => {
    const fake = accountServer({ 'POST /api/v1/customers/me/addresses': () => refusal(422, 'COUNTRY_NOT_SUPPORTED', 'the shop only ships to US') });
    render(fake.wrap(<AddressForm onAdded={() => undefined} />));
    const abroad = { 'Full name': 'Grace Hopper', Street: 'Unter den Linden 1', City: 'Berlin', State: 'BE', 'Postal code': '10117', 'Country code': 'DE' };
    for (const [label, value] of Object.entries(abroad)) fireEvent.change(screen.getByLabelText(label), { target: { value } });

    fireEvent.click(screen.getByRole('button', { name: 'Add address' }));

    const country = screen.getByLabelText('Country code');
    await waitFor(() => expect(descriptionOf(country)).toBe('The shop only ships to US.'));
    expect(document.activeElement).toBe(country);
  });
});

describe('a session that changes hands on one tab', () => {
  it('when the shopper signs out, then their profile, addresses and orders are dropped from the cache, and what is not theirs stays', () => {
    const fake = accountServer();
    const client = new QueryClient();
    forgetPersonalQueriesOnSessionChange(fake.session, client);
    fake.session.signedIn({ accessToken: 'a', refreshToken: 'r', expiresIn: 900 }, CUSTOMER);
    for (const key of [['me'], ['addresses'], ['orders', 1], ['order', 'o1'], ['products', {}], ['categories']]) client.setQueryData(key, { items: [] });

    fake.session.updateCustomer({ ...CUSTOMER, firstName: 'Augusta' });
    expect(client.getQueryData(['me']), 'a profile edit keeps them').toBeDefined();
    fake.session.clear();

    expect([['me'], ['addresses'], ['orders', 1], ['order', 'o1']].map((key) => client.getQueryData(key))).toEqual([undefined, undefined, undefined, undefined]);
    expect(client.getQueryData(['products', {}])).toBeDefined();
    expect(client.getQueryData(['categories'])).toBeDefined();
  });
});
