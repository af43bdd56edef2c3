// The visits feature's server state: due visits, the steward's portfolio, categories, the outbox.
import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../api/client';
import { unwrap } from '../api/query';
import { cached } from '../lib/offline';
import * as outbox from './outbox';

export type Visit = Schemas['VisitBody'];
export type DueVisit = Schemas['DueVisitBody'];
export type Enterprise = Schemas['EnterpriseListItem'];
export type Category = Schemas['CategoryBody'];

export const visitKinds = ['onsite', 'phone', 'online', 'meeting'] as const;

export function useDueVisits(stewardId?: string) {
  return useQuery({
    queryKey: ['visits', 'due', stewardId ?? ''],
    queryFn: () => unwrap(api.GET('/api/v1/visits/due', { params: { query: stewardId ? { steward_id: stewardId } : {} } })),
  });
}

/** usePortfolio is the enterprises the steward serves, kept for offline visit logging. */
export function usePortfolio(stewardId: string) {
  return useQuery({
    queryKey: ['enterprises', 'portfolio', stewardId],
    queryFn: () => cached(`portfolio.${stewardId}`, async () =>
      (await unwrap(api.GET('/api/v1/enterprises', { params: { query: { steward_id: stewardId, limit: 200, sort: 'name' } } }))).items ?? []),
  });
}

export function useCategories() {
  return useQuery({
    queryKey: ['categories', 'active'],
    staleTime: 10 * 60_000,
    queryFn: () => cached('categories', async () =>
      (await unwrap(api.GET('/api/v1/categories', { params: { query: { active: 'true', limit: 200 } } }))).items ?? []),
  });
}

/** searchEnterprises finds enterprises by name, pinyin, initials or credit code (the server's q). */
export async function searchEnterprises(q: string): Promise<Enterprise[]> {
  const page = await unwrap(api.GET('/api/v1/enterprises', { params: { query: { q, limit: 20, status: 'active' } } }));
  return page.items ?? [];
}

/** sender sends the outbox through the generated client. */
export const sender: outbox.Sender = {
  async createVisit(body, key) {
    return unwrap(api.POST('/api/v1/visits', { body, params: { header: { 'Idempotency-Key': key } } }));
  },
  async photoHashes(visitId) {
    const l = await unwrap(api.GET('/api/v1/visits/{id}/photos', { params: { path: { id: visitId } } }));
    return (l.items ?? []).map((p) => p.sha256);
  },
  async uploadPhoto(visitId, p) {
    // openapi-fetch sends a FormData body as multipart with the browser's boundary. Photos are
    // sent in the background from the outbox, so no progress bar is needed (and fetch gives none).
    await unwrap(api.POST('/api/v1/visits/{id}/photos', {
      params: { path: { id: visitId } },
      body: { file: p.name },
      bodySerializer: () => {
        const fd = new FormData();
        fd.append('file', new Blob([p.data], { type: p.type }), p.name);
        return fd;
      },
    }));
  },
};

/** useOutbox answers the user's waiting and refused visits, kept current. */
export function useOutbox(userId: string) {
  const [list, setList] = useState<outbox.OutboxEntry[]>([]);
  useEffect(() => {
    let live = true;
    const load = () => outbox.entries(userId).then((l) => live && setList(l)).catch(() => {});
    load();
    const off = outbox.subscribe(load);
    return () => {
      live = false;
      off();
    };
  }, [userId]);
  return list;
}

/**
 * useOutboxSync sends the outbox when the page opens, when the network returns, and every 30
 * seconds; what was sent refreshes the visit lists. (Saving a visit sends it at once too.)
 */
export function useOutboxSync(userId: string | undefined) {
  const qc = useQueryClient();
  useEffect(() => {
    if (!userId) return;
    let stopped = false;
    const run = async () => {
      if (stopped) return;
      const r = await outbox.flush(userId, sender).catch(() => undefined);
      if (r?.sent.length) {
        qc.invalidateQueries({ queryKey: ['visits'] });
        qc.invalidateQueries({ queryKey: ['tickets'] });
      }
    };
    run();
    window.addEventListener('online', run);
    const timer = setInterval(run, 30_000);
    return () => {
      stopped = true;
      window.removeEventListener('online', run);
      clearInterval(timer);
    };
  }, [userId, qc]);
}
