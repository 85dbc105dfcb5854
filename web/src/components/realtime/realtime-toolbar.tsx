'use client';

import './realtime.css';
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { InToolbarMenu, useToolbarMenu } from '@/components/meeting/toolbar-menu';
import type { TRealtimeClient, TRealtimeSnapshot } from '@/lib/realtime/client';
import { ChatIcon, HandIcon } from './icons';
import { panelStore, useIsPhone, usePanelState } from './panel-store';
import { ReactionPicker, ReactionsOverlay } from './reactions';
import { RealtimeBanner } from './realtime-banner';
import { RecordingIndicator, RecordingToggle } from './recording';
import { countUnread } from './unread';
import { useRealtime } from './use-realtime';

/**
 * Plugged into MeetingClient's `toolbarExtras` slot: raise hand, reactions, recording (hosts),
 * the chat panel toggle (on phones reactions and recording sit in the toolbar's More menu); and, portalled over the stage, floating reactions, the recording
 * indicator and the realtime banner.
 */
export function RealtimeToolbar() {
  const { client, snapshot } = useRealtime();
  const panel = usePanelState();
  const isHost = snapshot.self?.role === 'host';
  const unread = countUnread(snapshot, panel.seenSeq);
  const isChatShowing = panel.isOpen && panel.tab === 'chat';
  // Phones keep hand and chat in the row; reactions and recording go to the More menu.
  const { isCompact } = useToolbarMenu();

  return (
    <>
      <RaiseHandButton client={client} snapshot={snapshot} />
      <ReactionPicker client={client} />
      {isHost &&
        (isCompact ? (
          <InToolbarMenu slot="realtime">
            <RecordingToggle client={client} recording={snapshot.recording} isMenuItem />
          </InToolbarMenu>
        ) : (
          <RecordingToggle client={client} recording={snapshot.recording} />
        ))}
      <button
        type="button"
        className="lk-button cv-rt-tool"
        data-testid="panel-toggle"
        aria-pressed={isChatShowing}
        onClick={() => panelStore.toggle('chat')}
      >
        <span className="cv-rt-tool-icon">
          <ChatIcon />
        </span>
        <span className="cv-rt-tool-label">Chat</span>
        {!panel.isOpen && unread > 0 && (
          <span
            className="cv-rt-count cv-rt-count-float"
            data-testid="chat-unread"
            title={`${unread} unread`}
          >
            {unread}
          </span>
        )}
      </button>
      <StageOverlay client={client} snapshot={snapshot} isHost={isHost} />
    </>
  );
}

function RaiseHandButton({
  client,
  snapshot,
}: {
  client: TRealtimeClient | null;
  snapshot: TRealtimeSnapshot;
}) {
  const self = snapshot.self?.identity;
  const position = snapshot.hands.findIndex((h) => h.identity === self);
  const isRaised = position >= 0;
  const [isBusy, setIsBusy] = useState(false);

  async function toggle() {
    if (!client) return;
    setIsBusy(true);
    await (isRaised ? client.lowerHand() : client.raiseHand());
    setIsBusy(false);
  }

  return (
    <button
      type="button"
      className="lk-button cv-rt-tool"
      data-testid="raise-hand"
      data-raised={isRaised ? 'true' : 'false'}
      aria-pressed={isRaised}
      disabled={!client || isBusy || snapshot.status !== 'connected'}
      title={isRaised ? `Your hand is raised (#${position + 1} in the queue)` : 'Raise your hand'}
      onClick={() => void toggle()}
    >
      <span className="cv-rt-tool-icon">
        <HandIcon />
      </span>
      <span className="cv-rt-tool-label">{isRaised ? `Lower hand (#${position + 1})` : 'Raise hand'}</span>
    </button>
  );
}

/** Rendered into the video stage (a slot the layout does not offer, so a portal). */
function StageOverlay({
  client,
  snapshot,
  isHost,
}: {
  client: TRealtimeClient | null;
  snapshot: TRealtimeSnapshot;
  isHost: boolean;
}) {
  const [stage, setStage] = useState<Element | null>(null);
  const panel = usePanelState();
  const isPhone = useIsPhone();
  useEffect(() => setStage(document.querySelector('.cv-room-stage')), []);
  if (!stage) return null;
  return createPortal(
    <div className="cv-rt-stage-overlay">
      <RecordingIndicator recording={snapshot.recording} isHost={isHost} />
      <ReactionsOverlay reactions={snapshot.reactions} />
      {!(isPhone && panel.isOpen) && <RealtimeBanner client={client} snapshot={snapshot} placement="stage" />}
    </div>,
    stage,
  );
}
