// The Docker engines a deployment places lab instances on, and the one way to reach each: a local
// socket, tcp:// with TLS client certificates (a remote Docker API without TLS is root on that
// host for anyone on the network, so it is refused), or ssh:// (dockerode over ssh2). Specs come
// from PRAXIS_ENGINES (inline JSON or a JSON file) and are checked with zod; certificate files
// are read once, here, and a missing one is named.
import { readFileSync } from 'node:fs';
import Docker from 'dockerode';
import { z } from 'zod';
import { SandboxError } from './instance.types';

export const engineSpecSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'an id of lower-case letters, digits and dashes (at most 31)'),
    url: z.string().regex(/^(unix:\/\/\/.+|tcp:\/\/[^/]+|ssh:\/\/[^/]+)$/, 'unix:///path/to/docker.sock, tcp://host:port or ssh://user@host[:port]'),
    /** Lab instances this engine holds at most. */
    capacity: z.number().int().min(1).max(10_000),
    /** For tcp://: files of the CA that signed the engine's certificate, and this client's certificate and key. */
    tls: z.strictObject({ ca: z.string().min(1), cert: z.string().min(1), key: z.string().min(1) }).optional(),
    /** For ssh://: a private key file, or an ssh-agent socket. */
    ssh: z.strictObject({ privateKey: z.string().min(1).optional(), agent: z.string().min(1).optional() }).optional(),
  })
  .superRefine((e, ctx) => {
    if (e.url.startsWith('tcp://') && !e.tls) ctx.addIssue({ code: 'custom', path: ['tls'], message: 'a tcp:// engine needs tls {ca, cert, key}: without TLS its API is open to anyone on the network' });
    if (!e.url.startsWith('tcp://') && e.tls) ctx.addIssue({ code: 'custom', path: ['tls'], message: 'tls is for tcp:// engines only' });
    if (!e.url.startsWith('ssh://') && e.ssh) ctx.addIssue({ code: 'custom', path: ['ssh'], message: 'ssh is for ssh:// engines only' });
  });

export type EngineSpec = z.infer<typeof engineSpecSchema>;

export const engineListSchema = z
  .array(engineSpecSchema)
  .min(1)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((e, i) => {
      if (seen.has(e.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `engine id "${e.id}" is listed twice` });
      seen.add(e.id);
    });
  });

/** An engine with its certificate and key contents loaded. */
export interface ResolvedEngine extends EngineSpec {
  credentials?: { ca: Buffer; cert: Buffer; key: Buffer } | { privateKey?: Buffer; agent?: string };
}

export class EngineConfigError extends Error {
  readonly code = 'ENGINE_CONFIG_INVALID';
}

/** Parses PRAXIS_ENGINES (a JSON array, or the path of a file holding one) and reads the credentials it names. */
export function loadEngineSpecs(value: string): ResolvedEngine[] {
  let text = value.trim();
  let where = 'PRAXIS_ENGINES';
  if (!text.startsWith('[')) {
    where = value;
    try {
      text = readFileSync(value, 'utf8');
    } catch (error) {
      throw new EngineConfigError(`PRAXIS_ENGINES: cannot read ${value} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); give a JSON array or the path of a file holding one`);
    }
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new EngineConfigError(`${where}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = engineListSchema.safeParse(raw);
  if (!parsed.success) {
    const at = (path: PropertyKey[]) => (path.length ? `engines[${String(path[0])}]${path.slice(1).map((p) => `.${String(p)}`).join('')}` : 'engines');
    throw new EngineConfigError(`${where}: ${parsed.error.issues.map((i) => `${at(i.path)}: ${i.message}`).join('; ')}`);
  }
  const read = (engine: string, field: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new EngineConfigError(`${where}: engine "${engine}": ${field} file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  };
  return parsed.data.map((e) => ({
    ...e,
    ...(e.tls ? { credentials: { ca: read(e.id, 'tls.ca', e.tls.ca), cert: read(e.id, 'tls.cert', e.tls.cert), key: read(e.id, 'tls.key', e.tls.key) } } : {}),
    ...(e.ssh ? { credentials: { privateKey: e.ssh.privateKey ? read(e.id, 'ssh.privateKey', e.ssh.privateKey) : undefined, agent: e.ssh.agent } } : {}),
  }));
}

/** The Docker API client of one engine. */
export function connectEngine(engine: Pick<ResolvedEngine, 'url' | 'credentials'>): Docker {
  const url = new URL(engine.url);
  if (url.protocol === 'unix:') return new Docker({ socketPath: url.pathname });
  if (url.protocol === 'tcp:') {
    const tls = engine.credentials && 'ca' in engine.credentials ? engine.credentials : undefined;
    return new Docker({ host: url.hostname, port: Number(url.port || (tls ? 2376 : 2375)), protocol: tls ? 'https' : 'http', ...(tls ?? {}) });
  }
  if (url.protocol === 'ssh:') {
    const ssh = engine.credentials && !('ca' in engine.credentials) ? engine.credentials : {};
    return new Docker({
      protocol: 'ssh',
      host: url.hostname,
      port: Number(url.port || 22),
      username: decodeURIComponent(url.username) || 'root',
      sshOptions: { ...(ssh.privateKey ? { privateKey: ssh.privateKey } : {}), ...(ssh.agent ? { agent: ssh.agent } : {}) },
    } as Docker.DockerOptions);
  }
  throw new SandboxError('ENGINE_URL_INVALID', `${engine.url} is not a unix://, tcp:// or ssh:// engine`);
}

/** The engines of a deployment by id, each with its client. */
export class EngineSet {
  private readonly clients = new Map<string, Docker>();

  constructor(readonly engines: readonly ResolvedEngine[]) {
    for (const e of engines) this.clients.set(e.id, connectEngine(e));
  }

  get ids(): string[] {
    return this.engines.map((e) => e.id);
  }

  /** The instances of every engine together. */
  get capacity(): number {
    return this.engines.reduce((n, e) => n + e.capacity, 0);
  }

  get(id: string): Docker {
    const client = this.clients.get(id);
    if (!client) throw new SandboxError('ENGINE_UNKNOWN', `no engine "${id}" is configured (engines: ${this.ids.join(', ')})`);
    return client;
  }

  has(id: string): boolean {
    return this.clients.has(id);
  }
}

/** Whether the engine answers within `timeoutMs`; the error's sentence when it does not. */
export async function pingEngine(docker: Docker, timeoutMs = 3000): Promise<{ up: true } | { up: false; error: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      docker.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { up: true };
  } catch (error) {
    return { up: false, error: (error as Error).message.slice(0, 500) };
  } finally {
    clearTimeout(timer);
  }
}
