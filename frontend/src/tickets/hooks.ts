// The ticket screens' API hooks: every call goes through the generated client (src/api/).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../api/client';
import { ApiError } from '../api/problem';
import { ifMatch, newIdempotencyKey, unwrap, unwrapTagged, useCursorList, type Tagged } from '../api/query';
import { calendarOf, noCalendar, type Calendar } from './clock';
import type { Ticket } from './rules';

export type TicketEvent = Schemas['TicketEventBody'];
export type Instruction = Schemas['InstructionBody'];
export type Attachment = Schemas['AttachmentBody'];
export type Opinion = Schemas['OpinionBody'];
export type TicketQuery = NonNullable<import('../api/client').paths['/api/v1/tickets']['get']['parameters']['query']>;

export const useTicket = (id: string) => useQuery({
  queryKey: ['ticket', id],
  queryFn: () => unwrapTagged(api.GET('/api/v1/tickets/{id}', { params: { path: { id } } })),
});

export const useTicketEvents = (id: string) => useQuery({
  queryKey: ['ticket', id, 'events'],
  queryFn: async () => (await unwrap(api.GET('/api/v1/tickets/{id}/events', { params: { path: { id } } }))).items ?? [],
});

export const useInstructions = (id: string) => useQuery({
  queryKey: ['ticket', id, 'instructions'],
  queryFn: async () => (await unwrap(api.GET('/api/v1/tickets/{id}/instructions', { params: { path: { id } } }))).items ?? [],
});

export const useAttachments = (id: string) => useQuery({
  queryKey: ['ticket', id, 'attachments'],
  queryFn: async () => (await unwrap(api.GET('/api/v1/tickets/{id}/attachments', { params: { path: { id } } }))).items ?? [],
});

/** useOpinions are the co-handling departments' opinions (staff only: they are internal). */
export const useOpinions = (id: string, enabled = true) => useQuery({
  enabled,
  queryKey: ['ticket', id, 'opinions'],
  queryFn: async () => (await unwrap(api.GET('/api/v1/tickets/{id}/opinions', { params: { path: { id } } }))).items ?? [],
});

/** useGiveOpinion is a co-handling department's opinion to the lead (协办意见). */
export function useGiveOpinion(id: string) {
  const refresh = useRefresh(id);
  return useMutation({
    mutationFn: (body: string) => unwrap(api.POST('/api/v1/tickets/{id}/opinions', { params: { path: { id } }, body: { body } })),
    onSuccess: refresh,
  });
}

/** useTickets pages GET /tickets by keyset cursor with the given server-side filters (later: useCursorList's). */
export function useTickets(filters: TicketQuery, enabled = true, opts?: { later?: boolean }) {
  return useCursorList<Ticket>(['tickets', filters], (cursor) =>
    unwrap(api.GET('/api/v1/tickets', { params: { query: { limit: 50, ...filters, cursor } } })), enabled, opts);
}

export const useDepartments = (enabled = true) => useQuery({
  enabled,
  queryKey: ['departments'],
  staleTime: 10 * 60_000,
  queryFn: async () => (await unwrap(api.GET('/api/v1/departments', { params: { query: { limit: 200 } } }))).items ?? [],
});

export const useCategories = () => useQuery({
  queryKey: ['categories', 'all'],
  staleTime: 10 * 60_000,
  queryFn: async () => (await unwrap(api.GET('/api/v1/categories', { params: { query: { limit: 200 } } }))).items ?? [],
});

/** useCalendar is the working-day calendar of this year and the next (clocks cross New Year). */
export function useCalendar(): Calendar {
  const year = new Date().getFullYear();
  const q = useQuery({
    queryKey: ['calendar', year],
    staleTime: 60 * 60_000,
    queryFn: async () => calendarOf(await Promise.all([year, year + 1].map((y) =>
      unwrap(api.GET('/api/v1/calendar/{year}', { params: { path: { year: y } } }))))),
  });
  return q.data ?? noCalendar;
}

export type MoveInput = {
  action: 'accept' | 'reject' | 'assign' | 'sign' | 'return' | 'request-extension' | 'approve-extension' | 'deny-extension' | 'resolve' | 'waive-opinion';
  body: { urgent?: boolean; reason?: string; department_id?: string; co_department_ids?: string[]; days?: number; resolution?: string };
};

