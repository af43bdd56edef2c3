// 待同步: the visits waiting in the outbox, with the count, the server's words for a refused one,
// and what the steward can do about it.
import { Alert, Badge, Button, Card, List, Popconfirm, Space, Typography } from 'antd';
import { CloudUploadOutlined } from '@ant-design/icons';
import { fieldMessage, type Problem } from '../api/problem';
import type { TFunction } from '../i18n';
import { useT } from '../i18n';
import { formatDateTime } from '../lib/format';
import { sender, useOutbox } from './hooks';
import * as outbox from './outbox';

const fieldLabels: Record<string, string> = {
  enterprise_id: 'visits.enterprise', visited_at: 'visits.visited_at', kind: 'visits.kind', summary: 'visits.summary',
  findings: 'visits.findings', attendees: 'visits.attendees', satisfaction: 'visits.satisfaction', location: 'visits.location',
};

/** outboxProblem says why the server refused a visit, field by field, in the user's language. */
export function outboxProblem(t: TFunction, p: Problem): string {
  const fields = (p.errors ?? []).map((e) => {
    const name = e.field.replace(/^body\./, '');
    const label = fieldLabels[name.split(/[.[]/)[0]];
    const what = name.startsWith('tickets') ? t('visits.finding.ticket') : label ? t(label) : name;
    return `${what}：${fieldMessage(t, e.message)}`;
  });
  if (fields.length) return fields.join('；');
  return t(`error.${p.code}`, { id: p.request_id ?? '-' });
}

export function OutboxPanel({ userId }: { userId: string }) {
  const t = useT();
  const list = useOutbox(userId);
  if (list.length === 0) return null;
  const waiting = list.filter((e) => e.state === 'waiting').length;
  return (
    <Card
      size="small"
      style={{ marginBottom: 16, borderColor: '#faad14' }}
      title={<Space><CloudUploadOutlined /><span>{t('visits.outbox.title')}</span><Badge count={list.length} color="#ad6800" /></Space>}
      extra={waiting > 0 && <Button size="small" onClick={() => outbox.flush(userId, sender)}>{t('visits.outbox.send')}</Button>}
      data-testid="outbox"
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>{t('visits.outbox.hint', { n: list.length })}</Typography.Paragraph>
      <List
        size="small"
        dataSource={list}
        renderItem={(e) => (
          <List.Item
            actions={e.state === 'failed' ? [
              <Button key="r" size="small" onClick={() => outbox.retry(e.key).then(() => outbox.flush(userId, sender))}>{t('error.retry')}</Button>,
              <Popconfirm key="d" title={t('visits.outbox.discard.confirm')} onConfirm={() => outbox.discard(e.key)} okText={t('common.confirm')} cancelText={t('common.cancel')}>
                <Button size="small" danger>{t('visits.outbox.discard')}</Button>
              </Popconfirm>,
            ] : []}
          >
            <List.Item.Meta
              title={<Space wrap>{e.label || t('visits.enterprise')}<Typography.Text type="secondary">{formatDateTime(e.body.visited_at)}</Typography.Text></Space>}
              description={e.state === 'failed' && e.problem
                ? <Alert type="error" showIcon title={t('visits.outbox.refused')} description={outboxProblem(t, e.problem)} />
                : t(e.visitId ? 'visits.outbox.photos' : 'visits.outbox.waiting')}
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
