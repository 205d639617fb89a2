// A browser as the API sees it, for tests and benchmarks that drive a real server (or HAProxy
// in front of several) from outside: its cookies, the CSRF token sent with every change, a
// loopback address of its own (Linux answers on all of 127/8, so per-address limits count each
// browser alone), server-sent events followed until a final event, and which process answered
// (the balancer's x-served-by).
import http from 'node:http';

export interface Answer {
  status: number;
  json: any;
  headers: http.IncomingHttpHeaders;
}

/** One simulated browser: cookies, the CSRF token, and a loopback address of its own. */
export class Browser {
  /** How many answers each process gave (x-served-by), when a balancer names it. */
  readonly servedBy = new Map<string, number>();
  private readonly cookies = new Map<string, string>();
  private readonly agent: http.Agent;
  constructor(
    readonly base: string,
    readonly address: string,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  }

  request(method: string, path: string, body?: unknown): Promise<Answer> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = http.request(
        `${this.base}${path}`,
        {
          method,
          agent: this.agent,
          localAddress: this.address,
          headers: {
            ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
            ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
            ...(method !== 'GET' && this.cookies.has('praxis_csrf') ? { 'x-csrf-token': this.cookies.get('praxis_csrf')! } : {}),
          },
          timeout: 300_000,
        },
        (res) => {
          this.keepCookies(res.headers);
          const by = res.headers['x-served-by'];
          if (typeof by === 'string') this.servedBy.set(by, (this.servedBy.get(by) ?? 0) + 1);
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text && /json/.test(res.headers['content-type'] ?? '') ? JSON.parse(text) : text, headers: res.headers }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.end(payload);
    });
  }

  private keepCookies(headers: http.IncomingHttpHeaders) {
    for (const c of headers['set-cookie'] ?? []) {
      const [pair] = c.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at);
      const value = pair!.slice(at + 1);
      if (value) this.cookies.set(name, value);
      else this.cookies.delete(name);
    }
  }

  /** The cookie a WebSocket or another client needs. */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  async ok(method: string, path: string, body?: unknown, expected = [200, 201, 202, 204]) {
    if (method !== 'GET' && !this.cookies.has('praxis_csrf')) await this.request('GET', '/api/auth/csrf');
    const res = await this.request(method, path, body);
    if (!expected.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`);
    return res.json;
  }

  /** Follows a server-sent-event stream until `until` says stop (or it ends); returns the events. */
  events(path: string, until: (event: string, data: any) => boolean, timeoutMs: number): Promise<{ event: string; data: any }[]> {
    return new Promise((resolve, reject) => {
      const seen: { event: string; data: any }[] = [];
      const req = http.request(`${this.base}${path}`, {
        agent: this.agent,
        localAddress: this.address,
        headers: { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '), accept: 'text/event-stream' },
      });
      const timer = setTimeout(() => req.destroy(new Error(`${path}: no final event within ${timeoutMs} ms (${seen.map((e) => e.event).join(',')})`)), timeoutMs);
      req.on('response', (res) => {
        if (res.statusCode !== 200) return reject(new Error(`${path}: ${res.statusCode}`));
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          for (let at = buffer.indexOf('\n\n'); at !== -1; at = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, at);
            buffer = buffer.slice(at + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (!event || data === undefined) continue;
            seen.push({ event, data: JSON.parse(data) });
            if (until(event, JSON.parse(data))) {
              clearTimeout(timer);
              req.destroy();
              return resolve(seen);
            }
          }
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve(seen);
        });
      });
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      req.end();
    });
  }

  close() {
    this.agent.destroy();
  }
}

/** 127.1.x.y: a loopback address per simulated browser. */
export const addressOf = (i: number) => `127.1.${Math.floor(i / 250) % 250}.${(i % 250) + 1}`;
