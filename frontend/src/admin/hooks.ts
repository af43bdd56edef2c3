// The administration's API hooks: users, departments, categories, the calendar, webhooks and
// imports (shared/API.md). Single resources carry their ETag, so a change sends If-Match.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../api/client';
import { ifMatch, unwrap, unwrapTagged, useCursorList, type Tagged } from '../api/query';

export type User = Schemas['UserBody'];
export type Department = Schemas['DepartmentBody'];
export type Category = Schemas['CategoryBody'];
export type CalendarYear = Schemas['CalendarYearBody'];
export type Webhook = Schemas['WebhookBody'];
export type Import = Schemas['ImportBody'];

export type UserFilter = { q?: string; role?: User['role']; status?: User['status'] };

export const useUsers = (f: UserFilter) =>
  useCursorList(['users', f], (cursor) => unwrap(api.GET('/api/v1/users', { params: { query: { ...f, cursor, limit: 50 } } })));

export const useUser = (id?: string) => useQuery({ queryKey: ['user', id], enabled: !!id,
  queryFn: () => unwrapTagged(api.GET('/api/v1/users/{id}', { params: { path: { id: id! } } })) });

function useInvalidate(...keys: string[]) {
  const qc = useQueryClient();
  return () => keys.forEach((k) => qc.invalidateQueries({ queryKey: [k] }));
}

export const useCreateUser = () => {
  const done = useInvalidate('users');
  return useMutation({ mutationFn: (body: Schemas['Create-userRequest']) => unwrap(api.POST('/api/v1/users', { body })), onSuccess: done });
};

export const useUpdateUser = () => {
  const done = useInvalidate('users', 'user');
  return useMutation({
    mutationFn: ({ user, patch }: { user: Tagged<User>; patch: Schemas['Update-userRequest'] }) =>
      unwrapTagged(api.PATCH('/api/v1/users/{id}', { params: { path: { id: user.id }, header: ifMatch(user) }, body: patch })),
    onSuccess: done,
  });
};

export const useUnlockUser = () => {
  const done = useInvalidate('users', 'user');
  return useMutation({ mutationFn: (id: string) => unwrap(api.POST('/api/v1/users/{id}/unlock', { params: { path: { id } } })), onSuccess: done });
};

export const useResetPassword = () => {
  const done = useInvalidate('users', 'user');
  return useMutation({
    mutationFn: ({ id, password }: { id: string; password: string }) =>
      unwrap(api.POST('/api/v1/users/{id}/reset-password', { params: { path: { id } }, body: { password } })),
    onSuccess: done,
  });
};

export const useRevealUser = () =>
  useMutation({ mutationFn: (id: string) => unwrap(api.POST('/api/v1/users/{id}/reveal', { params: { path: { id } } })) });

export const useDepartments = () => useQuery({ queryKey: ['departments'],
  queryFn: () => unwrap(api.GET('/api/v1/departments', { params: { query: { limit: 200 } } })) });

export const useCreateDepartment = () => {
  const done = useInvalidate('departments');
  return useMutation({ mutationFn: (body: Schemas['DepartmentInput']) => unwrap(api.POST('/api/v1/departments', { body })), onSuccess: done });
};

/** useSaveDepartment changes a department as it was read (its version), so a stale form gets 412. */
export const useSaveDepartment = () => {
  const done = useInvalidate('departments');
  return useMutation({
    mutationFn: ({ dept, patch }: { dept: Department; patch: Schemas['DepartmentPatch'] }) =>
      unwrap(api.PATCH('/api/v1/departments/{id}', { params: { path: { id: dept.id }, header: ifMatch(dept) }, body: patch })),
    onSuccess: done,
  });
};

export const useCategories = () => useQuery({ queryKey: ['categories'],
  queryFn: () => unwrap(api.GET('/api/v1/categories', { params: { query: { limit: 200 } } })) });

export const useCreateCategory = () => {
  const done = useInvalidate('categories');
  return useMutation({ mutationFn: (body: Schemas['CategoryInput']) => unwrap(api.POST('/api/v1/categories', { body })), onSuccess: done });
};

export const useSaveCategory = () => {
  const done = useInvalidate('categories');
  return useMutation({
    mutationFn: ({ cat, patch }: { cat: Category; patch: Schemas['CategoryPatch'] }) =>
      unwrap(api.PATCH('/api/v1/categories/{id}', { params: { path: { id: cat.id }, header: ifMatch(cat) }, body: patch })),
    onSuccess: done,
  });
};

export const useCalendarYear = (year: number) => useQuery({ queryKey: ['calendar', year],
  queryFn: () => unwrap(api.GET('/api/v1/calendar/{year}', { params: { path: { year } } })) });

export const useSaveCalendarYear = () => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ year, holidays, workdays }: { year: number; holidays: string[]; workdays: string[] }) =>
      unwrap(api.PUT('/api/v1/calendar/{year}', { params: { path: { year } }, body: { holidays, workdays } })),
    onSuccess: (y) => qc.setQueryData(['calendar', y.year], y),
  });
};

export const useWebhooks = () => useQuery({ queryKey: ['webhooks'],
  queryFn: () => unwrap(api.GET('/api/v1/webhooks', { params: { query: { limit: 200 } } })) });

export const useCreateWebhook = () => {
  const done = useInvalidate('webhooks');
  return useMutation({ mutationFn: (body: Schemas['WebhookInput']) => unwrap(api.POST('/api/v1/webhooks', { body })), onSuccess: done });
};

export const useDeleteWebhook = () => {
  const done = useInvalidate('webhooks');
  return useMutation({ mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id } } })), onSuccess: done });
};

export const useTestWebhook = () =>
  useMutation({ mutationFn: (id: string) => unwrap(api.POST('/api/v1/webhooks/{id}/test', { params: { path: { id } } })) });

/** useImport follows an import until it has finished, every second. */
export const useImport = (id?: string) => useQuery({ queryKey: ['import', id], enabled: !!id,
  queryFn: () => unwrap(api.GET('/api/v1/imports/{id}', { params: { path: { id: id! } } })),
  refetchInterval: (q) => (q.state.data && ['done', 'failed'].includes(q.state.data.status) ? false : 1000) });
