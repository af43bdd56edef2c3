// The visit outbox (DESIGN.md §6): every visit is first written to IndexedDB with its own
// Idempotency-Key and visited_at, then sent. A visit saved without a network waits here (待同步)
// and goes when the network returns — also after the page was closed and reopened — and the key
// makes the server record it once however often it is sent. A refused visit (422) stays, with
// the server's words, until the steward corrects or discards it.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Schemas } from '../api/client';
import { ApiError, isApiError, type Problem } from '../api/problem';

export type VisitInput = Schemas['Create-visitRequest'];

export type OutboxPhoto = { id: string; name: string; type: string; data: ArrayBuffer; sha256?: string; sent: boolean };

export type OutboxEntry = {
  /** The Idempotency-Key of the POST /visits, made once when the visit was saved. */
  key: string;
  /** Whose visit it is: only they send it. */
  userId: string;
  /** For the list: the enterprise's name. */
  label: string;
  body: VisitInput;
  photos: OutboxPhoto[];
  savedAt: string;
  /** Set once the server recorded the visit; photos then go to it. */
  visitId?: string;
  ticketIds?: string[];
  attempts: number;
  /** waiting: to send; failed: the server refused it (422 …) and a person must look. */
  state: 'waiting' | 'failed';
  problem?: Problem;
};

/** Sender is how the outbox reaches the server (the generated client in the app; fakes in tests). */
export type Sender = {
  createVisit(body: VisitInput, key: string): Promise<{ id: string; ticket_ids?: string[] | null }>;
  photoHashes(visitId: string): Promise<string[]>;
  uploadPhoto(visitId: string, photo: OutboxPhoto): Promise<void>;
};

interface OutboxDB extends DBSchema {
  outbox: { key: string; value: OutboxEntry; indexes: { byUser: string } };
}

let dbp: Promise<IDBPDatabase<OutboxDB>> | undefined;
function db() {
  dbp ??= openDB<OutboxDB>('steward-outbox', 1, {
    upgrade(d) {
      d.createObjectStore('outbox', { keyPath: 'key' }).createIndex('byUser', 'userId');
    },
  });
  return dbp;
}

/** closeForTest drops the open connection, as a closed page does. */
export async function closeForTest() {
  if (dbp) (await dbp).close();
  dbp = undefined;
}

const listeners = new Set<() => void>();
/** subscribe calls f whenever the outbox changes (in this page or, by storage events, another tab). */
export function subscribe(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}
function changed() {
  for (const f of listeners) f();
  try {
    localStorage.setItem('steward.outbox.changed', String(Date.now()));
  } catch { /* private mode */ }
}
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (e) => e.key === 'steward.outbox.changed' && listeners.forEach((f) => f()));
}

export async function enqueue(e: Omit<OutboxEntry, 'attempts' | 'state'>): Promise<OutboxEntry> {
  const entry: OutboxEntry = { ...e, attempts: 0, state: 'waiting' };
  await (await db()).put('outbox', entry);
  changed();
  return entry;
}

export async function entries(userId: string): Promise<OutboxEntry[]> {
  const all = await (await db()).getAllFromIndex('outbox', 'byUser', userId);
  return all.sort((a, b) => a.savedAt.localeCompare(b.savedAt));
}

export async function get(key: string) {
  return (await db()).get('outbox', key);
}

export async function discard(key: string) {
  await (await db()).delete('outbox', key);
  changed();
}

/**
 * retry puts a refused entry back in line. A corrected body goes under a new key: the server
 * recorded nothing for the refused one, and the same key with another body would be refused.
 */
export async function retry(key: string, body?: VisitInput, newKey?: string) {
  const d = await db();
  const e = await d.get('outbox', key);
  if (!e) return;
  const next: OutboxEntry = { ...e, state: 'waiting', problem: undefined };
  if (body && newKey && !e.visitId) {
    next.body = body;
    next.key = newKey;
    await d.delete('outbox', key);
  }
  await d.put('outbox', next);
  changed();
}

// Errors worth trying again: no network, a server not ready, the first send still in flight (409
// of the idempotency rule), the session gone (sent after the next login). Anything else is a
// refusal that sending again will not change.
function transient(e: unknown) {
  if (!isApiError(e)) return true;
  return e.offline || e.status >= 500 || e.status === 408 || e.status === 409 || e.status === 401 || e.status === 429;
}

export type FlushResult = { sent: string[]; failed: string[]; waiting: string[] };

let running: Promise<FlushResult> | undefined;

/**
 * flush sends the user's waiting visits, oldest first, one at a time (never two sends of one
 * entry at once in this page; another tab's send of the same entry is made harmless by the key).
 * A sent visit leaves the outbox once its photos are up.
 */
export function flush(userId: string, sender: Sender): Promise<FlushResult> {
  running ??= doFlush(userId, sender).finally(() => (running = undefined));
  return running;
}

async function doFlush(userId: string, sender: Sender): Promise<FlushResult> {
  const res: FlushResult = { sent: [], failed: [], waiting: [] };
  for (const e of await entries(userId)) {
    if (e.state !== 'waiting') continue;
    const d = await db();
    try {
      if (!e.visitId) {
        e.attempts++;
        await d.put('outbox', e);
        const v = await sender.createVisit(e.body, e.key);
        e.visitId = v.id;
        e.ticketIds = v.ticket_ids ?? [];
        await d.put('outbox', e);
        changed();
      }
      const pending = e.photos.filter((p) => !p.sent);
      if (pending.length) {
        // A photo whose answer was lost may be there already: the server lists its sha256.
        const there = new Set(await sender.photoHashes(e.visitId));
        for (const p of pending) {
          if (!p.sha256 || !there.has(p.sha256)) await sender.uploadPhoto(e.visitId, p);
          p.sent = true;
          await d.put('outbox', e);
        }
      }
      await d.delete('outbox', e.key);
      changed();
      res.sent.push(e.key);
    } catch (err) {
      if (transient(err)) {
        res.waiting.push(e.key);
        if (isApiError(err) && (err.offline || err.status === 401)) break; // the rest would fail the same way
        continue;
      }
      e.state = 'failed';
      e.problem = isApiError(err) ? err.problem : new ApiError(0, { detail: String(err) }).problem;
      await d.put('outbox', e);
      changed();
      res.failed.push(e.key);
    }
  }
  return res;
}

/** sha256 of a photo, for the check above (undefined where the browser offers no subtle crypto). */
export async function sha256(data: ArrayBuffer): Promise<string | undefined> {
  if (!globalThis.crypto?.subtle) return undefined;
  const h = await crypto.subtle.digest('SHA-256', data);
  return [...new Uint8Array(h)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
