/**
 * A correlation's timespan as the short duration text both KQL (`bin(t, 5m)`, a timespan
 * literal) and SPL (`span=5m`, `time_window=5m`) accept: the largest unit that divides it.
 */
export function timespanText(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
