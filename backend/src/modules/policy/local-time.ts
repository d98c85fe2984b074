// Wall-clock time in an IANA zone, with Intl only (no tz library): enough for sending windows.
export type LocalDateTime = { year: number; month: number; day: number; hour: number; minute: number };

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock reading in `timeZone` at `instant` (seconds dropped). */
export function localDateTime(instant: Date, timeZone: string): LocalDateTime {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(instant).map((p) => [p.type, Number(p.value)]));
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! };
}

/** Offset of `timeZone` from UTC at `instant`, in minutes (New York in winter: -300). */
function offsetMinutes(instant: Date, timeZone: string): number {
  const l = localDateTime(instant, timeZone);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute);
  return Math.round((asUtc - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000);
}

const sameMinute = (a: LocalDateTime, b: LocalDateTime) =>
  a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;

/**
 * The instant at which `timeZone` shows `local`. Across DST: a wall time that happens twice (fall back)
 * gives its first occurrence; one that never happens (spring-forward gap) gives the moment the clocks jump,
 * the first instant whose local time is later than `local`.
 */
export function instantAt(local: LocalDateTime, timeZone: string): Date {
  const naive = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  // The offset at the target is one of the offsets around it: try those seen a day either side.
  const offsets = new Set([-1, 0, 1].map((days) => offsetMinutes(new Date(naive + days * 86_400_000), timeZone)));
  const candidates = [...offsets].map((offset) => new Date(naive - offset * 60_000)).sort((a, b) => a.getTime() - b.getTime());
  const exact = candidates.find((candidate) => sameMinute(localDateTime(candidate, timeZone), local));
  if (exact) return exact;
  // In a gap: walk from the earlier candidate (before the jump) to the first minute past the wanted time.
  const wanted = naive;
  for (let t = candidates[0]!.getTime(); t <= candidates.at(-1)!.getTime(); t += 60_000) {
    const l = localDateTime(new Date(t), timeZone);
    if (Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute) >= wanted) return new Date(t);
  }
  return candidates.at(-1)!;
}

/** The calendar day after `local`'s (month and year boundaries included). */
export function nextDay(local: LocalDateTime): Pick<LocalDateTime, 'year' | 'month' | 'day'> {
  const d = new Date(Date.UTC(local.year, local.month - 1, local.day + 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
