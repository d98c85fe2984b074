/** Time zones as people look for them: by city ("New York"), with the IANA name the API stores. */
export type TimeZoneOption = { value: string; label: string };

const cityOf = (zone: string) => zone.split('/').pop()!.replace(/_/g, ' ');

let cached: TimeZoneOption[] | undefined;

/** Every IANA zone this runtime knows, labelled "New York (America/New_York)", sorted by city. */
export function timeZoneOptions(): TimeZoneOption[] {
  cached ??= ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')]
    .map((value) => ({ value, label: value === 'UTC' ? 'UTC (no daylight saving)' : `${cityOf(value)} (${value})` }))
    .sort((a, b) => a.label.localeCompare(b.label, 'en'));
  return cached;
}

const squash = (text: string) => text.trim().toLowerCase().replace(/[\s_]+/g, ' ');

/**
 * The IANA zone someone meant: an exact zone name ("america/new_york" too), a city ("New York"), or a
 * label picked from the list ("New York (America/New_York)"). Undefined when it names no zone or is ambiguous.
 */
export function resolveTimeZone(input: string): string | undefined {
  const typed = squash(input);
  if (!typed) return undefined;
  const fromLabel = /\(([^()]+)\)\s*$/.exec(input.trim())?.[1];
  const options = timeZoneOptions();
  const byName = options.find((o) => squash(o.value) === squash(fromLabel ?? input));
  if (byName) return byName.value;
  const byCity = options.filter((o) => squash(cityOf(o.value)) === typed);
  return byCity.length === 1 ? byCity[0]!.value : undefined;
}
