'use client';

import { useLocalParticipantPermissions, useTrackToggle } from '@livekit/components-react';
import { Track } from 'livekit-client';
import { InToolbarMenu } from './toolbar-menu';

/** The same capture options LiveKit's ControlBar uses, so sharing behaves alike from both places. */
const CAPTURE = { audio: true, selfBrowserSurface: 'include' } as const;

/**
 * Share screen / Stop sharing as a More-menu item (phones). Shown, like ControlBar's button, only
 * when the browser has getDisplayMedia (most phone browsers do not) and the token may publish
 * screen shares.
 */
export function ScreenShareMenuItem() {
  const permissions = useLocalParticipantPermissions();
  const canShare =
    !!permissions?.canPublish &&
    (permissions.canPublishSources.length === 0 ||
      permissions.canPublishSources.includes(Track.sourceToProto(Track.Source.ScreenShare)));
  if (!canShare || typeof navigator === 'undefined' || !navigator.mediaDevices?.getDisplayMedia) return null;
  return (
    <InToolbarMenu slot="media">
      <ScreenShareItem />
    </InToolbarMenu>
  );
}

function ScreenShareItem() {
  const { enabled, pending, toggle } = useTrackToggle({
    source: Track.Source.ScreenShare,
    captureOptions: CAPTURE,
  });
  return (
    <button
      type="button"
      role="menuitem"
      className="cv-more-item"
      data-lk-source="screen_share"
      disabled={pending}
      onClick={() => void toggle().catch(() => undefined)}
    >
      <span className="cv-more-item-icon">
        <ScreenIcon />
      </span>
      {enabled ? 'Stop sharing screen' : 'Share screen'}
    </button>
  );
}

function ScreenIcon() {
  return (
    <svg
      width="16"
      height="16"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <rect x="2" y="3" width="20" height="14" rx="2" />
      <path d="M8 21h8M12 17v4" />
    </svg>
  );
}
