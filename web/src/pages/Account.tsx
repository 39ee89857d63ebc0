import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { unwrap } from '../api/client';
import { ApiError, fieldErrors } from '../api/errors';
import type { Customer } from '../api/session';
import { useFocusFirstInvalid } from '../components/focus';
import { ErrorMessage, Field, Loading } from '../components/ui';
import { useShop } from '../shop';
import { AddressForm, useAddresses } from './Checkout';

function Done({ when, children }: { when: boolean; children: ReactNode }) {
  return when ? <p role="status">{children}</p> : null;
}

const WRONG_PASSWORD = 'Your current password is not right.';
const codeOf = (error: unknown) => (error instanceof ApiError ? error.code : undefined);
/** Whether any field of a form shows its own message (then the form shows no second one below). */
const anyField = (fields: Record<string, string | undefined>) => Object.values(fields).some(Boolean);

/** Profile, e-mail, password, addresses, and erasure of the account behind a confirmation. */
export function Account() {
  const { api, session } = useShop();
  const navigate = useNavigate();
  const me = useQuery({ queryKey: ['me'], queryFn: () => unwrap(api.GET('/customers/me')) });
  const addresses = useAddresses();
  const [names, setNames] = useState<{ firstName: string; lastName: string }>();
  const [email, setEmail] = useState({ newEmail: '', password: '' });
  const [passwords, setPasswords] = useState({ currentPassword: '', newPassword: '' });
  const [confirming, setConfirming] = useState(false);
  const confirmation = useRef<HTMLDivElement>(null);
  const askToDelete = useRef<HTMLButtonElement>(null);
  const opened = useRef(false);
  const emailForm = useRef<HTMLFormElement>(null);
  const passwordForm = useRef<HTMLFormElement>(null);
  useEffect(() => {
    // Keyboard and screen-reader users land on the question when it opens, and back on the button when it closes.
    if (confirming) confirmation.current?.focus();
    else if (opened.current) askToDelete.current?.focus();
    opened.current = confirming;
  }, [confirming]);

  const profile = useMutation({
    mutationFn: (body: { firstName: string; lastName: string }) => unwrap(api.PATCH('/customers/me', { body })),
    onSuccess: (customer) => {
      session.updateCustomer(customer as Customer);
      void me.refetch();
    },
  });
  const changeEmail = useMutation({
    mutationFn: () => unwrap(api.PUT('/customers/me/email', { body: email })),
    onSuccess: () => {
      setEmail({ newEmail: '', password: '' });
      void me.refetch();
    },
  });
  const changePassword = useMutation({
    mutationFn: () => unwrap(api.PUT('/customers/me/password', { body: passwords })),
    onSuccess: () => setPasswords({ currentPassword: '', newPassword: '' }),
  });
  useFocusFirstInvalid(emailForm, changeEmail.error);
  useFocusFirstInvalid(passwordForm, changePassword.error);
  const erase = useMutation({
    mutationFn: () => unwrap(api.DELETE('/customers/me', { body: { confirmation: true } })),
    onSuccess: () => {
      session.clear();
      navigate('/', { state: { notice: 'Your account and its personal data are deleted, and you are signed out.' } });
    },
  });

  if (me.isPending) return <Loading what="your account" />;
  if (me.error) return <ErrorMessage error={me.error} />;
  const current = names ?? { firstName: me.data.firstName, lastName: me.data.lastName };
  // Each refusal next to the field it is about: a wrong current password, a refused new e-mail or password.
  const emailRefused = fieldErrors(changeEmail.error);
  const emailFields = {
    newEmail: emailRefused.newEmail ?? emailRefused.email,
    password: codeOf(changeEmail.error) === 'INVALID_CREDENTIALS' ? WRONG_PASSWORD : emailRefused.password,
  };
  const passwordRefused = fieldErrors(changePassword.error);
  const passwordFields = {
    currentPassword: codeOf(changePassword.error) === 'INVALID_CREDENTIALS' ? WRONG_PASSWORD : passwordRefused.currentPassword,
    newPassword: passwordRefused.newPassword ?? passwordRefused.password,
  };
  const submit = (action: () => void) => (event: FormEvent) => {
    event.preventDefault();
    action();
  };

  return (
    <section aria-labelledby="account-title" className="narrow">
      <h1 id="account-title">Your account</h1>
      <p>
        {me.data.email} ({me.data.status === 'verified' ? 'confirmed' : 'not confirmed yet: follow the link in our e-mail'})
      </p>
      <h2 id="profile-title">Profile</h2>
      <form aria-labelledby="profile-title" onSubmit={submit(() => profile.mutate(current))}>
        <Field label="First name" value={current.firstName} onChange={(e) => setNames({ ...current, firstName: e.target.value })} error={fieldErrors(profile.error).firstName} />
        <Field label="Last name" value={current.lastName} onChange={(e) => setNames({ ...current, lastName: e.target.value })} error={fieldErrors(profile.error).lastName} />
        <ErrorMessage error={profile.error} />
        <Done when={profile.isSuccess}>Profile saved.</Done>
        <button type="submit">Save profile</button>
      </form>
      <h2 id="email-title">Change e-mail</h2>
      <form aria-labelledby="email-title" ref={emailForm} onSubmit={submit(() => changeEmail.mutate())}>
        <Field
          label="New e-mail"
          type="email"
          autoComplete="email"
          value={email.newEmail}
          onChange={(e) => setEmail({ ...email, newEmail: e.target.value })}
          error={emailFields.newEmail}
        />
        <Field label="Current password" type="password" autoComplete="current-password" value={email.password} onChange={(e) => setEmail({ ...email, password: e.target.value })} error={emailFields.password} />
        {!anyField(emailFields) && <ErrorMessage error={changeEmail.error} />}
        <Done when={changeEmail.isSuccess}>Check your new address for the confirmation link.</Done>
        <button type="submit">Change e-mail</button>
      </form>
      <h2 id="password-title">Change password</h2>
      <form aria-labelledby="password-title" ref={passwordForm} onSubmit={submit(() => changePassword.mutate())}>
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={passwords.currentPassword}
          onChange={(e) => setPasswords({ ...passwords, currentPassword: e.target.value })}
          error={passwordFields.currentPassword}
        />
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          hint="At least 8 characters and a digit."
          value={passwords.newPassword}
          onChange={(e) => setPasswords({ ...passwords, newPassword: e.target.value })}
          error={passwordFields.newPassword}
        />
        {!anyField(passwordFields) && <ErrorMessage error={changePassword.error} />}
        <Done when={changePassword.isSuccess}>Password changed; your other sessions were signed out.</Done>
        <button type="submit">Change password</button>
      </form>
      <h2>Addresses</h2>
      {addresses.isPending && <Loading what="your addresses" />}
      {addresses.data?.items.length === 0 && <p>No addresses yet.</p>}
      <ul>
        {addresses.data?.items.map((a) => (
          <li key={a.id}>
            {a.recipientName}, {a.street}, {a.city}, {a.state} {a.postalCode}, {a.country}
          </li>
        ))}
      </ul>
      <AddressForm onAdded={() => undefined} />
      <h2>Delete my account</h2>
      {!confirming ? (
        <button type="button" ref={askToDelete} onClick={() => setConfirming(true)}>
          Delete my account…
        </button>
      ) : (
        <div id="erase-confirmation" role="group" aria-labelledby="erase-title" className="confirm" tabIndex={-1} ref={confirmation}>
          <p id="erase-title">
            This deletes your name, e-mail address, password, saved addresses and cart for good, and signs you out everywhere. Your past orders are kept without your name
            or address. It cannot be undone.
          </p>
          <button type="button" className="danger" onClick={() => erase.mutate()} disabled={erase.isPending}>
            Yes, delete my account
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)}>
            Keep my account
          </button>
          <ErrorMessage error={erase.error} />
        </div>
      )}
    </section>
  );
}
