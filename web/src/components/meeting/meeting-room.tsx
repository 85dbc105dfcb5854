'use client';

import type { LocalUserChoices } from '@livekit/components-react';
import {
  ControlBar,
  LiveKitRoom,
  RoomAudioRenderer,
  useConnectionState,
  useParticipants,
  useRoomContext,
} from '@livekit/components-react';
import { ConnectionState, DisconnectReason, Room } from 'livekit-client';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { QualityReporter } from '@/components/realtime/quality-reporter';
import { describeDeviceError, isMediaDeviceError } from '@/lib/meeting/device-error';
import { fetchSessionToken } from '@/lib/meeting/fetch-session-token';
import { meetingRoomOptions } from '@/lib/meeting/room-options';
import { meetingSession, type TMeetingSession } from '@/lib/meeting/session';
import { startTokenRefresh } from '@/lib/meeting/token-refresh';
import { ReconnectingBanner } from './reconnecting-banner';
import { RoomHeader } from './room-header';
import { RoomLayout } from './room-layout';
import { ScreenShareMenuItem } from './screen-share-menu-item';
import { ToolbarMenuProvider, ToolbarMoreButton, useToolbarMenu } from './toolbar-menu';
import { VideoStage } from './video-stage';

export interface TMeetingRoomProps {
  /** The session the room connects with; later token refreshes go to `meetingSession`. */
  session: TMeetingSession;
  choices: LocalUserChoices;
  /** The user pressed Leave. */
  onLeave: () => void;
  /** The connection ended without the user asking (kicked, room closed, network gone for good). */
  onDropped: (message: string) => void;
  sidePanel?: ReactNode;
  toolbarExtras?: ReactNode;
}

/** A connected meeting: LiveKit room, video stage, controls, token refresh. */
export function MeetingRoom({
  session,
  choices,
  onLeave,
  onDropped,
  sidePanel,
  toolbarExtras,
}: TMeetingRoomProps) {
  const [room] = useState(
    () =>
      new Room(
        meetingRoomOptions({ audioDeviceId: choices.audioDeviceId, videoDeviceId: choices.videoDeviceId }),
      ),
  );
  // The first token only: LiveKitRoom reconnects whenever its token prop changes.
  const [connectToken] = useState(session.token);

  useEffect(
    () =>
      startTokenRefresh({
        store: meetingSession,
        fetchToken: () =>
          fetchSessionToken({ room: session.room, name: session.name, source: session.source }),
        onError: (message) => console.warn(`token refresh failed: ${message}`),
      }),
    [session.room, session.name, session.source],
  );

  const handleDisconnected = useCallback(
    (reason?: DisconnectReason) => {
      if (reason === DisconnectReason.CLIENT_INITIATED) return;
      onDropped(describeDisconnect(reason));
    },
    [onDropped],
  );
  // A camera or microphone the browser refuses is reported through the same callback as a failed
  // connection (LiveKitRoom publishes them once connected): it must not throw the user out of a
  // meeting they are in. They stay, told why, and can turn the device on once it is allowed.
  const [deviceWarning, setDeviceWarning] = useState<string | null>(null);
  const warnAboutDevice = useCallback((error: Error) => setDeviceWarning(describeDeviceError(error)), []);
  const handleError = useCallback(
    (error: Error) => {
      if (isMediaDeviceError(error)) warnAboutDevice(error);
      else onDropped(`Could not connect: ${error.message}`);
    },
    [onDropped, warnAboutDevice],
  );

  return (
    <LiveKitRoom
      room={room}
      serverUrl={session.livekitUrl}
      token={connectToken}
      connect
      audio={choices.audioEnabled}
      video={choices.videoEnabled}
      onDisconnected={handleDisconnected}
      onError={handleError}
      data-lk-theme="default"
      className="cv-livekit-root"
    >
      <RoomLayout
        header={<RoomHeader roomName={session.room} role={session.role} />}
        banner={
          <>
            <ReconnectingBanner />
            {deviceWarning && (
              <DeviceWarningBanner message={deviceWarning} onDismiss={() => setDeviceWarning(null)} />
            )}
          </>
        }
        stage={<VideoStage />}
        sidePanel={sidePanel}
        toolbar={
          <ToolbarMenuProvider>
            <MediaControls onDeviceError={warnAboutDevice} />
            {toolbarExtras}
            <ToolbarMoreButton />
            <LeaveButton onLeave={onLeave} />
          </ToolbarMenuProvider>
        }
      />
      <RoomAudioRenderer />
      <ParticipantCountAnnouncer />
      <QualityReporter />
    </LiveKitRoom>
  );
}

/** LiveKit's mic and camera (with device pickers) and screen share; on phones, screen share moves to More. */
function MediaControls({ onDeviceError }: { onDeviceError: (error: Error) => void }) {
  const { isCompact } = useToolbarMenu();
  return (
    <>
      <ControlBar
        controls={{ leave: false, chat: false, settings: false, screenShare: isCompact ? false : undefined }}
        onDeviceError={({ error }) => onDeviceError(error)}
        className="cv-controls"
      />
      {isCompact && <ScreenShareMenuItem />}
    </>
  );
}

/**
 * Why the camera or microphone is off although the user asked for it; stays until dismissed.
 * It yields its place to the reconnecting banner, which matters more while it shows.
 */
function DeviceWarningBanner({ message, onDismiss }: { message: string; onDismiss: () => void }) {
  const state = useConnectionState();
  if (state === ConnectionState.Reconnecting || state === ConnectionState.SignalReconnecting) return null;
  return (
    <div className="cv-banner cv-banner-device" role="status" data-testid="device-warning">
      <span className="cv-banner-message">{message}</span>
      <button type="button" className="cv-banner-dismiss" onClick={onDismiss} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}

function LeaveButton({ onLeave }: { onLeave: () => void }) {
  const room = useRoomContext();
  const [isLeaving, setIsLeaving] = useState(false);
  return (
    <button
      type="button"
      className="lk-disconnect-button cv-leave"
      data-testid="leave"
      disabled={isLeaving}
      onClick={async () => {
        setIsLeaving(true);
        await room.disconnect(true);
        onLeave();
      }}
    >
      Leave
    </button>
  );
}

/** Keeps the tab title informative: "(3) team-sync · Convene". */
function ParticipantCountAnnouncer() {
  const count = useParticipants().length;
  const room = useRoomContext();
  useEffect(() => {
    document.title = `(${count}) ${room.name || 'Meeting'} · Convene`;
  }, [count, room.name]);
  return null;
}

function describeDisconnect(reason?: DisconnectReason): string {
  switch (reason) {
    case DisconnectReason.DUPLICATE_IDENTITY:
      return 'You joined this meeting from another tab or window, so this one was disconnected.';
    case DisconnectReason.PARTICIPANT_REMOVED:
      return 'A host removed you from the meeting.';
    case DisconnectReason.ROOM_DELETED:
      return 'The meeting was ended.';
    case DisconnectReason.JOIN_FAILURE:
      return 'Could not join the meeting. Try again.';
    default:
      return 'The connection to the meeting was lost.';
  }
}
