// The portal's API hooks (enterprise users): every call goes through the generated client.
import { useRef } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../api/client';
import { ApiError } from '../api/problem';
import { ifMatch, newIdempotencyKey, unwrap, unwrapTagged, useCursorList, type Tagged } from '../api/query';

export type Ticket = Schemas['TicketBody'];
export type TicketEvent = Schemas['TicketEventBody'];
export type Attachment = Schemas['AttachmentBody'];
export type Category = Schemas['CategoryBody'];
export type Notification = Schemas['NotificationBody'];
export type MyEnterprise = Schemas['MyEnterpriseBody'];
export type Contact = Schemas['ContactBody'];
export type Status = Ticket['status'];

/** The enterprise and who serves it; its ETag is the enterprise's (for the contacts edit). */
export const useMyEnterprise = () => useQuery({
  queryKey: ['portal', 'me'],
  queryFn: () => unwrapTagged(api.GET('/api/v1/me/enterprise')),
  staleTime: 60_000,
});

/** useMyTickets pages my enterprise's requests, newest first (the server scopes them). */
export function useMyTickets(status?: Status) {
  return useCursorList<Ticket>(['tickets', 'portal', status ?? ''], (cursor) =>
    unwrap(api.GET('/api/v1/tickets', { params: { query: { limit: 20, status, cursor } } })));
}

export const useTicket = (id: string) => useQuery({
  queryKey: ['ticket', id],
  queryFn: () => unwrapTagged(api.GET('/api/v1/tickets/{id}', { params: { path: { id } } })),
  retry: (n, e) => !(e instanceof ApiError && (e.status === 404 || e.status === 403)) && n < 2,
});

export const useTicketEvents = (id: string, enabled = true) => useQuery({
  enabled,
  queryKey: ['ticket', id, 'events'],
  queryFn: async () => (await unwrap(api.GET('/api/v1/tickets/{id}/events', { params: { path: { id } } }))).items ?? [],
});

export const useAttachments = (id: string, enabled = true) => useQuery({
  enabled,
  queryKey: ['ticket', id, 'attachments'],
  queryFn: async () => (await unwrap(api.GET('/api/v1/tickets/{id}/attachments', { params: { path: { id } } }))).items ?? [],
});

export const useCategories = () => useQuery({
  queryKey: ['categories', 'all'],
  staleTime: 10 * 60_000,
  queryFn: async () => (await unwrap(api.GET('/api/v1/categories', { params: { query: { limit: 200 } } }))).items ?? [],
});

function useRefresh(id: string) {
  const qc = useQueryClient();
  return () => Promise.all([qc.invalidateQueries({ queryKey: ['ticket', id] }), qc.invalidateQueries({ queryKey: ['tickets'] }),
    qc.invalidateQueries({ queryKey: ['notifications'] })]);
}

export type NewRequest = Schemas['TicketInput'];

/**
 * useSubmitRequest files a request with an Idempotency-Key that stays the same while the body
 * does: a double tap or a retry after a lost answer lands one ticket; an edited body is a new
 * request with a new key.
 */
export function useSubmitRequest() {
  const qc = useQueryClient();
  const last = useRef<{ body: string; key: string } | undefined>(undefined);
  const keyFor = (body: NewRequest) => {
    const s = JSON.stringify(body);
    if (!last.current || last.current.body !== s) last.current = { body: s, key: newIdempotencyKey() };
    return last.current.key;
  };
  const m = useMutation({
    mutationFn: ({ body, key }: { body: NewRequest; key: string }) =>
      unwrap(api.POST('/api/v1/tickets', { body, params: { header: { 'Idempotency-Key': key } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['tickets'] }),
  });
  return { ...m, keyFor };
}

export type Rating = { solved: number; attitude: number; tags: string[]; comment: string };

export function useRate(t: Tagged<Ticket> | undefined) {
  const qc = useQueryClient();
  const refresh = useRefresh(t?.id ?? '');
  return useMutation({
    mutationFn: (r: Rating) => unwrapTagged(api.POST('/api/v1/tickets/{id}/actions/rate', {
      params: { path: { id: t!.id }, header: ifMatch(t!) }, body: r })),
    onSuccess: (fresh) => {
      qc.setQueryData(['ticket', fresh.id], fresh);
      return refresh();
    },
    onError: (e) => {
      if (e instanceof ApiError && e.status === 412) return refresh();
    },
  });
}

export function useComment(id: string) {
  const refresh = useRefresh(id);
  return useMutation({
    mutationFn: (body: string) => unwrap(api.POST('/api/v1/tickets/{id}/comments', { params: { path: { id } }, body: { body, internal: false } })),
    onSuccess: refresh,
  });
}

/**
 * uploadFile attaches one file to a ticket (public: enterprises attach publicly). The generated
 * client sends the documented multipart operation.
 */
export async function uploadFile(id: string, file: File): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file);
  return unwrap(api.POST('/api/v1/tickets/{id}/attachments', {
    params: { path: { id } },
    // openapi-fetch passes a FormData body through as it is (the browser sets the boundary).
    body: form as never,
    bodySerializer: (b: unknown) => b as FormData,
  }));
}

export function useUpload(id: string) {
  const refresh = useRefresh(id);
  return useMutation({ mutationFn: (file: File) => uploadFile(id, file), onSuccess: refresh });
}

export const useNotifications = () => useQuery({
  queryKey: ['notifications', 'portal'],
  queryFn: () => unwrap(api.GET('/api/v1/notifications', { params: { query: { limit: 50 } } })),
  refetchInterval: 60_000,
});

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/v1/notifications/{id}/read', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['notifications'] }),
  });
}

export function useReadAll() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/notifications/read-all')),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['notifications'] }),
  });
}

/** useSaveContacts changes the contacts of my enterprise with the ETag they were read with. */
export function useSaveContacts() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ me, contacts }: { me: Tagged<MyEnterprise>; contacts: Contact[] }) =>
      unwrapTagged(api.PATCH('/api/v1/enterprises/{id}', {
        params: { path: { id: me.enterprise.id }, header: ifMatch(me) }, body: { contacts } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['portal', 'me'] }),
    // A 412: read the fresh version (its ETag) while the form keeps what was typed.
    onError: (e) => { if (e instanceof ApiError && e.status === 412) return qc.invalidateQueries({ queryKey: ['portal', 'me'] }); },
  });
}

export type Project = Schemas['ProjectBody'];
export type Plan = Schemas['PlanBody'];
export type PlanNode = Schemas['PlanNodeBody'];

/** useMyProjects lists my enterprise's projects (the server scopes them to it). */
export const useMyProjects = () => useQuery({
  queryKey: ['portal', 'projects'],
  queryFn: async () => (await unwrap(api.GET('/api/v1/projects', { params: { query: { limit: 200 } } }))).items ?? [],
});

export const useProject = (id: string) => useQuery({
  queryKey: ['project', id],
  queryFn: () => unwrap(api.GET('/api/v1/projects/{id}', { params: { path: { id } } })),
  retry: (n, e) => !(e instanceof ApiError && (e.status === 404 || e.status === 403)) && n < 2,
});

/** useProjectPlan is the project's approval plan, null while it has none (404). */
export const useProjectPlan = (id: string, enabled = true) => useQuery({
  enabled,
  queryKey: ['project', id, 'plan'],
  queryFn: async () => {
    try {
      return await unwrap(api.GET('/api/v1/projects/{id}/plan', { params: { path: { id } } }));
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  },
});
