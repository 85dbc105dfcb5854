'use client';

import { useConnectionState } from '@livekit/components-react';
import { ConnectionState } from 'livekit-client';

/** Shown while livekit-client re-establishes the connection by itself; the user stays in the room. */
export function ReconnectingBanner() {
  const state = useConnectionState();
  if (state !== ConnectionState.Reconnecting && state !== ConnectionState.SignalReconnecting) return null;
  return (
    <div className="cv-banner" role="status" aria-live="polite" data-testid="reconnecting-banner">
      <span className="cv-spinner" aria-hidden="true" />
      <strong>Reconnecting…</strong>
      <span className="cv-banner-detail">You stay in the call; it resumes when the network is back.</span>
    </div>
  );
}
