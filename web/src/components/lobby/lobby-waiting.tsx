'use client';

import type {
  ClientToServerEvents,
  ServerToClientEvents,
  TLobbyAdmission,
} from '@convene/api/realtime/contract';
import { useEffect, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import { RecordingConsentNotice, useRoomStatus } from '@/components/meeting/recording-notice';
import type { TLobbyResponse } from '@/lib/meeting/api-client';

type TLobbyState =
  | { kind: 'waiting' }
  | { kind: 'denied' }
  | { kind: 'ended' }
  | { kind: 'error'; message: string };

/**
 * "Waiting to be let in": connected only to the realtime service with a lobby ticket (no LiveKit
 * access). A host's admission arrives over that link with the join token; no reload.
 */
export function LobbyWaiting({
  lobby,
  onAdmitted,
  onCancel,
}: {
  lobby: TLobbyResponse;
  onAdmitted: (admission: TLobbyAdmission) => void;
  onCancel: () => void;
}) {
  const [state, setState] = useState<TLobbyState>({ kind: 'waiting' });
  // Nothing is published yet in the lobby either: a recording that starts meanwhile is shown here.
  const isRecording = useRoomStatus(lobby.room)?.recording === true;

  useEffect(() => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(lobby.realtimeUrl, {
      auth: { lobbyTicket: lobby.lobbyTicket },
      transports: ['websocket', 'polling'],
    });
    socket.on('lobby:admitted', (admission) => {
      socket.close();
      onAdmitted(admission);
    });
    socket.on('lobby:denied', () => {
      socket.close();
      setState({ kind: 'denied' });
    });
    socket.on('room:ended', () => {
      socket.close();
      setState({ kind: 'ended' });
    });
    socket.on('connect_error', (error) => {
      const data = (error as { data?: { code?: string; message?: string } }).data;
      if (data?.code) {
        socket.close();
        setState({ kind: 'error', message: data.message ?? 'You cannot join this meeting.' });
      }
    });
    return () => {
      socket.close();
    };
  }, [lobby, onAdmitted]);

  return (
    <main className="cv-center">
      <div className="cv-landing-card" data-testid="lobby-screen" data-state={state.kind}>
        {state.kind === 'waiting' && (
          <>
            <h1>Waiting to be let in</h1>
            <p className="cv-muted">
              A host of <strong>{lobby.room}</strong> will let you in soon. Keep this tab open.
            </p>
            <RecordingConsentNotice isRecording={isRecording} />
          </>
        )}
        {state.kind === 'denied' && (
          <>
            <h1>You were not let in</h1>
            <p className="cv-muted" data-testid="lobby-denied">
              A host declined your request to join this meeting.
            </p>
          </>
        )}
        {state.kind === 'ended' && <h1>The host ended the meeting</h1>}
        {state.kind === 'error' && <p role="alert">{state.message}</p>}
        <button type="button" className="cv-button" onClick={onCancel}>
          {state.kind === 'waiting' ? 'Leave the lobby' : 'Back to the start page'}
        </button>
      </div>
    </main>
  );
}
