// PlanOnly: the project page of a viewer who may see a project's plan but not the project itself
// (an officer of a department with a node in it): the plan, under the project's name.
import { Space, Typography } from 'antd';
import { PageState } from '../components/PageState';
import { useT } from '../i18n';
import { useProjectPlan } from './hooks';
import { PlanSection } from './PlanSection';

export function PlanOnly({ projectId }: { projectId: string }) {
  const t = useT();
  const q = useProjectPlan(projectId);
  return (
    <PageState q={q}>
      {q.data ? (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>{q.data.project_name}</Typography.Title>
            <Typography.Text type="secondary">{q.data.enterprise_name}</Typography.Text>
          </div>
          <PlanSection projectId={projectId} canCreate={false} />
        </Space>
      ) : <Typography.Text type="secondary">{t('plans.none')}</Typography.Text>}
    </PageState>
  );
}
