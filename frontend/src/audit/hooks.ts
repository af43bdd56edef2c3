// The audit log's API hooks (auditors only): the log with its filters, a record's reveal (itself
// audited) and the hash chain's verification.
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, type Schemas } from '../api/client';
import { unwrap, useCursorList } from '../api/query';

export type AuditRecord = Schemas['AuditBody'];
export type AuditFilter = { entity?: string; entity_id?: string; actor_id?: string; from?: string; to?: string };

export const useAuditLog = (f: AuditFilter, enabled: boolean) =>
  useCursorList(['audit', f], (cursor) => unwrap(api.GET('/api/v1/audit', { params: { query: { ...f, cursor, limit: 50 } } })), enabled);

export const useRevealAudit = () =>
  useMutation({ mutationFn: (id: number) => unwrap(api.POST('/api/v1/audit/{id}/reveal', { params: { path: { id } } })) });

/** useVerifyAudit checks the chain when asked (it reads every record). */
export const useVerifyAudit = () =>
  useQuery({ queryKey: ['audit', 'verify'], enabled: false, retry: false,
    queryFn: () => unwrap(api.GET('/api/v1/audit/verify')) });
