import { startRecording, stopRecording } from '../../recording/control-recording';
import { onEvent } from '../handle-event';
import type { TRealtimeContext, TSocket } from '../types';

export function registerRecordingHandlers(ctx: TRealtimeContext, socket: TSocket): void {
  const actor = { roomId: socket.data.roomId, join: socket.data.join };
  onEvent(ctx, socket, 'recording:start', () => startRecording(ctx.recording, actor));
  onEvent(ctx, socket, 'recording:stop', () => stopRecording(ctx.recording, actor));
}
