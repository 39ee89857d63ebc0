import { useId, type InputHTMLAttributes, type ReactNode } from 'react';
import { messageFor } from '../api/errors';
import { STOCK_LABELS } from '../format';

/** An input with its label and, below it, what is wrong with its value. */
export function Field({ label, error, hint, ...input }: { label: string; error?: string | undefined; hint?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  const described = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={described} {...input} />
      {hint && (
        <div id={`${id}-hint`} className="hint">
          {hint}
        </div>
      )}
      {error && (
        <div id={`${id}-error`} className="field-error">
          {error}
        </div>
      )}
    </div>
  );
}

/** An error as a sentence, announced to screen readers; nothing when there is none. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {messageFor(error)}
    </p>
  );
}

/** What a 503 (or no answer) anywhere shows: the shop is busy, and a way to try again. */
export function RetryBanner({ onRetry }: { onRetry: () => void }) {
  return (
    <div role="alert" className="banner">
      The shop is not answering right now.{' '}
      <button type="button" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="loading">
      Loading {what}…
    </p>
  );
}

export function StockBadge({ status }: { status: keyof typeof STOCK_LABELS }) {
  return <span className={`badge badge-${status}`}>{STOCK_LABELS[status]}</span>;
}
