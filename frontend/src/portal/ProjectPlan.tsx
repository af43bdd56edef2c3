// 项目审批进度: a project of my enterprise and its approval plan, read only — each node's name,
// department, dates and state, the plan's forecast against its baseline. Internal notes and
// reasons never come (the server blanks them for enterprise users) and are not shown.
import { Alert, Card, Descriptions, Empty, Flex, Steps, Tag, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router';
import { isApiError } from '../api/problem';
import { PageState } from '../components/PageState';
import { useT, type TFunction } from '../i18n';
import { useProject, useProjectPlan, type PlanNode } from './hooks';
import PortalNotFound from './PortalNotFound';
import { LightTag } from './words';

const nodeColor: Record<string, string> = { waiting: 'default', ready: 'processing', in_progress: 'processing', blocked: 'error', done: 'success', waived: 'default' };
const stepStatus = (s: string) => (s === 'done' || s === 'waived' ? 'finish' : s === 'blocked' ? 'error' : s === 'waiting' ? 'wait' : 'process');

export default function ProjectPlan() {
  const t = useT();
  const { id = '' } = useParams();
  const project = useProject(id);
  const plan = useProjectPlan(id, project.isSuccess);
  if (project.isError && isApiError(project.error) && (project.error.status === 404 || project.error.status === 403)) return <PortalNotFound />;
  return (
    <>
      <Link to="/portal/profile" style={{ display: 'inline-flex', alignItems: 'center', gap: 6, minHeight: 44 }}>
        <ArrowLeftOutlined />{t('portal.plan.back')}
      </Link>
      <PageState q={project}>
        {project.data && (
          <Card className="portal-card">
            <Typography.Title level={3} style={{ marginTop: 0 }}>{project.data.name}</Typography.Title>
            <Tag>{t(`projects.stage.${project.data.stage}`)}</Tag>
          </Card>
        )}
        <PageState q={plan}>
          {plan.data === null ? <Card><Empty description={t('portal.plan.none')} /></Card> : plan.data && (
            <>
              <Card className="portal-card" data-testid="portal-plan">
                <Flex gap={8} wrap align="center" style={{ marginBottom: 8 }}>
                  <Typography.Text strong>{t('portal.plan.title')}</Typography.Text>
                  <Tag color={plan.data.light === 'green' ? 'success' : plan.data.light === 'yellow' ? 'warning' : 'error'}>
                    {t(`portal.plan.light.${plan.data.light}`)}
                  </Tag>
                  {plan.data.status === 'done' && <Tag color="success">{t('portal.plan.done')}</Tag>}
                </Flex>
                <Descriptions column={1} size="small" items={[
                  { key: 's', label: t('portal.plan.start'), children: plan.data.start },
                  { key: 'b', label: t('portal.plan.baseline'), children: plan.data.baseline_finish },
                  { key: 'f', label: t('portal.plan.forecast'), children: plan.data.forecast_finish },
                ]} />
                {plan.data.late_days > 0 && <Alert type="warning" showIcon message={t('portal.plan.late', { n: plan.data.late_days })} />}
              </Card>
              <Card className="portal-card" title={t('portal.plan.nodes')}>
                <Steps direction="vertical" size="small" items={(plan.data.nodes ?? []).map((n) => ({
                  status: stepStatus(n.status),
                  title: <span>{n.name}{(plan.data!.critical_path ?? []).includes(n.key) && <Tag color="purple" style={{ marginInlineStart: 6 }}>{t('portal.plan.critical')}</Tag>}</span>,
                  description: <NodeText t={t} n={n} />,
                }))} />
              </Card>
            </>
          )}
        </PageState>
      </PageState>
    </>
  );
}

function NodeText({ t, n }: { t: TFunction; n: PlanNode }) {
  const running = ['ready', 'in_progress', 'blocked'].includes(n.status);
  return (
    <div data-testid={`plan-node-${n.key}`}>
      <Flex gap={4} wrap style={{ margin: '4px 0' }}>
        <Tag color={nodeColor[n.status]}>{t(`portal.plan.status.${n.status}`)}</Tag>
        {running && <LightTag t={t} light={n.light} />}
      </Flex>
      <div className="portal-meta">{n.department_name} · {t('portal.plan.days', { n: n.days })}</div>
      <div className="portal-meta">{t('portal.plan.planned', { start: n.planned_start, finish: n.planned_finish })}</div>
      {running && n.due_on && <div className="portal-meta">{t('portal.plan.due', { date: n.due_on })}</div>}
      {n.finished_on && <div className="portal-meta">{t(n.status === 'waived' ? 'portal.plan.waivedOn' : 'portal.plan.finishedOn', { date: n.finished_on })}</div>}
    </div>
  );
}
