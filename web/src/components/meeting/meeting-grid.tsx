'use client';

import {
  TrackLoop,
  type TrackReferenceOrPlaceholder,
  useGridLayout,
  usePagination,
  useSwipe,
} from '@livekit/components-react';
import { type RefObject, useRef } from 'react';
import { MEETING_GRID_LAYOUTS } from '@/lib/meeting/grid-layouts';
import { MeetingTile } from './participant-tile';

/** All tiles in a grid sized to the stage; pages (buttons or swipe) when they do not fit. */
export function MeetingGrid({ tracks }: { tracks: TrackReferenceOrPlaceholder[] }) {
  const gridEl = useRef<HTMLDivElement>(null);
  const { layout } = useGridLayout(gridEl as RefObject<HTMLDivElement>, tracks.length, {
    gridLayouts: MEETING_GRID_LAYOUTS,
  });
  const pagination = usePagination(layout.maxTiles, tracks);
  useSwipe(gridEl as RefObject<HTMLDivElement>, {
    onLeftSwipe: pagination.nextPage,
    onRightSwipe: pagination.prevPage,
  });
  const isPaged = pagination.totalPageCount > 1;

  return (
    <div ref={gridEl} className="lk-grid-layout" data-lk-pagination={isPaged}>
      <TrackLoop tracks={pagination.tracks}>
        <MeetingTile />
      </TrackLoop>
      {isPaged && (
        <nav className="cv-pager" aria-label="Video pages" data-testid="grid-pager">
          <button
            type="button"
            className="cv-pager-button"
            onClick={pagination.prevPage}
            disabled={pagination.currentPage <= 1}
            aria-label="Previous page"
          >
            ‹
          </button>
          <span className="cv-pager-count" data-testid="grid-page">
            {pagination.currentPage} / {pagination.totalPageCount}
          </span>
          <button
            type="button"
            className="cv-pager-button"
            onClick={pagination.nextPage}
            disabled={pagination.currentPage >= pagination.totalPageCount}
            aria-label="Next page"
            data-testid="grid-next-page"
          >
            ›
          </button>
        </nav>
      )}
    </div>
  );
}
