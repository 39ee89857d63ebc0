import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { unwrap } from '../api/client';
import { ErrorMessage, Loading } from '../components/ui';
import { dateTime } from '../format';
import { useShop } from '../shop';

type Row = { id: string; email: string; firstName: string; lastName: string; status: 'unverified' | 'verified' | 'suspended' };

function CustomerRow({ customer }: { customer: Row }) {
  const { api } = useShop();
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const path = { params: { path: { id: customer.id } } };
  const done = () => client.invalidateQueries({ queryKey: ['admin-customers'] });
  const suspend = useMutation({ mutationFn: () => unwrap(api.POST('/admin/customers/{id}/suspend', { ...path, body: { reason: reason || 'suspended by staff' } })), onSuccess: done });
  const reactivate = useMutation({ mutationFn: () => unwrap(api.POST('/admin/customers/{id}/reactivate', { ...path, body: { reason: reason || 'reactivated by staff' } })), onSuccess: done });
  const who = `${customer.firstName} ${customer.lastName}`;
  return (
    <tr>
      <td>{who}</td>
      <td>{customer.email}</td>
      <td>{customer.status}</td>
      <td>
        <input aria-label={`Reason for ${who}`} value={reason} onChange={(e) => setReason(e.target.value)} />{' '}
        {customer.status === 'suspended' ? (
          <button type="button" onClick={() => reactivate.mutate()}>
            Reactivate
          </button>
        ) : (
          <button type="button" className="danger" onClick={() => suspend.mutate()} aria-label={`Suspend ${who}`}>
            Suspend
          </button>
        )}
        <ErrorMessage error={suspend.error ?? reactivate.error} />
      </td>
    </tr>
  );
}

/** Customers by name or e-mail and status; suspend (sessions end at once) or reactivate. */
export function Customers() {
  const { api } = useShop();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') || undefined;
  const status = (params.get('status') || undefined) as Row['status'] | undefined;
  const customers = useQuery({
    queryKey: ['admin-customers', q, status],
    queryFn: () => unwrap(api.GET('/admin/customers', { params: { query: { q, status, pageSize: 50 } } })),
    placeholderData: keepPreviousData,
  });
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };
  return (
    <section aria-labelledby="customers-title">
      <h1 id="customers-title">Customers</h1>
      <div className="filters">
        <label>
          Search <input type="search" value={q ?? ''} onChange={(e) => set('q', e.target.value)} />
        </label>
        <label>
          Status{' '}
          <select value={status ?? ''} onChange={(e) => set('status', e.target.value)}>
            <option value="">Any</option>
            <option>unverified</option>
            <option>verified</option>
            <option>suspended</option>
          </select>
        </label>
      </div>
      {customers.isPending && <Loading what="customers" />}
      <ErrorMessage error={customers.error} />
      {customers.data?.items.length === 0 && <p>No customers match.</p>}
      {customers.data && customers.data.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">E-mail</th>
              <th scope="col">Status</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {customers.data.items.map((c) => (
              <CustomerRow key={c.id} customer={c} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** E-mails that failed after their retries, for review: send one again. */
export function ParkedMails() {
  const { api } = useShop();
  const client = useQueryClient();
  const mails = useQuery({ queryKey: ['admin-mails'], queryFn: () => unwrap(api.GET('/admin/notifications', { params: { query: { status: 'failed' } } })) });
  const retry = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/admin/notifications/{id}/retry', { params: { path: { id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['admin-mails'] }),
  });
  return (
    <section aria-labelledby="mails-title">
      <h1 id="mails-title">E-mails for review</h1>
      {mails.isPending && <Loading what="e-mails" />}
      <ErrorMessage error={mails.error ?? retry.error} />
      {mails.data?.items.length === 0 && <p>No e-mail waits for review.</p>}
      <ul>
        {mails.data?.items.map((m) => (
          <li key={m.id}>
            {dateTime(m.createdAt)} · {m.template} to {m.recipient || '(erased)'}: {m.subject} · {m.attempts} attempts{m.error ? ` · ${m.error}` : ''}{' '}
            <button type="button" onClick={() => retry.mutate(m.id)} disabled={retry.isPending} aria-label={`Send again: ${m.subject}`}>
              Send again
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
