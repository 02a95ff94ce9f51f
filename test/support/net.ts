import { createServer } from 'node:net';

/** A loopback TCP port free right now (for a process the test starts and must name the port of). */
export const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
