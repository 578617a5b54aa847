/** One JSON line per event (`{"event":"registered","app":"REVIEWS",...}`): greppable and machine-readable. */
export type SyncLog = (event: string, fields?: Record<string, unknown>) => void;

export function jsonLineLog(write: (line: string) => void): SyncLog {
  return (event, fields = {}) => write(JSON.stringify({ time: new Date().toISOString(), event, ...fields }));
}
