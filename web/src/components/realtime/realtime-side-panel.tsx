'use client';

import './realtime.css';
import { useEffect } from 'react';
import { ChatPanel } from './chat-panel';
import { HandIcon } from './icons';
import { panelStore, useIsPhone, usePanelState } from './panel-store';
import { PeoplePanel, useRoster } from './people-panel';
import { RealtimeBanner } from './realtime-banner';
import { countUnread } from './unread';
import { useRealtime } from './use-realtime';

/**
 * The meeting's right column (desktop) or full-screen sheet (phone): tabs Chat | People.
 * Plugged into MeetingClient's `sidePanel` slot; stays mounted while closed so the roster
 * keeps its memory of who left.
 */
export function RealtimeSidePanel() {
  const { client, snapshot } = useRealtime();
  const panel = usePanelState();
  const isPhone = useIsPhone();
  const roster = useRoster(snapshot);
  const room = snapshot.self?.room;

  useEffect(() => {
    if (room) panelStore.reset();
  }, [room]);

  const unread = countUnread(snapshot, panel.seenSeq);
  const isHost = snapshot.self?.role === 'host';
  const hands = snapshot.hands.length;

  return (
    <div className="cv-rt-panel" data-open={panel.isOpen ? 'true' : 'false'} data-tab={panel.tab}>
      <div className="cv-rt-tabs" role="tablist" aria-label="Side panel">
        <button
          type="button"
          role="tab"
          className="cv-rt-tab"
          aria-selected={panel.tab === 'chat'}
          data-testid="tab-chat"
          onClick={() => panelStore.show('chat')}
        >
          Chat
          {panel.tab !== 'chat' && unread > 0 && (
            <span className="cv-rt-count" data-testid="chat-unread" title={`${unread} unread`}>
              {unread}
            </span>
          )}
        </button>
        <button
          type="button"
          role="tab"
          className="cv-rt-tab"
          aria-selected={panel.tab === 'people'}
          data-testid="tab-people"
          onClick={() => panelStore.show('people')}
        >
          People
          {isHost && hands > 0 && (
            <span
              className="cv-rt-count cv-rt-count-hand"
              data-testid="hand-count"
              title={`${hands} hands raised`}
            >
              <HandIcon />
              {hands}
            </span>
          )}
        </button>
        <button
          type="button"
          className="cv-rt-close"
          aria-label="Close panel"
          data-testid="panel-close"
          onClick={() => panelStore.close()}
        >
          ×
        </button>
      </div>
      {isPhone && panel.isOpen && <RealtimeBanner client={client} snapshot={snapshot} placement="sheet" />}
      <div className="cv-rt-tabpanel" role="tabpanel" hidden={panel.tab !== 'chat'}>
        <ChatPanel client={client} snapshot={snapshot} isVisible={panel.isOpen && panel.tab === 'chat'} />
      </div>
      <div className="cv-rt-tabpanel" role="tabpanel" hidden={panel.tab !== 'people'}>
        <PeoplePanel client={client} snapshot={snapshot} roster={roster} />
      </div>
    </div>
  );
}
