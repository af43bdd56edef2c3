// Enterprises and projects: the server state of their pages.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../api/client';
import { ifMatch, unwrap, unwrapTagged, type Tagged } from '../api/query';

export type Enterprise = Schemas['EnterpriseBody'];
export type Project = Schemas['ProjectBody'];
export type Stage = Project['stage'];

/** The stages in their order; suspended and cancelled stand beside the road, not on it. */
export const stages: Stage[] = ['negotiating', 'signed', 'permitting', 'under_construction', 'completed', 'operating', 'at_capacity'];
export const offRoad: Stage[] = ['suspended', 'cancelled'];

/** needsReason: moving back, or to 停缓建/终止, needs a stated reason (the server's rule too). */
export function needsReason(from: Stage, to: Stage): boolean {
  if (offRoad.includes(to)) return true;
  if (offRoad.includes(from)) return false;
  return stages.indexOf(to) < stages.indexOf(from);
}

export function useEnterprise(id: string) {
  return useQuery({ queryKey: ['enterprise', id], queryFn: () => unwrapTagged(api.GET('/api/v1/enterprises/{id}', { params: { path: { id } } })) });
}

export function useReveal(id: string) {
  return useMutation({ mutationFn: () => unwrap(api.POST('/api/v1/enterprises/{id}/reveal', { params: { path: { id } } })) });
}

export function useAssignments(subjectType: 'enterprise' | 'project', subjectId: string) {
  return useQuery({
    queryKey: ['assignments', subjectType, subjectId],
    queryFn: async () => (await unwrap(api.GET('/api/v1/assignments', { params: { query: { subject_type: subjectType, subject_id: subjectId, limit: 100 } } }))).items ?? [],
  });
}

export function useEnterpriseProjects(enterpriseId: string) {
  return useQuery({
    queryKey: ['projects', 'of', enterpriseId],
    queryFn: async () => (await unwrap(api.GET('/api/v1/projects', { params: { query: { enterprise_id: enterpriseId, limit: 200 } } }))).items ?? [],
  });
}

export function useEnterpriseTimeline(id: string) {
  return useQuery({
    queryKey: ['enterprise', id, 'timeline'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/enterprises/{id}/timeline', { params: { path: { id }, query: { limit: 100 } } }))).items ?? [],
  });
}

export function useEnterpriseVisits(id: string) {
  return useQuery({
    queryKey: ['visits', 'of', id],
    queryFn: async () => (await unwrap(api.GET('/api/v1/visits', { params: { query: { enterprise_id: id, limit: 20 } } }))).items ?? [],
  });
}

export function useEnterpriseTickets(id: string) {
  return useQuery({
    queryKey: ['tickets', 'of', id],
    queryFn: async () => (await unwrap(api.GET('/api/v1/tickets', { params: { query: { enterprise_id: id, limit: 50 } } }))).items ?? [],
  });
}

export function useProject(id: string) {
  return useQuery({ queryKey: ['project', id], queryFn: () => unwrapTagged(api.GET('/api/v1/projects/{id}', { params: { path: { id } } })) });
}

export function useStages(id: string) {
  return useQuery({ queryKey: ['project', id, 'stages'], queryFn: async () => (await unwrap(api.GET('/api/v1/projects/{id}/stages', { params: { path: { id } } }))).items ?? [] });
}

export function useInvestments(id: string) {
  return useQuery({ queryKey: ['project', id, 'investments'], queryFn: async () => (await unwrap(api.GET('/api/v1/projects/{id}/investments', { params: { path: { id } } }))).items ?? [] });
}

export type StageMove = Schemas['Move-project-stageRequest'];

/** useMoveStage moves the project as it was read (If-Match): a stale read is a 412. */
export function useMoveStage(project: Tagged<Project>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: StageMove) => unwrapTagged(api.POST('/api/v1/projects/{id}/stage', { params: { path: { id: project.id }, header: ifMatch(project) }, body })),
    onSuccess: (p) => {
      qc.setQueryData(['project', project.id], p);
      qc.invalidateQueries({ queryKey: ['project', project.id, 'stages'] });
      qc.invalidateQueries({ queryKey: ['projects'] });
    },
  });
}

export function usePutInvestment(projectId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ month, amount }: { month: string; amount: number }) =>
      unwrapTagged(api.PUT('/api/v1/projects/{id}/investments/{month}', { params: { path: { id: projectId, month } }, body: { amount } })),
    onSuccess: (p) => {
      qc.setQueryData(['project', projectId], p);
      qc.invalidateQueries({ queryKey: ['project', projectId, 'investments'] });
    },
  });
}
