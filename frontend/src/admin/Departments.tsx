// Departments (admin): the bureau, the government departments and the utilities that handle tickets.
import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Select, Space, Table, Typography, message } from 'antd';
import { applyFieldErrors, isApiError, problemMessage } from '../api/problem';
import { PageState } from '../components/PageState';
import { useT } from '../i18n';
import { formatDateTime } from '../lib/format';
import { useCreateDepartment, useDepartments, useSaveDepartment, type Department } from './hooks';

const kinds: Department['kind'][] = ['bureau', 'government', 'utility'];
type Values = { name: string; kind: Department['kind'] };

export default function Departments() {
  const t = useT();
  const depts = useDepartments();
  const [editing, setEditing] = useState<string>();
  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('admin.departments.title')}</Typography.Title>
        <Button type="primary" onClick={() => setEditing('new')}>{t('admin.departments.new')}</Button>
      </Space>
      <PageState q={depts}>
        <Table<Department>
          rowKey="id" dataSource={depts.data?.items ?? []} pagination={false} locale={{ emptyText: t('admin.departments.none') }}
          columns={[
            { title: t('admin.departments.name'), dataIndex: 'name' },
            { title: t('admin.departments.kind'), dataIndex: 'kind', render: (k) => t(`admin.departments.kind.${k}`) },
            { title: t('admin.updated'), dataIndex: 'updated_at', render: formatDateTime },
            { title: t('admin.actions'), key: 'a', render: (_, d) => <Button size="small" onClick={() => setEditing(d.id)} aria-label={`${t('admin.edit')} ${d.name}`}>{t('admin.edit')}</Button> },
          ]}
        />
      </PageState>
      {editing && <DepartmentForm id={editing} list={depts.data?.items ?? []} reload={() => depts.refetch()} onClose={() => setEditing(undefined)} />}
    </div>
  );
}

function DepartmentForm({ id, list, reload, onClose }: { id: string; list: Department[]; reload: () => unknown; onClose: () => void }) {
  const t = useT();
  const cur = list.find((d) => d.id === id);
  const [form] = Form.useForm<Values>();
  const save = useSaveDepartment();
  const create = useCreateDepartment();
  const [error, setError] = useState<string>();
  const [stale, setStale] = useState(false);
  const failed = (e: unknown) => {
    if (isApiError(e) && e.status === 412) { setStale(true); return; }
    setError([problemMessage(t, e), ...applyFieldErrors(form, e, t)].join(' '));
  };
  const done = () => { message.success(t('admin.saved')); onClose(); };
  return (
    <Modal open title={cur ? `${t('admin.edit')} ${cur.name}` : t('admin.departments.new')} onCancel={onClose} onOk={() => form.submit()}
      okText={t('common.save')} cancelText={t('common.cancel')} confirmLoading={save.isPending || create.isPending}>
      {stale && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('admin.stale')} description={t('admin.stale.kept')}
        action={<Button onClick={async () => { await reload(); setStale(false); }}>{t('admin.stale.reload')}</Button>} />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={cur ?? { kind: 'government' }}
        onFinish={(v) => (cur ? save.mutate({ dept: cur, patch: v }, { onSuccess: done, onError: failed }) : create.mutate(v, { onSuccess: done, onError: failed }))}>
        <Form.Item name="name" label={t('admin.departments.name')} rules={[{ required: true, message: t('error.field.required') }]}><Input /></Form.Item>
        <Form.Item name="kind" label={t('admin.departments.kind')}>
          <Select options={kinds.map((k) => ({ value: k, label: t(`admin.departments.kind.${k}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
