'use client';

import { useRoomContext } from '@livekit/components-react';
import { ConnectionQuality, type Participant, RoomEvent } from 'livekit-client';
import { useEffect } from 'react';
import { useRealtime } from './use-realtime';

const REPORTED: Partial<Record<ConnectionQuality, 'excellent' | 'good' | 'poor' | 'lost'>> = {
  [ConnectionQuality.Excellent]: 'excellent',
  [ConnectionQuality.Good]: 'good',
  [ConnectionQuality.Poor]: 'poor',
  [ConnectionQuality.Lost]: 'lost',
};

/**
 * Sends the local participant's LiveKit connection quality over the realtime link
 * (`quality:report`) whenever it changes, and once when the link comes up, so the admin
 * dashboard can chart it and flag rooms that stay poor. Renders nothing.
 */
export function QualityReporter() {
  const room = useRoomContext();
  const { client, snapshot } = useRealtime();
  const isConnected = snapshot.status === 'connected';

  useEffect(() => {
    if (!client || !isConnected) return;
    const report = (quality: ConnectionQuality) => {
      const value = REPORTED[quality];
      if (value) void client.reportQuality(value);
    };
    report(room.localParticipant.connectionQuality);
    const onChange = (quality: ConnectionQuality, participant: Participant) => {
      if (participant.identity === room.localParticipant.identity) report(quality);
    };
    room.on(RoomEvent.ConnectionQualityChanged, onChange);
    return () => {
      room.off(RoomEvent.ConnectionQualityChanged, onChange);
    };
  }, [client, isConnected, room]);
  return null;
}
