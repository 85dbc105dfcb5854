import { z } from 'zod';

/** livekit-client's ConnectionQuality values a browser reports for itself ('unknown' is not sent). */
export const CONNECTION_QUALITIES = ['excellent', 'good', 'poor', 'lost'] as const;
export type TConnectionQuality = (typeof CONNECTION_QUALITIES)[number];

/** `quality:report`: the sender's own current connection quality. */
export const ZQualityReport = z.object({ quality: z.enum(CONNECTION_QUALITIES) }).strict();
export type TQualityReport = z.infer<typeof ZQualityReport>;

/** Ack of `quality:report`: whether it was a change (only changes are stored). */
export interface TQualityReportResult {
  quality: TConnectionQuality;
  changed: boolean;
}

/** A quality that counts towards the poor-quality flag. */
export function isPoorQuality(quality: string): boolean {
  return quality === 'poor' || quality === 'lost';
}