/** move calls the action's own operation with If-Match: a stale ticket answers 412. */
function move(t: Tagged<Ticket>, { action, body }: MoveInput) {
  const params = { path: { id: t.id }, header: ifMatch(t) };
  switch (action) {
    case 'accept': return unwrapTagged(api.POST('/api/v1/tickets/{id}/actions/accept', { params, body: { urgent: !!body.urgent } }));
    case 'reject': return unwrapTagged(api.POST('/api/v1/tickets/{id}/actions/reject', { params, body: { reason: body.reason ?? '' } }));
    case 'assign': return unwrapTagged(api.POST('/api/v1/tickets/{id}/actions/assign', { params, body: {
      department_id: body.department_id ?? '', co_department_ids: (body.co_department_ids ?? []).filter((d) => d !== body.department_id) } }));
    case 'sign': return unwrapTagged(api.POST('/api/v1/tickets/{id}/actions/sign', { params }));
    case 'return': return unwrapTagged(api.POST('/api/v1/tickets/{id}/actions/return', { params, body: { reason: body.reason ?? '' } }));
    case 'request-extension': return unwrapTagged(api.POST('/api/v1/tickets/{id}/actions/request-extension', { params, body: { days: body.days ?? 0, reason: body.reason ?? '' } }));
    case 'approve-extension': return unwrapTagged(api.POST('/api/v1/tickets/{id}/actions/approve-extension', { params }));
    case 'deny-extension': return unwrapTagged(api.POST('/api/v1/tickets/{id}/actions/deny-extension', { params, body: { reason: body.reason ?? '' } }));
    case 'resolve': return unwrapTagged(api.POST('/api/v1/tickets/{id}/actions/resolve', { params, body: { resolution: body.resolution ?? '' } }));
    case 'waive-opinion': return unwrapTagged(api.POST('/api/v1/tickets/{id}/actions/waive-opinion', { params, body: { department_id: body.department_id ?? '', reason: body.reason ?? '' } }));
  }
}

function useRefresh(id: string) {
  const qc = useQueryClient();
  return () => Promise.all([qc.invalidateQueries({ queryKey: ['ticket', id] }), qc.invalidateQueries({ queryKey: ['tickets'] })]);
}

/** useMove takes an action; on success the ticket, its timeline and every list are read again. */
export function useMove(t: Tagged<Ticket> | undefined) {
  const qc = useQueryClient();
  const refresh = useRefresh(t?.id ?? '');
  return useMutation({
    mutationFn: (input: MoveInput) => move(t!, input),
    onSuccess: (fresh) => {
      qc.setQueryData(['ticket', fresh.id], fresh);
      return refresh();
    },
    onError: (e) => {
      // A stale ticket, or opinions owed that the page may not know of yet: read it all again.
      if (e instanceof ApiError && (e.status === 412 || e.code === 'opinions_pending')) return refresh();
    },
  });
}

export function useComment(id: string) {
  const refresh = useRefresh(id);
  return useMutation({
    mutationFn: (b: { body: string; internal: boolean }) =>
      unwrap(api.POST('/api/v1/tickets/{id}/comments', { params: { path: { id } }, body: b })),
    onSuccess: refresh,
  });
}

export function useInstruct(id: string) {
  const refresh = useRefresh(id);
  return useMutation({
    mutationFn: (body: string) => unwrap(api.POST('/api/v1/tickets/{id}/instructions', { params: { path: { id } }, body: { body } })),
    onSuccess: refresh,
  });
}

export function useAnswer(id: string) {
  const refresh = useRefresh(id);
  return useMutation({
    mutationFn: (a: { instruction: string; answer: string }) =>
      unwrap(api.POST('/api/v1/tickets/{id}/instructions/{instruction_id}/answer', {
        params: { path: { id, instruction_id: a.instruction } }, body: { answer: a.answer } })),
    onSuccess: refresh,
  });
}

/**
 * useUpload sends a file with progress. openapi-fetch has no upload progress, so this one call
 * is an XMLHttpRequest to the documented operation (POST /tickets/{id}/attachments, multipart).
 */
export function useUpload(id: string, onProgress: (percent: number) => void) {
  const refresh = useRefresh(id);
  return useMutation({
    mutationFn: ({ file, internal }: { file: File; internal: boolean }) => new Promise<Attachment>((resolve, reject) => {
      const form = new FormData();
      form.append('file', file);
      form.append('internal', String(internal));
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `/api/v1/tickets/${encodeURIComponent(id)}/attachments`);
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
      xhr.onload = () => {
        let body: unknown;
        try { body = JSON.parse(xhr.responseText); } catch { body = undefined; }
        if (xhr.status >= 200 && xhr.status < 300) resolve(body as Attachment);
        else reject(new ApiError(xhr.status, body as object, xhr.getResponseHeader('X-Request-Id') ?? undefined));
      };
      xhr.onerror = () => reject(new ApiError(0, { title: 'offline' }));
      xhr.send(form);
    }),
    onSuccess: refresh,
  });
}

export function useCreateTicket() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: Schemas['TicketInput']; key: string }) =>
      unwrap(api.POST('/api/v1/tickets', { body, params: { header: { 'Idempotency-Key': key } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['tickets'] }),
  });
}
export { newIdempotencyKey };
