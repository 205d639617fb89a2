// Server-sent events on a hijacked reply, for the routes that stream progress (attempt
// provisioning, authoring-test runs): headers, keep-alive comments every 15 s, and one idempotent
// end that runs the route's clean-up whether the client leaves, the route finishes, or the
// server closes (a shutdown never waits for an open stream).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface EventStream {
  send(event: string, data: unknown): void;
  end(): void;
}

export function createEventStreams(app: FastifyInstance) {
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  return function openEventStream(request: FastifyRequest, reply: FastifyReply, onEnd: () => void): EventStream {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    let done = false;
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    const end = () => {
      if (done) return;
      done = true;
      open.delete(end);
      onEnd();
      clearInterval(ping);
      res.end();
    };
    request.raw.on('close', end);
    open.add(end);
    return {
      send: (event, data) => {
        if (!done) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      },
      end,
    };
  };
}
