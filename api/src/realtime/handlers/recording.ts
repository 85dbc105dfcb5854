import { startRecording, stopRecording } from '../../recording/control-recording';
import { onEvent } from '../handle-event';
import type { TRealtimeContext, TSocket } from '../types';

export function registerRecordingHandlers(ctx: TRealtimeContext, socket: TSocket): void {
  const { roomId, join } = socket.data;
  const actor = { kind: 'participant', roomId, join } as const;
  onEvent(ctx, socket, 'recording:start', () => startRecording(ctx.recording, actor, join.room));
  onEvent(ctx, socket, 'recording:stop', () => stopRecording(ctx.recording, actor, { room: join.room }));
}
