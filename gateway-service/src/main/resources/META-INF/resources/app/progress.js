// A session's progress and ETA, the same on every page. The speed is the gateway's smoothed estimate
// (status `stepsPerSecond`, and `stepsPerSecond` of each live training_update), never the trainer's momentary
// steps_per_second metric: one estimate, computed in one place (the gateway's ProgressRate), shown alike everywhere.

/** The training total of a session: the live status's, else its config's; 0 when unknown. */
export function totalOf(session, status) {
  return (status && status.totalTimesteps) || session?.config?.training?.total_timesteps || 0;
}

/** The step reached: the highest the live status or the session record knows. */
export function stepOf(session, status) {
  return Math.max(status?.step || 0, session?.currentStep || 0);
}

/** The smoothed speed while the session runs; null otherwise (a paused session's last speed is not its speed). */
export function speedOf(session, status) {
  return session?.state === 'running' && status?.stepsPerSecond > 0 ? status.stepsPerSecond : null;
}

/** Seconds to the total at the smoothed speed (the server's formula: remaining steps over speed, rounded up). */
export function etaSeconds(session, status) {
  const sps = speedOf(session, status);
  const total = totalOf(session, status);
  if (sps == null || !total) return null;
  return Math.ceil(Math.max(0, total - stepOf(session, status)) / sps);
}

/**
 * An ETA to a sensible precision: a reader wants "about 2 h 20 min", not seconds that change on every update.
 * Under 10 min to the minute, under an hour to 5 minutes, under two days to 10 minutes, then to the hour.
 */
export function fmtEta(seconds) {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 60) return 'under a minute';
  const minutes = seconds / 60;
  if (minutes < 10) return `about ${Math.round(minutes)} min`;
  if (minutes < 60) return `about ${Math.min(60, Math.round(minutes / 5) * 5)} min`;
  if (minutes < 48 * 60) {
    const m = Math.round(minutes / 10) * 10;
    const h = Math.floor(m / 60);
    return m % 60 ? `about ${h} h ${m % 60} min` : `about ${h} h`;
  }
  const h = Math.round(minutes / 60);
  return `about ${Math.floor(h / 24)} d ${h % 24} h`;
}
