// Baseline: a bare node:http SSE fan-out. POST /publish (JSON body) writes one frame to every client.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const clients = new Set<ServerResponse>();
let id = 0;
const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/publish') {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      id++;
      const frame = `id: ${id}\nevent: bench\ndata: ${body}\n\n`;
      for (const c of clients) c.write(frame);
      res.end('ok');
    });
    return;
  }
  if (req.url === '/rss') {
    res.end(JSON.stringify({ rss: process.memoryUsage().rss, clients: clients.size }));
    return;
  }
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });
  res.write(': connected\n\n');
  clients.add(res);
  req.on('close', () => clients.delete(res));
});
server.listen(0, '127.0.0.1', () => console.log(`PORT ${(server.address() as AddressInfo).port}`));
