import type { GridLayoutDefinition } from '@livekit/components-react';

/**
 * Grid shapes by stage size. Unlike LiveKit's defaults (2x2 only from 560px wide), a phone
 * gets a 2x2 grid, so four people fit on one page and the grid pages from the fifth on.
 * Wider stages scale up to 5x5 before paging.
 */
export const MEETING_GRID_LAYOUTS: GridLayoutDefinition[] = [
  { columns: 1, rows: 1 },
  { columns: 1, rows: 2, orientation: 'portrait' },
  { columns: 2, rows: 1, orientation: 'landscape' },
  { columns: 2, rows: 2, minWidth: 320, minHeight: 320 },
  { columns: 3, rows: 3, minWidth: 700, minHeight: 400 },
  { columns: 4, rows: 4, minWidth: 960, minHeight: 540 },
  { columns: 5, rows: 5, minWidth: 1100, minHeight: 700 },
];
