'use client';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { adminFetch, formatDateTime } from './client';

interface TKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}
interface TEndpoint {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  state: string;
  disabledReason: string | null;
  failingSince: string | null;
}
interface TDelivery {
  id: string;
  eventType: string;
  status: string;
  attemptCount: number;
  createdAt: string;
  replayOfId: string | null;
  attempts: { responseStatus: number | null; error: string | null; latencyMs: number }[];
}

function errorText(err: unknown) {
  return err instanceof Error ? err.message : 'Something went wrong.';
}

export function IntegrationsView() {
  const [keys, setKeys] = useState<TKey[] | null>(null);
  const [scopes, setScopes] = useState<string[]>([]);
  const [endpoints, setEndpoints] = useState<TEndpoint[] | null>(null);
  const [eventTypes, setEventTypes] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  /** The lists could not be loaded: the sections say so instead of loading forever. */
  const [loadError, setLoadError] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [deliveries, setDeliveries] = useState<TDelivery[] | null>(null);

  const load = useCallback(async () => {
    try {
      const [k, w] = await Promise.all([
        adminFetch<{ data: TKey[]; scopes: string[] }>('/api/admin/api-keys'),
        adminFetch<{ data: TEndpoint[]; eventTypes: string[] }>('/api/admin/webhooks'),
      ]);
      setKeys(k.data);
      setScopes(k.scopes);
      setEndpoints(w.data);
      setEventTypes(w.eventTypes);
      setLoadError(null);
    } catch (err) {
      setLoadError(errorText(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function run(fn: () => Promise<void>) {
    setError(null);
    try {
      await fn();
      await load();
    } catch (err) {
      setError(errorText(err));
    }
  }

  async function createKey(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const chosen = form.getAll('scope').map(String);
    const target = e.currentTarget;
    await run(async () => {
      const created = await adminFetch<{ key: string; prefix: string }>('/api/admin/api-keys', {
        method: 'POST',
        body: { name: String(form.get('name') ?? ''), scopes: chosen },
      });
      setSecret({ label: `API key ${created.prefix}`, value: created.key });
      target.reset();
    });
  }

  async function createEndpoint(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const target = e.currentTarget;
    await run(async () => {
      const created = await adminFetch<{ secret: string; endpoint: TEndpoint }>('/api/admin/webhooks', {
        method: 'POST',
        body: { url: String(form.get('url') ?? ''), description: String(form.get('description') ?? '') },
      });
      setSecret({ label: `Signing secret for ${created.endpoint.url}`, value: created.secret });
      target.reset();
    });
  }

  async function showDeliveries(id: string) {
    setOpen(id);
    setDeliveries(null);
    try {
      setDeliveries((await adminFetch<{ data: TDelivery[] }>(`/api/admin/webhooks/${id}/deliveries`)).data);
    } catch (err) {
      setOpen(null);
      setError(errorText(err));
    }
  }

  return (
    <>
      <h1 className="adm-h1">Integrations</h1>
      {loadError ? (
        <div className="adm-card adm-error" role="alert" data-testid="integrations-load-error">
          Could not load the integrations: {loadError}{' '}
          <button className="adm-btn small" type="button" onClick={() => void load()}>
            Retry
          </button>
        </div>
      ) : null}
      {error ? (
        <div className="adm-card adm-error" role="alert">
          {error}
        </div>
      ) : null}
      {secret ? (
        <div className="adm-card" role="status">
          <h2 className="adm-h2">{secret.label} — copy it now, it is shown once</h2>
          <div className="adm-secret" data-testid="one-time-secret">
            {secret.value}
          </div>
          <div className="adm-row" style={{ marginTop: 8 }}>
            <button
              className="adm-btn small"
              type="button"
              onClick={() => void navigator.clipboard?.writeText(secret.value)}
            >
              Copy
            </button>
            <button className="adm-btn small" type="button" onClick={() => setSecret(null)}>
              Done
            </button>
          </div>
        </div>
      ) : null}
      <section className="adm-card" aria-labelledby="keys">
        <h2 className="adm-h2" id="keys">
          API keys
        </h2>
        <form className="adm-form" onSubmit={createKey}>
          <div className="adm-row">
            <input
              className="adm-input"
              style={{ flex: '1 1 200px', width: 'auto' }}
              name="name"
              placeholder="Key name, e.g. CRM integration"
              required
              maxLength={100}
            />
            <button className="adm-btn primary" type="submit">
              Create key
            </button>
          </div>
          <div className="adm-chips">
            {scopes.map((s) => (
              <label key={s}>
                <input type="checkbox" name="scope" value={s} defaultChecked={s.endsWith(':read')} /> {s}
              </label>
            ))}
          </div>
        </form>
        {keys === null ? (
          <p className={loadError ? 'adm-empty' : 'adm-loading'}>{loadError ? 'Not loaded.' : 'Loading…'}</p>
        ) : keys.length === 0 ? (
          <p className="adm-empty">No API keys yet.</p>
        ) : (
          <div className="adm-scroll">
            <table className="adm-table" data-testid="api-keys">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Prefix</th>
                  <th className="adm-hide-sm">Scopes</th>
                  <th>Last used</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {keys.map((k) => (
                  <tr key={k.id}>
                    <td>{k.name}</td>
                    <td>
                      <code>{k.prefix}</code>
                    </td>
                    <td className="adm-hide-sm adm-small">{k.scopes.join(', ')}</td>
                    <td className="adm-small">{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : 'never'}</td>
                    <td>
                      {k.revokedAt ? (
                        <span className="adm-badge">revoked</span>
                      ) : (
                        <button
                          className="adm-btn small danger"
                          type="button"
                          onClick={() =>
                            window.confirm(`Revoke ${k.prefix}? Requests with it fail at once.`) &&
                            void run(() =>
                              adminFetch(`/api/admin/api-keys/${k.prefix}/revoke`, { method: 'POST' }),
                            )
                          }
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="adm-card" aria-labelledby="hooks">
        <h2 className="adm-h2" id="hooks">
          Webhook endpoints
        </h2>
        <form className="adm-row" onSubmit={createEndpoint}>
          <input
            className="adm-input"
            style={{ flex: '2 1 240px', width: 'auto' }}
            name="url"
            type="url"
            placeholder="https://example.com/convene-webhook"
            required
          />
          <input
            className="adm-input"
            style={{ flex: '1 1 160px', width: 'auto' }}
            name="description"
            placeholder="Description"
            maxLength={500}
          />
          <button className="adm-btn primary" type="submit">
            Add endpoint
          </button>
        </form>
        <p className="adm-muted adm-small">Events: {eventTypes.join(', ') || '…'}</p>
        {endpoints === null ? (
          <p className={loadError ? 'adm-empty' : 'adm-loading'}>{loadError ? 'Not loaded.' : 'Loading…'}</p>
        ) : endpoints.length === 0 ? (
          <p className="adm-empty">No webhook endpoints yet.</p>
        ) : (
          <div className="adm-scroll">
            <table className="adm-table">
              <thead>
                <tr>
                  <th>URL</th>
                  <th>State</th>
                  <th>Actions</th>
                </tr>
              </thead>
              <tbody>
                {endpoints.map((ep) => (
                  <tr key={ep.id}>
                    <td style={{ wordBreak: 'break-all' }}>
                      {ep.url}
                      <div className="adm-muted adm-small">{ep.description}</div>
                    </td>
                    <td>
                      <span className={`adm-badge ${ep.state === 'enabled' ? 'live' : 'warn'}`}>
                        {ep.state}
                      </span>
                      {ep.failingSince ? (
                        <div className="adm-small adm-muted">
                          failing since {formatDateTime(ep.failingSince)}
                        </div>
                      ) : null}
                    </td>
                    <td>
                      <div className="adm-actions">
                        <button
                          className="adm-btn small"
                          type="button"
                          onClick={() => void showDeliveries(ep.id)}
                        >
                          Deliveries
                        </button>
                        <button
                          className="adm-btn small"
                          type="button"
                          onClick={() =>
                            void run(async () => {
                              const r = await adminFetch<{ secret: string }>(
                                `/api/admin/webhooks/${ep.id}/rotate`,
                                {
                                  method: 'POST',
                                  body: { overlapSeconds: 86400 },
                                },
                              );
                              setSecret({
                                label: `New signing secret for ${ep.url} (old one valid 24 h)`,
                                value: r.secret,
                              });
                            })
                          }
                        >
                          Rotate secret
                        </button>
                        <button
                          className="adm-btn small"
                          type="button"
                          onClick={() =>
                            void run(() =>
                              adminFetch(`/api/admin/webhooks/${ep.id}`, {
                                method: 'PATCH',
                                body: { enabled: ep.state !== 'enabled' },
                              }),
                            )
                          }
                        >
                          {ep.state === 'enabled' ? 'Disable' : 'Enable'}
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {open ? (
        <section className="adm-card" aria-labelledby="deliveries">
          <div className="adm-row" style={{ justifyContent: 'space-between' }}>
            <h2 className="adm-h2" id="deliveries">
              Delivery log
            </h2>
            <button className="adm-btn small" type="button" onClick={() => setOpen(null)}>
              Close
            </button>
          </div>
          {deliveries === null ? (
            <p className="adm-loading">Loading…</p>
          ) : deliveries.length === 0 ? (
            <p className="adm-empty">Nothing delivered to this endpoint yet.</p>
          ) : (
            <div className="adm-scroll">
              <table className="adm-table">
                <thead>
                  <tr>
                    <th>Event</th>
                    <th>Status</th>
                    <th>Attempts</th>
                    <th className="adm-hide-sm">Created</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {deliveries.map((d) => {
                    const last = d.attempts[d.attempts.length - 1];
                    return (
                      <tr key={d.id}>
                        <td>
                          {d.eventType}
                          {d.replayOfId ? <span className="adm-badge">replay</span> : null}
                        </td>
                        <td>
                          <span
                            className={`adm-badge ${d.status === 'succeeded' ? 'live' : d.status === 'failed' ? 'warn' : ''}`}
                          >
                            {d.status}
                          </span>
                          {last ? (
                            <div className="adm-small adm-muted">
                              {last.responseStatus ?? last.error ?? '—'} · {last.latencyMs} ms
                            </div>
                          ) : null}
                        </td>
                        <td>{d.attemptCount}</td>
                        <td className="adm-hide-sm adm-small">{formatDateTime(d.createdAt)}</td>
                        <td>
                          <button
                            className="adm-btn small"
                            type="button"
                            onClick={() =>
                              void run(async () => {
                                await adminFetch(`/api/admin/webhooks/${open}/deliveries/${d.id}/replay`, {
                                  method: 'POST',
                                });
                                await showDeliveries(open);
                              })
                            }
                          >
                            Replay
                          </button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : null}
    </>
  );
}
