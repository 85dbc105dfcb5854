import type { ReactNode } from 'react';

export interface TRoomLayoutProps {
  header: ReactNode;
  stage: ReactNode;
  toolbar: ReactNode;
  /** Overlays such as the reconnecting banner. */
  banner?: ReactNode;
  /** A right-hand panel (chat, participants); a bottom sheet on phones. Hidden when absent. */
  sidePanel?: ReactNode;
}

/** The room's frame: header, video stage with an optional side panel, toolbar. */
export function RoomLayout({ header, stage, toolbar, banner, sidePanel }: TRoomLayoutProps) {
  return (
    <div className="cv-room" data-has-panel={sidePanel ? 'true' : undefined}>
      <header className="cv-room-header">{header}</header>
      {banner}
      <div className="cv-room-body">
        <div className="cv-room-stage">{stage}</div>
        {sidePanel && (
          <aside className="cv-side-panel" data-testid="side-panel">
            {sidePanel}
          </aside>
        )}
      </div>
      <footer className="cv-room-toolbar">{toolbar}</footer>
    </div>
  );
}
