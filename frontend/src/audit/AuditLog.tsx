// The audit log (auditors only): filter by entity, entity id, actor and time (in the URL), follow
// one entity's history, reveal a record's masked personal data (the reveal is audited itself),
// and verify the hash chain. Anyone else is told in plain words that the page is not theirs.
import { useState } from 'react';
import { Alert, AutoComplete, Button, Card, DatePicker, Input, Result, Select, Space, Table, Tag, Typography, message } from 'antd';
import dayjs from 'dayjs';
import { useLocation, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { problemMessage } from '../api/problem';
import { unwrap } from '../api/query';
import { useT } from '../i18n';
import { formatDateTime } from '../lib/format';
import { useUser } from '../shell/session';
import { useAuditLog, useRevealAudit, useVerifyAudit, type AuditFilter, type AuditRecord } from './hooks';

const entities = ['user', 'department', 'category', 'calendar', 'webhook', 'import', 'enterprise', 'project', 'assignment',
  'ticket', 'visit', 'attachment', 'audit', 'session', 'api_token'];
const keys: (keyof AuditFilter)[] = ['entity', 'entity_id', 'actor_id', 'from', 'to'];

export default function AuditLog() {
  const t = useT();
  const me = useUser();
  if (me.role !== 'auditor') {
    return <Result status="403" title={t('audit.forbidden')} subTitle={t('audit.forbidden.detail')} />;
  }
  return <AuditPage />;
}

function AuditPage() {
  const t = useT();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const filter: AuditFilter = Object.fromEntries(keys.map((k) => [k, params.get(k) || undefined]).filter(([, v]) => v));
  const set = (patch: Partial<AuditFilter>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) { if (v) p.set(k, v); else p.delete(k); }
    setParams(p, { replace: true });
  };
  const log = useAuditLog(filter, true);
  const verify = useVerifyAudit();
  const reveal = useRevealAudit();
  const [revealed, setRevealed] = useState<Record<number, AuditRecord>>({});
  const [entityId, setEntityId] = useState(filter.entity_id ?? '');
  const directory = useQuery({ queryKey: ['directory', 'audit'],
    queryFn: () => unwrap(api.GET('/api/v1/directory', { params: { query: { limit: 200 } } })) });
  const history = !!(filter.entity && filter.entity_id);

  return (
    <div>
      <Typography.Title level={3}>{t('audit.title')}</Typography.Title>
      <Card title={t('audit.verify.title')} size="small" style={{ marginBottom: 16 }} id="verify"
        extra={<Button type={location.pathname.endsWith('/verify') ? 'primary' : 'default'} loading={verify.isFetching} onClick={() => verify.refetch()}>{t('audit.verify.run')}</Button>}>
        {verify.isError && <Alert type="error" showIcon title={problemMessage(t, verify.error)} />}
        {verify.data && (verify.data.ok
          ? <Alert type="success" showIcon role="status" title={t('audit.verify.ok', { n: verify.data.checked })} />
          : <Alert type="error" showIcon role="status" title={t('audit.verify.bad', { n: verify.data.checked, id: verify.data.first_bad_id ?? '?' })}
              description={t('audit.verify.bad.detail')} />)}
        {!verify.data && !verify.isError && <Typography.Text type="secondary">{t('audit.verify.intro')}</Typography.Text>}
      </Card>
      <Space wrap style={{ marginBottom: 12 }} role="search">
        <AutoComplete allowClear aria-label={t('audit.entity')} placeholder={t('audit.entity')} style={{ width: 160 }} value={filter.entity}
          options={entities.map((e) => ({ value: e, label: `${t(`audit.entity.${e}`)} (${e})` }))}
          onChange={(v) => set({ entity: v || undefined })} />
        <Input.Search allowClear aria-label={t('audit.entity_id')} placeholder={t('audit.entity_id')} style={{ width: 300 }}
          value={entityId} onChange={(e) => setEntityId(e.target.value)} onSearch={(v) => set({ entity_id: v.trim() || undefined })} />
        <Select allowClear showSearch aria-label={t('audit.actor')} placeholder={t('audit.actor')} style={{ width: 200 }} value={filter.actor_id}
          optionFilterProp="label" loading={directory.isPending}
          options={(directory.data?.items ?? []).map((u) => ({ value: u.id, label: u.display_name }))} onChange={(v) => set({ actor_id: v })} />
        <DatePicker.RangePicker aria-label={t('audit.period')} placeholder={[t('audit.from'), t('audit.to')]}
          value={filter.from && filter.to ? [dayjs(filter.from), dayjs(filter.to).subtract(1, 'day')] : null}
          onChange={(r) => set({ from: r?.[0]?.format('YYYY-MM-DD'), to: r?.[1]?.add(1, 'day').format('YYYY-MM-DD') })} />
        <Button onClick={() => { setEntityId(''); setParams({}, { replace: true }); }}>{t('common.reset')}</Button>
      </Space>
      {history && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('audit.history', { entity: filter.entity!, id: filter.entity_id! })} />}
      {log.isError && <Alert type="error" showIcon title={problemMessage(t, log.error)} style={{ marginBottom: 12 }}
        action={<Button onClick={() => log.refetch()}>{t('error.retry')}</Button>} />}
      <Table<AuditRecord>
        rowKey="id" loading={log.isPending} dataSource={log.items.map((r) => revealed[r.id] ?? r)} pagination={false} size="small" scroll={{ x: true }}
        locale={{ emptyText: t('audit.none') }}
        expandable={{
          expandedRowRender: (r) => (
            <Space direction="vertical" style={{ width: '100%' }}>
              <Space>
                {revealed[r.id] ? <Tag color="orange">{t('audit.revealed')}</Tag> : (
                  <Button size="small" loading={reveal.isPending && reveal.variables === r.id}
                    onClick={() => reveal.mutate(r.id, { onSuccess: (x) => setRevealed((m) => ({ ...m, [r.id]: x })), onError: (e) => message.error(problemMessage(t, e)) })}>
                    {t('audit.reveal')}
                  </Button>
                )}
                <Typography.Text type="secondary">{t('audit.reveal.note')}</Typography.Text>
              </Space>
              <Typography.Text type="secondary">{t('audit.request')}: {r.request_id} · IP {r.ip} · {t('audit.hash')} {r.hash.slice(0, 16)}…</Typography.Text>
              <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
                <div style={{ flex: 1, minWidth: 280 }}><Typography.Text strong>{t('audit.before')}</Typography.Text><pre className="audit-json">{r.before ? JSON.stringify(r.before, null, 2) : '—'}</pre></div>
                <div style={{ flex: 1, minWidth: 280 }}><Typography.Text strong>{t('audit.after')}</Typography.Text><pre className="audit-json">{r.after ? JSON.stringify(r.after, null, 2) : '—'}</pre></div>
              </div>
            </Space>
          ),
        }}
        columns={[
          { title: '#', dataIndex: 'id', width: 70 },
          { title: t('audit.at'), dataIndex: 'at', render: formatDateTime },
          { title: t('audit.actor'), key: 'actor', render: (_, r) => (<span>{r.actor_name || t('audit.system')}{r.actor_role && <Tag style={{ marginInlineStart: 6 }}>{t(`role.${r.actor_role}`)}</Tag>}</span>) },
          { title: t('audit.action'), dataIndex: 'action' },
          { title: t('audit.entity'), dataIndex: 'entity' },
          { title: t('audit.entity_id'), dataIndex: 'entity_id', render: (id: string, r) => (
            <Button type="link" size="small" style={{ padding: 0 }} onClick={() => { setEntityId(id); set({ entity: r.entity, entity_id: id }); }}
              aria-label={`${t('audit.show_history')} ${r.entity} ${id}`}>{id}</Button>) },
        ]}
      />
      {log.hasMore && <Button style={{ marginTop: 12 }} onClick={() => log.more()} loading={log.isFetchingNextPage}>{t('common.more')}</Button>}
    </div>
  );
}
