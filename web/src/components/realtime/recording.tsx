'use client';

import type { TRecordingState } from '@convene/api/realtime/contract';
import { useState } from 'react';
import type { TRealtimeClient } from '@/lib/realtime/client';

/** Everyone sees that the meeting is being recorded (and hosts see a failure). */
export function RecordingIndicator({ recording, isHost }: { recording: TRecordingState; isHost: boolean }) {
  if (recording.state === 'idle') return null;
  if (recording.state === 'failed' && !isHost) return null;
  const label: Record<Exclude<TRecordingState['state'], 'idle'>, string> = {
    starting: 'Starting recording…',
    recording: 'Recording',
    stopping: 'Stopping recording…',
    failed: 'Recording failed',
  };
  return (
    <div
      className="cv-rt-recording"
      data-testid="recording-indicator"
      data-state={recording.state}
      role="status"
      title={recording.state === 'failed' ? recording.reason : `Started by ${recording.startedBy.name}`}
    >
      <span className="cv-rt-rec-dot" aria-hidden="true" />
      {label[recording.state]}
    </div>
  );
}

/** Hosts only: Record / Stop, with the in-between states of the recorder. */
export function RecordingToggle({
  client,
  recording,
  isMenuItem = false,
}: {
  client: TRealtimeClient | null;
  recording: TRecordingState;
  /** Rendered as an item of the toolbar's More menu (phones): the label carries the state. */
  isMenuItem?: boolean;
}) {
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const isActive = recording.state === 'recording';
  const isTransition = recording.state === 'starting' || recording.state === 'stopping';

  async function toggle() {
    if (!client) return;
    setIsBusy(true);
    const result = isActive ? await client.stopRecording() : await client.startRecording();
    setIsBusy(false);
    setError(result.ok ? null : result.error.message);
  }

  const label =
    recording.state === 'starting'
      ? 'Starting…'
      : recording.state === 'stopping'
        ? 'Stopping…'
        : isActive
          ? 'Stop recording'
          : recording.state === 'failed'
            ? 'Retry recording'
            : 'Record';
  return (
    <button
      type="button"
      className={isMenuItem ? 'cv-more-item' : 'lk-button cv-rt-tool'}
      role={isMenuItem ? 'menuitem' : undefined}
      data-testid="recording-toggle"
      data-state={recording.state}
      aria-pressed={isMenuItem ? undefined : isActive}
      disabled={!client || isBusy || isTransition}
      title={error ?? (recording.state === 'failed' ? `Recording failed: ${recording.reason}` : undefined)}
      onClick={() => void toggle()}
    >
      <span className={isMenuItem ? 'cv-more-item-icon' : 'cv-rt-tool-icon'} aria-hidden="true">
        <span className="cv-rt-rec-icon" data-active={isActive ? 'true' : undefined} />
      </span>
      {isMenuItem ? label : <span className="cv-rt-tool-label">{label}</span>}
    </button>
  );
}
