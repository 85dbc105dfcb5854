'use client';

import {
  ConnectionQualityIndicator,
  FocusToggle,
  isTrackReference,
  ParticipantContext,
  TrackMutedIndicator,
  TrackRefContext,
  type TrackReferenceOrPlaceholder,
  useEnsureTrackRef,
  useFeatureContext,
  useParticipantInfo,
  useParticipantTile,
  VideoTrack,
} from '@livekit/components-react';
import { Track } from 'livekit-client';
import { initials } from '@/lib/meeting/initials';

export interface TMeetingTileProps {
  /** Omitted inside GridLayout/CarouselLayout, which provide the track through context. */
  trackRef?: TrackReferenceOrPlaceholder;
  isFocused?: boolean;
}

/**
 * One participant's video (or avatar), name, mic state, connection quality and a focus button.
 * The data-testid/data-identity attributes are a stable contract for browser tests.
 */
export function MeetingTile({ trackRef, isFocused = false }: TMeetingTileProps) {
  const ref = useEnsureTrackRef(trackRef);
  const autoManageSubscription = useFeatureContext()?.autoSubscription;
  const { elementProps } = useParticipantTile<HTMLDivElement>({
    trackRef: ref,
    htmlProps: { className: 'cv-tile' },
  });
  const { name, identity } = useParticipantInfo({ participant: ref.participant });
  const label = name || identity || 'Guest';
  const isScreen = ref.source === Track.Source.ScreenShare;
  const isLocal = ref.participant.isLocal;

  return (
    <div
      {...elementProps}
      data-testid="participant-tile"
      data-identity={ref.participant.identity}
      data-source={ref.source}
      data-local={isLocal ? 'true' : undefined}
      data-focused={isFocused ? 'true' : undefined}
    >
      <TrackRefContext.Provider value={ref}>
        <ParticipantContext.Provider value={ref.participant}>
          {isTrackReference(ref) && <VideoTrack trackRef={ref} manageSubscription={autoManageSubscription} />}
          <div className="lk-participant-placeholder">
            <span className="cv-avatar cv-avatar-large" aria-hidden="true">
              {initials(label) || '?'}
            </span>
          </div>
          <div className="lk-participant-metadata">
            <div className="lk-participant-metadata-item cv-tile-name">
              {!isScreen && (
                <TrackMutedIndicator
                  trackRef={{ participant: ref.participant, source: Track.Source.Microphone }}
                  show="muted"
                />
              )}
              <span className="cv-ellipsis">
                {label}
                {isScreen ? '’s screen' : ''}
                {isLocal && !isScreen ? ' (you)' : ''}
              </span>
            </div>
            <ConnectionQualityIndicator className="lk-participant-metadata-item cv-quality" />
          </div>
          <FocusToggle
            trackRef={ref}
            data-testid="focus-toggle"
            aria-label={isFocused ? `Back to the grid` : `Focus on ${label}`}
            title={isFocused ? 'Back to the grid' : 'Focus'}
          />
        </ParticipantContext.Provider>
      </TrackRefContext.Provider>
    </div>
  );
}
