// The ticket list: server-side filters kept in the URL (shareable), keyset pagination.
import { Button, Card, Input, Select, Space, Switch, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { EnterpriseData } from '../components/EnterpriseData';
import { useT } from '../i18n';
import { useUser } from '../shell/session';
import { useCategories, useDepartments, type TicketQuery } from './hooks';
import { TicketTable } from './TicketTable';

const statuses = ['submitted', 'accepted', 'rejected', 'assigned', 'in_progress', 'returned', 'resolved', 'closed'] as const;
const lights = ['red', 'yellow', 'green'] as const;

export default function TicketList() {
  const t = useT();
  const me = useUser();
  const [sp, setSp] = useSearchParams();
  const departments = useDepartments().data ?? [];
  const categories = useCategories().data ?? [];
  const set = (k: string, v?: string) => {
    const n = new URLSearchParams(sp);
    if (v) n.set(k, v); else n.delete(k);
    setSp(n, { replace: true });
  };
  const filters: TicketQuery = {
    q: sp.get('q') || undefined,
    status: (sp.get('status') || undefined) as TicketQuery['status'],
    light: (sp.get('light') || undefined) as TicketQuery['light'],
    department_id: sp.get('department_id') || undefined,
    category_id: sp.get('category_id') || undefined,
    enterprise_id: sp.get('enterprise_id') || undefined,
    mine: sp.get('mine') === 'true' ? true : undefined,
    sort: (sp.get('sort') || undefined) as TicketQuery['sort'],
  };
  const staff = me.role !== 'enterprise' && me.role !== 'auditor' && me.role !== 'integration';
  return (
    <EnterpriseData>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('tickets.list.title')}</Typography.Title>
        {staff && <Link to="/tickets/new"><Button type="primary">{t('tickets.new')}</Button></Link>}
      </Space>
      <Card size="small" style={{ margin: '12px 0' }}>
        <Space wrap>
          <Input.Search allowClear placeholder={t('tickets.filter.q')} defaultValue={filters.q} style={{ width: 240 }}
            aria-label={t('tickets.filter.q')} onSearch={(v) => set('q', v.trim())} />
          <Select allowClear placeholder={t('tickets.filter.status')} aria-label={t('tickets.filter.status')} style={{ width: 130 }}
            value={filters.status} onChange={(v) => set('status', v)}
            options={statuses.map((s) => ({ value: s, label: t(`tickets.status.${s}`) }))} />
          <Select allowClear placeholder={t('tickets.filter.light')} aria-label={t('tickets.filter.light')} style={{ width: 110 }}
            value={filters.light} onChange={(v) => set('light', v)}
            options={lights.map((l) => ({ value: l, label: t(`common.light.${l}`) }))} />
          <Select allowClear showSearch optionFilterProp="label" placeholder={t('tickets.filter.department')} aria-label={t('tickets.filter.department')}
            style={{ width: 200 }} value={filters.department_id} onChange={(v) => set('department_id', v)}
            options={departments.map((d) => ({ value: d.id, label: d.name }))} />
          <Select allowClear placeholder={t('tickets.filter.category')} aria-label={t('tickets.filter.category')} style={{ width: 130 }}
            value={filters.category_id} onChange={(v) => set('category_id', v)}
            options={categories.map((c) => ({ value: c.id, label: c.name }))} />
          <Select placeholder={t('tickets.filter.sort')} aria-label={t('tickets.filter.sort')} style={{ width: 130 }}
            value={filters.sort ?? 'newest'} onChange={(v) => set('sort', v === 'newest' ? undefined : v)}
            options={[{ value: 'newest', label: t('tickets.sort.newest') }, { value: 'due', label: t('tickets.sort.due') }]} />
          <Space><Switch checked={!!filters.mine} aria-label={t('tickets.filter.mine')} onChange={(v) => set('mine', v ? 'true' : undefined)} />{t('tickets.filter.mine')}</Space>
        </Space>
      </Card>
      <TicketTable filters={filters} testId="ticket-list" />
    </EnterpriseData>
  );
}
