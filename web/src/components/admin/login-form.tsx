'use client';
import { type FormEvent, useState } from 'react';
import { AdminApiError, adminFetch } from './client';

export function LoginForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await adminFetch('/api/admin/login', {
        method: 'POST',
        body: { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') },
      });
      window.location.href = next.startsWith('/admin') ? next : '/admin';
    } catch (err) {
      setError(
        err instanceof AdminApiError && err.status === 429
          ? 'Too many attempts. Wait a minute and try again.'
          : err instanceof AdminApiError && err.status === 401
            ? 'Wrong email or password.'
            : 'Could not sign in. Try again.',
      );
      setBusy(false);
    }
  }
  return (
    <form className="adm-form" onSubmit={submit}>
      <label>
        <span className="adm-muted adm-small">Email</span>
        <input className="adm-input" name="email" type="email" autoComplete="username" required />
      </label>
      <label>
        <span className="adm-muted adm-small">Password</span>
        <input
          className="adm-input"
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
      </label>
      {error ? (
        <p className="adm-error" role="alert" style={{ padding: 0, margin: 0 }}>
          {error}
        </p>
      ) : null}
      <button className="adm-btn primary" type="submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
