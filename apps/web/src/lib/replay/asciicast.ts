// Reads an asciicast v2 recording (asciinema's format: a JSON header line, then one
// [seconds, code, data] event per line) into a timeline for replay, with long idle gaps
// shortened to `idleLimit` seconds like asciinema's --idle-time-limit.
export interface CastHeader {
  version: number;
  width: number;
  height: number;
  timestamp?: number;
  title?: string;
}

export interface CastEvent {
  /** Seconds from the start, after idle gaps were capped. */
  time: number;
  /** 'o' output, 'r' resize ("COLSxROWS"), 'm' marker. */
  code: string;
  data: string;
}

export interface Cast {
  header: CastHeader;
  events: CastEvent[];
  /** Seconds, after idle gaps were capped. */
  duration: number;
}

export class CastError extends Error {}

export function parseCast(text: string, idleLimit = 2): Cast {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new CastError('the recording is empty');
  let header: CastHeader;
  try {
    header = JSON.parse(lines[0]!) as CastHeader;
  } catch {
    throw new CastError('the recording does not start with an asciicast header');
  }
  if (header.version !== 2 || !(header.width > 0) || !(header.height > 0)) throw new CastError(`the recording is not asciicast v2 (version ${String(header.version)})`);
  const events: CastEvent[] = [];
  let lastRaw = 0;
  let time = 0;
  for (const line of lines.slice(1)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue; // a line cut by a crash mid-write: skip it, keep the rest
    }
    if (!Array.isArray(parsed) || typeof parsed[0] !== 'number' || typeof parsed[1] !== 'string' || typeof parsed[2] !== 'string') continue;
    const raw = Math.max(parsed[0], lastRaw);
    time += Math.min(raw - lastRaw, idleLimit);
    lastRaw = raw;
    events.push({ time, code: parsed[1], data: parsed[2] });
  }
  return { header, events, duration: events.at(-1)?.time ?? 0 };
}

/** Index of the first event later than `time` (events before it have been played). */
export function eventsUntil(events: CastEvent[], time: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid]!.time <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
