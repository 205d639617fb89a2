// An attempt's terminal recordings for staff replay: the asciicast files the terminal recorder
// wrote under <recordingsDir>/<instanceId>/<node>[@<shell>]-<time>.cast for the attempt's instances.
// File names from a request are checked against that exact shape, so no path leaves the folder.
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ApiError } from '../../lib/api-error';
import type { LoadedAttempt } from '../attempts/attempt-views';

/** `<node>[@<shell>]-<ISO time with : and . as ->.cast`, as TerminalRecorder names them. */
const CAST_NAME = /^([a-z][a-z0-9-]{0,30})(?:@([2-9]))?-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)\.cast$/;
const INSTANCE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

export const recordingSchema = z.object({
  instanceId: z.string(),
  lab: z.string(),
  node: z.string(),
  /** Which shell of the node (1-based; a host may have several terminal tabs). */
  shell: z.number(),
  file: z.string(),
  startedAt: z.date(),
  bytes: z.number(),
});

export type Recording = z.infer<typeof recordingSchema>;

function startedAtOf(stamp: string): Date {
  // 2026-11-26T04-44-04-123Z -> 2026-11-26T04:44:04.123Z
  return new Date(stamp.replace(/T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/, 'T$1:$2:$3.$4Z'));
}

/** Every recording of the attempt's instances, oldest first. */
export async function listRecordings(recordingsDir: string, a: LoadedAttempt): Promise<Recording[]> {
  const found: Recording[] = [];
  for (const inst of a.instances) {
    if (!INSTANCE_ID.test(inst.instanceId)) continue;
    const dir = path.join(recordingsDir, inst.instanceId);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const file of names) {
      const m = CAST_NAME.exec(file);
      if (!m) continue;
      const info = await stat(path.join(dir, file)).catch(() => null);
      if (!info?.isFile()) continue;
      found.push({ instanceId: inst.instanceId, lab: inst.lab, node: m[1]!, shell: Number(m[2] ?? 1), file, startedAt: startedAtOf(m[3]!), bytes: info.size });
    }
  }
  return found.sort((x, y) => x.startedAt.getTime() - y.startedAt.getTime() || x.node.localeCompare(y.node));
}

/** A readable stream of one recording of the attempt, after checking the instance and the name. */
export async function openRecording(recordingsDir: string, a: LoadedAttempt, instanceId: string, file: string) {
  const notFound = () => new ApiError(404, 'RECORDING_NOT_FOUND', `attempt ${a.id} has no recording "${file}" for instance "${instanceId}"`);
  if (!CAST_NAME.test(file)) throw new ApiError(400, 'RECORDING_NAME_INVALID', `"${file.slice(0, 80)}" is not a recording name (<node>[@<shell>]-<time>.cast)`);
  if (!a.instances.some((i) => i.instanceId === instanceId) || !INSTANCE_ID.test(instanceId)) throw notFound();
  const root = path.resolve(recordingsDir);
  const full = path.resolve(root, instanceId, file);
  if (path.dirname(full) !== path.join(root, instanceId)) throw notFound(); // belt and braces: the patterns already forbid separators
  const info = await stat(full).catch(() => null);
  if (!info?.isFile()) throw notFound();
  return { stream: createReadStream(full), bytes: info.size };
}
