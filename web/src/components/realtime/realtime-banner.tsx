'use client';

import type { TRealtimeClient, TRealtimeSnapshot } from '@/lib/realtime/client';

/**
 * The realtime link (chat, hands, reactions) is down. Distinct from LiveKit's reconnecting
 * banner: media may be fine while chat is not, and the other way round.
 */
export function RealtimeBanner({
  client,
  snapshot,
  placement,
}: {
  client: TRealtimeClient | null;
  snapshot: TRealtimeSnapshot;
  placement: 'stage' | 'sheet';
}) {
  if (!client) return null;
  const { status, error } = snapshot;
  if (status !== 'reconnecting' && status !== 'disconnected') return null;
  const isDown = status === 'disconnected';
  return (
    <div
      className="cv-rt-banner"
      data-placement={placement}
      data-testid="realtime-banner"
      data-status={status}
      role="status"
      aria-live="polite"
    >
      {!isDown && <span className="cv-spinner" aria-hidden="true" />}
      <strong>{isDown ? 'Chat disconnected' : 'Chat reconnecting…'}</strong>
      {isDown ? (
        <>
          <span className="cv-rt-banner-detail">
            {error?.message ?? 'The chat server closed the connection.'}
          </span>
          <button type="button" className="cv-button cv-button-small" onClick={() => client.connect()}>
            Retry
          </button>
        </>
      ) : (
        <span className="cv-rt-banner-detail">Messages you send now go out when it is back.</span>
      )}
    </div>
  );
}
