// Baseline: a bare `ws` server that relays every message to every client.
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
wss.on('connection', (socket) => {
  socket.on('message', (data) => {
    const text = data.toString();
    for (const client of wss.clients) client.send(text);
  });
});
wss.on('listening', () => console.log(`PORT ${(wss.address() as AddressInfo).port}`));
