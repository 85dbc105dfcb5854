'use client';

import {
  CarouselLayout,
  FocusLayoutContainer,
  isTrackReference,
  LayoutContextProvider,
  type TrackReferenceOrPlaceholder,
  useConnectionState,
  useCreateLayoutContext,
  usePinnedTracks,
  useTracks,
} from '@livekit/components-react';
import { ConnectionState, RoomEvent, Track } from 'livekit-client';
import { useEffect, useRef } from 'react';
import { MeetingGrid } from './meeting-grid';
import { MeetingTile } from './participant-tile';

/** Which tile a track reference is: one per participant and source. */
const tileKey = (ref: TrackReferenceOrPlaceholder) => `${ref.participant.identity}/${ref.source}`;

/**
 * The video area: a paged grid (GridLayout pages past what fits, e.g. beyond 4 tiles on a
 * phone), or, once a tile is focused, that participant large with the others in a strip.
 * A new screen share is focused automatically.
 */
export function VideoStage() {
  const connectionState = useConnectionState();
  if (connectionState === ConnectionState.Connecting) {
    return (
      <div className="cv-stage cv-stage-status" role="status" data-testid="connecting">
        <span className="cv-spinner" aria-hidden="true" />
        Connecting to the meeting…
      </div>
    );
  }
  return <StageLayout />;
}

function StageLayout() {
  const tracks = useTracks(
    [
      { source: Track.Source.Camera, withPlaceholder: true },
      { source: Track.Source.ScreenShare, withPlaceholder: false },
    ],
    { updateOnlyOn: [RoomEvent.ActiveSpeakersChanged], onlySubscribed: false },
  );
  const layoutContext = useCreateLayoutContext();
  const focusTrack = usePinnedTracks(layoutContext)[0];
  useAutoFocusScreenShare(tracks, focusTrack, layoutContext.pin.dispatch);

  const isAlone = tracks.every((t) => t.participant.isLocal);
  const focusKey = focusTrack ? tileKey(focusTrack) : null;
  const carouselTracks = tracks.filter((t) => tileKey(t) !== focusKey);
  return (
    <LayoutContextProvider value={layoutContext}>
      {focusTrack ? (
        <div className="cv-stage cv-stage-focus" data-testid="focus-view">
          <FocusLayoutContainer>
            <CarouselLayout tracks={carouselTracks}>
              <MeetingTile />
            </CarouselLayout>
            <MeetingTile trackRef={focusTrack} isFocused />
          </FocusLayoutContainer>
        </div>
      ) : (
        <div className="cv-stage cv-stage-grid" data-testid="video-grid">
          <MeetingGrid tracks={tracks} />
          {isAlone && (
            <p className="cv-alone-hint" data-testid="alone-hint">
              You are the only one here. Share the link to invite others.
            </p>
          )}
        </div>
      )}
    </LayoutContextProvider>
  );
}

type TPinDispatch = ReturnType<typeof useCreateLayoutContext>['pin']['dispatch'];

function useAutoFocusScreenShare(
  tracks: TrackReferenceOrPlaceholder[],
  focusTrack: TrackReferenceOrPlaceholder | undefined,
  dispatch: TPinDispatch,
) {
  const autoFocused = useRef<string | null>(null);
  const screenShares = tracks
    .filter(isTrackReference)
    .filter((t) => t.publication.source === Track.Source.ScreenShare && t.publication.isSubscribed);
  const screenKey = screenShares.map((t) => t.publication.trackSid).join();
  const present = new Set(tracks.map(tileKey));
  const focusKey = focusTrack ? tileKey(focusTrack) : null;
  const isFocusGone = focusKey !== null && !present.has(focusKey);

  // biome-ignore lint/correctness/useExhaustiveDependencies: screenKey identifies screenShares (a new array each render)
  useEffect(() => {
    const first = screenShares[0];
    if (first && autoFocused.current === null) {
      dispatch?.({ msg: 'set_pin', trackReference: first });
      autoFocused.current = first.publication.trackSid;
    } else if (
      autoFocused.current &&
      !screenShares.some((t) => t.publication.trackSid === autoFocused.current)
    ) {
      dispatch?.({ msg: 'clear_pin' });
      autoFocused.current = null;
    }
  }, [screenKey, dispatch]);

  useEffect(() => {
    // The focused participant left: back to the grid rather than an empty stage.
    if (isFocusGone) dispatch?.({ msg: 'clear_pin' });
  }, [isFocusGone, dispatch]);
}
