// Baseline: a bare Socket.IO server that broadcasts each chat:send payload to the room and acks.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

const httpServer = createServer();
const io = new Server(httpServer, { maxHttpBufferSize: 64 * 1024 });
io.on('connection', (socket) => {
  void socket.join('bench');
  socket.on('chat:send', (payload: unknown, ack: (r: unknown) => void) => {
    io.to('bench').emit('chat:message', payload);
    ack({ ok: true, data: payload });
  });
});
httpServer.listen(0, '127.0.0.1', () => {
  console.log(`PORT ${(httpServer.address() as AddressInfo).port}`);
});
