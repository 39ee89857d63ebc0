import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { unwrap } from '../api/client';
import { ApiError, fieldErrors } from '../api/errors';
import type { Customer } from '../api/session';
import { CART_KEY } from '../cart';
import { ErrorMessage, Field, Loading } from '../components/ui';
import { useSession, useShop } from '../shop';

const PASSWORD_RULES = [
  { text: 'At least 8 characters', test: (p: string) => p.length >= 8 },
  { text: 'At least one digit', test: (p: string) => /\d/.test(p) },
];

export function Register() {
  const { api } = useShop();
  const navigate = useNavigate();
  const [form, setForm] = useState({ firstName: '', lastName: '', email: '', password: '' });
  const register = useMutation({
    mutationFn: () => unwrap(api.POST('/customers', { body: form })),
    onSuccess: () => navigate('/check-email', { state: { email: form.email } }),
  });
  const errors = fieldErrors(register.error);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    register.mutate();
  };
  return (
    <section aria-labelledby="register-title" className="narrow">
      <h1 id="register-title">Create your account</h1>
      <form onSubmit={submit} noValidate>
        <Field label="First name" autoComplete="given-name" required value={form.firstName} onChange={set('firstName')} error={errors.firstName} />
        <Field label="Last name" autoComplete="family-name" required value={form.lastName} onChange={set('lastName')} error={errors.lastName} />
        <Field label="Email" type="email" autoComplete="email" required value={form.email} onChange={set('email')} error={errors.email} />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          value={form.password}
          onChange={set('password')}
          error={errors.password}
          hint={
            <ul className="rules" aria-live="polite">
              {PASSWORD_RULES.map((rule) => {
                const met = rule.test(form.password);
                return (
                  <li key={rule.text} className={met ? 'met' : 'unmet'}>
                    {met ? '✓' : '✗'} {rule.text}
                    <span className="visually-hidden">{met ? ' (met)' : ' (not met yet)'}</span>
                  </li>
                );
              })}
            </ul>
          }
        />
        {register.error && !(register.error instanceof ApiError && Object.keys(errors).length > 0) && <ErrorMessage error={register.error} />}
        <button type="submit" disabled={register.isPending}>
          Register
        </button>
      </form>
      <p>
        Have an account? <Link to="/signin">Sign in</Link>
      </p>
    </section>
  );
}

export function CheckEmail() {
  const { api } = useShop();
  const location = useLocation();
  const email = (location.state as { email?: string } | null)?.email;
  const resend = useMutation({ mutationFn: () => unwrap(api.POST('/customers/verify/resend', { body: { email: email ?? '' } })) });
  return (
    <section className="narrow">
      <h1>Check your e-mail</h1>
      <p>We sent a link to {email ?? 'your address'}. Follow it to confirm your address, then sign in.</p>
      {email && (
        <button type="button" onClick={() => resend.mutate()} disabled={resend.isPending || resend.isSuccess}>
          Send the link again
        </button>
      )}
      {resend.isSuccess && <p role="status">If the address has an account waiting for confirmation, a new link is on its way (at most one a minute).</p>}
      <ErrorMessage error={resend.error} />
    </section>
  );
}

export function Verify() {
  const { api } = useShop();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const verify = useMutation({ mutationFn: () => unwrap(api.POST('/customers/verify', { body: { token } })) });
  const started = useRef(false);
  useEffect(() => {
    // Once per visit, also under React's development double effects.
    if (started.current || !token) return;
    started.current = true;
    verify.mutate();
  }, [token, verify]);
  return (
    <section className="narrow">
      <h1>Confirm your e-mail</h1>
      {!token && <p role="alert">This link has no token. Open the link from the e-mail again.</p>}
      {verify.isPending && <Loading what="your confirmation" />}
      <ErrorMessage error={verify.error} />
      {verify.isSuccess && (
        <p role="status">
          Your e-mail address is confirmed. <Link to="/signin">Sign in</Link>
        </p>
      )}
    </section>
  );
}

const ENDED_MESSAGES = {
  expired: 'Your session has ended. Please sign in again.',
  suspended: 'Your account is suspended, so you were signed out. Contact us for help.',
};

export function SignIn() {
  const { api, session } = useShop();
  const { ended } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const client = useQueryClient();
  const [form, setForm] = useState({ email: '', password: '' });
  const login = useMutation({
    mutationFn: async () => {
      const answer = await unwrap(api.POST('/auth/login', { body: form }));
      session.authenticate(answer);
      // The guest's cart joins the customer's before the pages show the customer's cart.
      const guestToken = session.guestCartToken();
      if (guestToken) {
        await api.POST('/cart/merge', { body: { cartToken: guestToken } }).catch(() => undefined);
        session.setGuestCartToken(undefined);
      }
      client.removeQueries({ queryKey: CART_KEY });
      return answer;
    },
    onSuccess: (answer) => {
      navigate((location.state as { from?: string } | null)?.from ?? '/');
      session.updateCustomer(answer.customer as Customer);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate();
  };
  return (
    <section aria-labelledby="signin-title" className="narrow">
      <h1 id="signin-title">Sign in</h1>
      {ended && !login.isPending && (
        <p role="alert" className="error">
          {ENDED_MESSAGES[ended]}
        </p>
      )}
      <form onSubmit={submit}>
        <Field label="Email" type="email" autoComplete="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
        <Field label="Password" type="password" autoComplete="current-password" required value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
        <ErrorMessage error={login.error} />
        <button type="submit" disabled={login.isPending}>
          Sign in
        </button>
      </form>
      <p>
        New here? <Link to="/register">Register</Link>
      </p>
    </section>
  );
}
