// An attempt's terminal recordings for staff replay: the recordings (in the database, written by
// whichever API processes relayed the shells) of the attempt's instances, listed and streamed as
// asciicast v2. A file name from a request is only ever compared with stored names.
import { Readable } from 'node:stream';
import type { DbClient } from '@praxis/db';
import { z } from 'zod';
import { ApiError } from '../../lib/api-error';
import type { LoadedAttempt } from '../attempts/attempt-views';
import { renderAsciicast } from './render-asciicast';

/** `<node>[@<shell>]-<ISO time with : and . as ->.cast`, as recordingFileName makes them. */
const CAST_NAME = /^([a-z][a-z0-9-]{0,30})(?:@([2-9]))?-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)\.cast$/;

export const recordingSchema = z.object({
  instanceId: z.string(),
  lab: z.string(),
  node: z.string(),
  /** Which shell of the node (1-based; a host may have several terminal tabs). */
  shell: z.number(),
  file: z.string(),
  startedAt: z.date(),
  /** Output bytes recorded (the file is somewhat larger: JSON lines with times). */
  bytes: z.number(),
});

export type Recording = z.infer<typeof recordingSchema>;

/** Every recording of the attempt's instances, oldest first. */
export async function listRecordings(db: DbClient, a: LoadedAttempt): Promise<Recording[]> {
  const labOf = new Map(a.instances.map((i) => [i.instanceId, i.lab]));
  const rows = await db.terminalRecording.findMany({ where: { instanceId: { in: [...labOf.keys()] } }, orderBy: [{ startedAt: 'asc' }, { node: 'asc' }] });
  return rows.map((r) => ({ instanceId: r.instanceId, lab: labOf.get(r.instanceId)!, node: r.node, shell: r.shell, file: r.file, startedAt: r.startedAt, bytes: Number(r.endOffset - r.startOffset) }));
}

/** A readable stream of one recording of the attempt, after checking the instance and the name. */
export async function openRecording(db: DbClient, a: LoadedAttempt, instanceId: string, file: string) {
  const notFound = () => new ApiError(404, 'RECORDING_NOT_FOUND', `attempt ${a.id} has no recording "${file}" for instance "${instanceId}"`);
  if (!CAST_NAME.test(file)) throw new ApiError(400, 'RECORDING_NAME_INVALID', `"${file.slice(0, 80)}" is not a recording name (<node>[@<shell>]-<time>.cast)`);
  if (!a.instances.some((i) => i.instanceId === instanceId)) throw notFound();
  const rec = await db.terminalRecording.findFirst({ where: { instanceId, file } });
  if (!rec) throw notFound();
  return { stream: Readable.from(renderAsciicast(db, rec)) };
}
