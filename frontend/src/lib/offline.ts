// A little of what the server said, kept in localStorage for when there is no network: who is
// logged in, the categories, the steward's own enterprises. Enough to log a visit offline after
// the app was closed and reopened; the server stays the truth whenever it answers.
import { isApiError } from '../api/problem';

const PREFIX = 'steward.cache.';

export function remember<T>(key: string, value: T): T {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch { /* full or private: nothing kept */ }
  return value;
}

export function recall<T>(key: string): T | undefined {
  try {
    const s = localStorage.getItem(PREFIX + key);
    return s ? (JSON.parse(s) as T) : undefined;
  } catch {
    return undefined;
  }
}

export function forget(key: string) {
  try {
    localStorage.removeItem(PREFIX + key);
  } catch { /* nothing */ }
}

/** cached reads through `read`, keeping the answer; without a network it answers the kept one. */
export async function cached<T>(key: string, read: () => Promise<T>): Promise<T> {
  try {
    return remember(key, await read());
  } catch (e) {
    const kept = isApiError(e) && e.offline ? recall<T>(key) : undefined;
    if (kept !== undefined) return kept;
    throw e;
  }
}

/** isOnline is the browser's word; a failed request says more, but this is what the UI shows. */
export function isOnline() {
  return typeof navigator === 'undefined' || navigator.onLine !== false;
}
