import { type RoomOptions, type VideoPreset, VideoPresets } from 'livekit-client';

/** The camera is captured at 720p and sent as three simulcast layers: 180p, 360p and 720p. */
export const CAMERA_SIMULCAST_LAYERS: VideoPreset[] = [VideoPresets.h180, VideoPresets.h360];

/**
 * Options for every meeting Room. adaptiveStream (subscribe at the size a tile is shown) and
 * dynacast (stop encoding layers nobody watches) default to off in livekit-client.
 */
export function meetingRoomOptions(
  devices: { audioDeviceId?: string; videoDeviceId?: string } = {},
): RoomOptions {
  return {
    adaptiveStream: true,
    dynacast: true,
    videoCaptureDefaults: {
      resolution: VideoPresets.h720.resolution,
      ...(devices.videoDeviceId ? { deviceId: devices.videoDeviceId } : {}),
    },
    audioCaptureDefaults: {
      echoCancellation: true,
      noiseSuppression: true,
      ...(devices.audioDeviceId ? { deviceId: devices.audioDeviceId } : {}),
    },
    publishDefaults: {
      simulcast: true,
      videoEncoding: VideoPresets.h720.encoding,
      videoSimulcastLayers: CAMERA_SIMULCAST_LAYERS,
      screenShareEncoding: { maxBitrate: 2_500_000, maxFramerate: 15 },
      dtx: true,
      red: true,
    },
  };
}
