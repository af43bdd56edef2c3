// NodeStatus: a plan node's status as a tag with its word (never colour alone).
import { Tag } from 'antd';
import { useT } from '../i18n';
import type { PlanNode } from './hooks';

const statusColor: Record<PlanNode['status'], string> = {
  waiting: 'default', ready: 'blue', in_progress: 'processing', blocked: 'error', done: 'success', waived: 'default',
};

export function NodeStatus({ status }: { status: PlanNode['status'] }) {
  const t = useT();
  return <Tag color={statusColor[status]}>{t(`plans.node.status.${status}`)}</Tag>;
}
