'use client';

import './recording-notice.css';
import { useEffect, useState } from 'react';
import { pollRoomStatus, type TRoomStatus } from '@/lib/meeting/room-status';

/** The room's public status, polled while the pre-join page is open (null until the first answer). */
export function useRoomStatus(slug: string): TRoomStatus | null {
  const [status, setStatus] = useState<TRoomStatus | null>(null);
  useEffect(() => pollRoomStatus(slug, setStatus), [slug]);
  return status;
}

export const RECORDING_NOTICE_ID = 'cv-recording-consent';

/**
 * Pre-join consent notice: shown before anything is published when the room is being recorded,
 * and appearing while someone waits if a recording starts meanwhile. The live region is always
 * in the DOM so screen readers announce the notice when it appears.
 */
export function RecordingConsentNotice({ isRecording }: { isRecording: boolean }) {
  return (
    <div aria-live="polite" className="cv-consent-region">
      {isRecording && (
        <section
          id={RECORDING_NOTICE_ID}
          className="cv-consent"
          data-testid="recording-consent"
          aria-labelledby="cv-recording-consent-title"
        >
          <h2 id="cv-recording-consent-title" className="cv-consent-title">
            <span className="cv-consent-dot" aria-hidden="true" />
            This meeting is being recorded
          </h2>
          <p className="cv-consent-text">
            Once you join, your camera, microphone and name become part of the recording. By joining you
            consent to being recorded. You can turn your camera and microphone off before joining, or not
            join.
          </p>
        </section>
      )}
    </div>
  );
}
