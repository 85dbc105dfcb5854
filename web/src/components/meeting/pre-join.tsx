'use client';

import type { LocalUserChoices } from '@livekit/components-react';
import {
  MediaDeviceMenu,
  TrackToggle,
  usePersistentUserChoices,
  usePreviewTracks,
} from '@livekit/components-react';
import { type LocalAudioTrack, type LocalVideoTrack, Track } from 'livekit-client';
import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { describeDeviceError } from '@/lib/meeting/device-error';
import { initials } from '@/lib/meeting/initials';
import { RECORDING_NOTICE_ID, RecordingConsentNotice, useRoomStatus } from './recording-notice';

export interface TPreJoinProps {
  roomName: string;
  /** Shown above the form: why we are back here (an API error, a dropped connection). */
  error: string | null;
  isJoining: boolean;
  /** A join link's display name (the integrator's): shown read-only and not saved. */
  fixedName?: string;
  onJoin: (choices: LocalUserChoices) => void;
}

const MAX_NAME = 64;

/** Camera preview, mic/camera toggles with device pickers, display name, Join. */
export function PreJoin({ roomName, error, isJoining, fixedName, onJoin }: TPreJoinProps) {
  // Saved in localStorage (name, devices, on/off), so the next meeting starts the same way.
  const {
    userChoices: saved,
    saveAudioInputDeviceId,
    saveAudioInputEnabled,
    saveVideoInputDeviceId,
    saveVideoInputEnabled,
    saveUsername,
  } = usePersistentUserChoices({});
  const [audioEnabled, setAudioEnabled] = useState(saved.audioEnabled);
  const [videoEnabled, setVideoEnabled] = useState(saved.videoEnabled);
  const [audioDeviceId, setAudioDeviceId] = useState(saved.audioDeviceId);
  const [videoDeviceId, setVideoDeviceId] = useState(saved.videoDeviceId);
  const [typedName, setUsername] = useState(saved.username);
  const username = fixedName ?? typedName;
  const [deviceError, setDeviceError] = useState<string | null>(null);
  // Polled: a recording that starts while this page is open is shown before anything is published.
  const isRecording = useRoomStatus(roomName)?.recording === true;

  useEffect(() => saveAudioInputEnabled(audioEnabled), [audioEnabled, saveAudioInputEnabled]);
  useEffect(() => saveVideoInputEnabled(videoEnabled), [videoEnabled, saveVideoInputEnabled]);
  useEffect(() => saveAudioInputDeviceId(audioDeviceId), [audioDeviceId, saveAudioInputDeviceId]);
  useEffect(() => saveVideoInputDeviceId(videoDeviceId), [videoDeviceId, saveVideoInputDeviceId]);

  // Stable: usePreviewTracks recreates the tracks whenever this callback changes.
  const onDeviceError = useCallback((err: Error) => setDeviceError(describeDeviceError(err)), []);
  // Device switches go through MediaDeviceMenu on the live track; only on/off recreates tracks.
  const tracks = usePreviewTracks(
    {
      audio: audioEnabled ? { deviceId: saved.audioDeviceId } : false,
      video: videoEnabled ? { deviceId: saved.videoDeviceId } : false,
    },
    onDeviceError,
  );
  const videoTrack = useMemo(
    () => tracks?.find((t) => t.kind === Track.Kind.Video) as LocalVideoTrack | undefined,
    [tracks],
  );
  const audioTrack = useMemo(
    () => tracks?.find((t) => t.kind === Track.Kind.Audio) as LocalAudioTrack | undefined,
    [tracks],
  );

  // Allowed after all (site settings, a device plugged in): the warning no longer applies.
  useEffect(() => {
    const complete = (!audioEnabled || !!audioTrack) && (!videoEnabled || !!videoTrack);
    if (complete && (audioTrack || videoTrack)) setDeviceError(null);
  }, [audioEnabled, videoEnabled, audioTrack, videoTrack]);

  const videoEl = useRef<HTMLVideoElement>(null);
  // Until the first frame plays, the avatar covers the (black) video element.
  const [isPreviewPlaying, setIsPreviewPlaying] = useState(false);
  useEffect(() => {
    const el = videoEl.current;
    if (!el || !videoTrack) return;
    videoTrack.attach(el);
    return () => {
      videoTrack.detach(el);
    };
  }, [videoTrack]);

  const trimmed = username.trim();
  const nameError = trimmed.length > MAX_NAME ? `Use at most ${MAX_NAME} characters.` : null;
  const canJoin = trimmed.length > 0 && !nameError && !isJoining;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!canJoin) return;
    if (fixedName === undefined) saveUsername(trimmed);
    // A device the browser refused here would be refused again in the room: join without it.
    onJoin({
      username: trimmed,
      audioEnabled: audioEnabled && (!deviceError || !!audioTrack),
      videoEnabled: videoEnabled && (!deviceError || !!videoTrack),
      audioDeviceId,
      videoDeviceId,
    });
  }

  const hasVideo = videoEnabled && !!videoTrack;
  const showPreview = hasVideo && isPreviewPlaying;
  return (
    <main className="cv-prejoin" data-lk-theme="default">
      <section className="cv-prejoin-media" aria-label="Camera and microphone">
        <div className="cv-preview">
          <video
            ref={videoEl}
            data-testid="preview-video"
            muted
            playsInline
            hidden={!hasVideo}
            onPlaying={() => setIsPreviewPlaying(true)}
            onEmptied={() => setIsPreviewPlaying(false)}
          />
          {!showPreview && (
            <div className="cv-preview-off">
              <span className="cv-avatar" aria-hidden="true">
                {initials(trimmed) || '?'}
              </span>
              <span className="cv-muted" data-testid="preview-status">
                {!videoEnabled ? 'Camera is off' : deviceError ? 'Camera unavailable' : 'Starting camera…'}
              </span>
            </div>
          )}
        </div>
        <div className="cv-device-row">
          <div className="lk-button-group">
            <TrackToggle
              source={Track.Source.Microphone}
              initialState={audioEnabled}
              onChange={(enabled) => setAudioEnabled(enabled)}
              data-testid="prejoin-mic"
            >
              Microphone
            </TrackToggle>
            <div className="lk-button-group-menu">
              <MediaDeviceMenu
                kind="audioinput"
                initialSelection={audioDeviceId}
                disabled={!audioTrack}
                tracks={{ audioinput: audioTrack }}
                onActiveDeviceChange={(_, id) => setAudioDeviceId(id)}
                aria-label="Choose microphone"
              />
            </div>
          </div>
          <div className="lk-button-group">
            <TrackToggle
              source={Track.Source.Camera}
              initialState={videoEnabled}
              onChange={(enabled) => setVideoEnabled(enabled)}
              data-testid="prejoin-camera"
            >
              Camera
            </TrackToggle>
            <div className="lk-button-group-menu">
              <MediaDeviceMenu
                kind="videoinput"
                initialSelection={videoDeviceId}
                disabled={!videoTrack}
                tracks={{ videoinput: videoTrack }}
                onActiveDeviceChange={(_, id) => setVideoDeviceId(id)}
                aria-label="Choose camera"
              />
            </div>
          </div>
        </div>
        {deviceError && (
          <p className="cv-warning" role="status" data-testid="device-error">
            {deviceError} You can still join without them.
          </p>
        )}
      </section>

      <section className="cv-prejoin-form" aria-labelledby="cv-prejoin-title">
        <p className="cv-muted cv-eyebrow">Joining</p>
        <h1 id="cv-prejoin-title" className="cv-room-title">
          {roomName}
        </h1>
        <RecordingConsentNotice isRecording={isRecording} />
        <form onSubmit={onSubmit} noValidate>
          <label htmlFor="cv-display-name" className="cv-label">
            Your name
          </label>
          <input
            id="cv-display-name"
            className="cv-input"
            data-testid="display-name"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            readOnly={fixedName !== undefined}
            aria-readonly={fixedName !== undefined ? true : undefined}
            placeholder="How others will see you"
            autoComplete="name"
            maxLength={MAX_NAME + 16}
            aria-invalid={nameError ? true : undefined}
          />
          {nameError && <p className="cv-error">{nameError}</p>}
          {error && (
            <p className="cv-error cv-error-box" role="alert" data-testid="join-error">
              {error}
            </p>
          )}
          <button
            type="submit"
            className="cv-button cv-button-primary cv-button-large cv-button-block"
            data-testid="join"
            disabled={!canJoin}
            aria-describedby={isRecording ? RECORDING_NOTICE_ID : undefined}
          >
            {isJoining ? 'Joining…' : 'Join meeting'}
          </button>
        </form>
        <a className="cv-link-muted" href="/">
          Back to start
        </a>
      </section>
    </main>
  );
}
