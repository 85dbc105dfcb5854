'use client';

import type { TRole } from '@convene/api/tokens/policy';
import { useParticipants } from '@livekit/components-react';
import { useState } from 'react';

const ROLE_LABEL: Record<TRole, string> = { host: 'Host', participant: 'Participant', viewer: 'Viewer' };

export function RoomHeader({ roomName, role }: { roomName: string; role: TRole }) {
  const count = useParticipants().length;
  const [copied, setCopied] = useState(false);

  async function copyLink() {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // Clipboard blocked (insecure origin, permissions): the link is in the address bar anyway.
    }
  }

  return (
    <>
      <div className="cv-room-id">
        <span className="cv-brand-mark" aria-hidden="true" />
        <h1 className="cv-room-name" data-testid="room-title">
          {roomName}
        </h1>
        <span className="cv-badge" data-testid="my-role" data-role={role}>
          {ROLE_LABEL[role]}
        </span>
      </div>
      <div className="cv-room-meta">
        <span className="cv-muted" data-testid="participant-count">
          {count} {count === 1 ? 'person' : 'people'}
        </span>
        <button type="button" className="cv-button cv-button-small" onClick={copyLink}>
          {copied ? 'Copied' : 'Copy link'}
        </button>
      </div>
    </>
  );
}
