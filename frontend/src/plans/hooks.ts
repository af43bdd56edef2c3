// The approval plans' API hooks (审批节点计划): templates, a project's plan and its node moves, the
// nodes departments owe. Every call goes through the generated client (src/api/).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../api/client';
import { ApiError } from '../api/problem';
import { ifMatch, newIdempotencyKey, unwrap, unwrapTagged, useCursorList, type Tagged } from '../api/query';

export type Plan = Schemas['PlanBody'];
export type PlanNode = Schemas['PlanNodeBody'];
export type PlanNodeRow = Schemas['PlanNodeListBody'];
export type PlanTemplate = Schemas['PlanTemplateBody'];
export type TemplateNode = Schemas['PlanTemplateNodeBody'];
export type PlanEvent = Schemas['PlanEventBody'];
export type NodeMove = 'start' | 'finish' | 'block' | 'unblock' | 'waive';
export type NodeQuery = NonNullable<import('../api/client').paths['/api/v1/plan-nodes']['get']['parameters']['query']>;

/** useProjectPlan is the project's plan; null when the project has none yet (404). */
export const useProjectPlan = (projectId: string) => useQuery({
  queryKey: ['plan', projectId],
  queryFn: async (): Promise<Tagged<Plan> | null> => {
    try {
      return await unwrapTagged(api.GET('/api/v1/projects/{id}/plan', { params: { path: { id: projectId } } }));
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  },
});

export const usePlanEvents = (projectId: string, enabled = true) => useQuery({
  enabled,
  queryKey: ['plan', projectId, 'events'],
  queryFn: async () => (await unwrap(api.GET('/api/v1/projects/{id}/plan/events', { params: { path: { id: projectId } } }))).items ?? [],
});

export const usePlanTemplates = (enabled = true) => useQuery({
  enabled,
  queryKey: ['plan-templates'],
  queryFn: async () => (await unwrap(api.GET('/api/v1/plan-templates'))).items ?? [],
});

export const usePlanTemplate = (id: string, enabled = true) => useQuery({
  enabled,
  queryKey: ['plan-templates', id],
  queryFn: () => unwrapTagged(api.GET('/api/v1/plan-templates/{id}', { params: { path: { id } } })),
});

/** usePlanNodes pages the nodes departments owe (GET /plan-nodes), the nearest due first. */
export function usePlanNodes(filters: NodeQuery, enabled = true, opts?: { later?: boolean }) {
  return useCursorList<PlanNodeRow>(['plan-nodes', filters], (cursor) =>
    unwrap(api.GET('/api/v1/plan-nodes', { params: { query: { limit: 50, ...filters, cursor } } })), enabled, opts);
}

export type TemplateInput = { name: string; project_kind: PlanTemplate['project_kind']; nodes: TemplateNode[] };

export function useSaveTemplate(current?: Tagged<PlanTemplate>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: TemplateInput) => current
      ? unwrapTagged(api.PATCH('/api/v1/plan-templates/{id}', { params: { path: { id: current.id }, header: ifMatch(current) }, body }))
      : unwrapTagged(api.POST('/api/v1/plan-templates', { body })),
    onSuccess: (fresh) => {
      qc.setQueryData(['plan-templates', fresh.id], fresh);
      return qc.invalidateQueries({ queryKey: ['plan-templates'], exact: true });
    },
  });
}

export function useCreatePlan(projectId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ template_id, start, key }: { template_id: string; start: string; key: string }) =>
      unwrapTagged(api.POST('/api/v1/projects/{id}/plan', { params: { path: { id: projectId }, header: { 'Idempotency-Key': key } }, body: { template_id, start } })),
    onSuccess: (plan) => {
      qc.setQueryData(['plan', projectId], plan);
      return Promise.all([qc.invalidateQueries({ queryKey: ['plan', projectId] }), qc.invalidateQueries({ queryKey: ['plan-nodes'] })]);
    },
    onError: (e) => {
      if (e instanceof ApiError && e.status === 409) return qc.invalidateQueries({ queryKey: ['plan', projectId] });
    },
  });
}

export type NodeMoveInput = { move: NodeMove; node: string; body: { date?: string; note?: string; reason?: string; department_id?: string } };

function nodeMove(p: Tagged<Plan>, { move, node, body }: NodeMoveInput) {
  const params = { path: { id: p.project_id, node_id: node }, header: ifMatch(p) };
  switch (move) {
    case 'start': return unwrapTagged(api.POST('/api/v1/projects/{id}/plan/nodes/{node_id}/actions/start', { params }));
    case 'finish': return unwrapTagged(api.POST('/api/v1/projects/{id}/plan/nodes/{node_id}/actions/finish', { params, body: { date: body.date ?? '', note: body.note || undefined } }));
    case 'block': return unwrapTagged(api.POST('/api/v1/projects/{id}/plan/nodes/{node_id}/actions/block', { params,
      body: { reason: body.reason ?? '', department_id: body.department_id || undefined } }));
    case 'unblock': return unwrapTagged(api.POST('/api/v1/projects/{id}/plan/nodes/{node_id}/actions/unblock', { params, body: { note: body.note || undefined } }));
    case 'waive': return unwrapTagged(api.POST('/api/v1/projects/{id}/plan/nodes/{node_id}/actions/waive', { params, body: { reason: body.reason ?? '' } }));
  }
}

/** useNodeMove makes a node move with the plan's If-Match; success or a 412 reads the plan again. */
export function useNodeMove(plan: Tagged<Plan> | undefined) {
  const qc = useQueryClient();
  const refresh = () => Promise.all([
    qc.invalidateQueries({ queryKey: ['plan', plan?.project_id] }),
    qc.invalidateQueries({ queryKey: ['plan-nodes'] }),
    qc.invalidateQueries({ queryKey: ['tickets'] }),
  ]);
  return useMutation({
    mutationFn: (input: NodeMoveInput) => nodeMove(plan!, input),
    onSuccess: (fresh) => {
      qc.setQueryData(['plan', fresh.project_id], fresh);
      return refresh();
    },
    onError: (e) => {
      if (e instanceof ApiError && (e.status === 412 || e.status === 409)) return refresh();
    },
  });
}

export { newIdempotencyKey };
