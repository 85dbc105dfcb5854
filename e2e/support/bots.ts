import { Room } from '@livekit/rtc-node';
import { testEnv } from './env';
import { mintToken } from './tokens';

export interface TBot {
  identity: string;
  room: Room;
  disconnect(): Promise<void>;
}

/** A server-side participant (no media) joining a room through the real SFU. */
export async function joinBot(roomName: string, identity: string): Promise<TBot> {
  const room = new Room();
  await room.connect(
    testEnv.livekitUrl,
    await mintToken(roomName, identity, 'participant', `Bot ${identity}`),
    {
      autoSubscribe: false,
      dynacast: true,
    },
  );
  return { identity, room, disconnect: () => room.disconnect() };
}
