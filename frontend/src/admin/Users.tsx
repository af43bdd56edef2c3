// Users (admin): find, create, change role and department, lock out (停用) and back, unlock after
// failed logins, reset a password. Filters live in the URL; a stale edit keeps what was typed.
import { useEffect, useState } from 'react';
import { Alert, Button, Drawer, Form, Input, Modal, Select, Space, Table, Tag, Typography, message } from 'antd';
import { useSearchParams } from 'react-router';
import { applyFieldErrors, isApiError, problemMessage } from '../api/problem';
import { useT } from '../i18n';
import { formatDateTime } from '../lib/format';
import {
  useCreateUser, useDepartments, useResetPassword, useRevealUser, useUnlockUser, useUpdateUser, useUser, useUsers,
  type User, type UserFilter,
} from './hooks';

const roles: User['role'][] = ['admin', 'dispatcher', 'leader', 'steward', 'officer', 'auditor', 'enterprise', 'integration'];
const statuses: User['status'][] = ['active', 'locked', 'disabled'];
const statusColor: Record<User['status'], string> = { active: 'green', locked: 'orange', disabled: 'default' };

type NewUser = { username: string; display_name: string; role: User['role']; department_id?: string; enterprise_id?: string; phone?: string; email?: string; password: string };
type EditUser = { display_name: string; role: User['role']; department_id?: string; enterprise_id?: string; phone?: string; email?: string };

export default function Users() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const filter: UserFilter = {
    q: params.get('q') || undefined,
    role: (params.get('role') || undefined) as User['role'] | undefined,
    status: (params.get('status') || undefined) as User['status'] | undefined,
  };
  const set = (k: string, v?: string) => {
    const p = new URLSearchParams(params);
    if (v) p.set(k, v); else p.delete(k);
    setParams(p, { replace: true });
  };
  const list = useUsers(filter);
  const depts = useDepartments();
  const deptName = (id?: string | null) => depts.data?.items?.find((d) => d.id === id)?.name ?? '';
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string>();
  const [resetting, setResetting] = useState<User>();
  const unlock = useUnlockUser();
  const update = useUpdateUser();

  const toggle = (u: User) => update.mutate({ user: u, patch: { status: u.status === 'disabled' ? 'active' : 'disabled' } }, {
    onSuccess: () => message.success(u.status === 'disabled' ? t('admin.users.enabled') : t('admin.users.disabled')),
    onError: (e) => message.error(problemMessage(t, e, { version_mismatch: t('admin.stale') })),
  });

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('admin.users.title')}</Typography.Title>
        <Button type="primary" onClick={() => setCreating(true)}>{t('admin.users.new')}</Button>
      </Space>
      <Space wrap style={{ marginBottom: 12 }} role="search">
        <Input.Search allowClear aria-label={t('admin.users.search')} placeholder={t('admin.users.search')} defaultValue={filter.q}
          onSearch={(v) => set('q', v.trim())} style={{ width: 240 }} />
        <Select allowClear aria-label={t('admin.users.role')} placeholder={t('admin.users.role')} value={filter.role} style={{ width: 160 }}
          onChange={(v) => set('role', v)} options={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
        <Select allowClear aria-label={t('admin.users.status')} placeholder={t('admin.users.status')} value={filter.status} style={{ width: 140 }}
          onChange={(v) => set('status', v)} options={statuses.map((s) => ({ value: s, label: t(`admin.users.status.${s}`) }))} />
      </Space>
      {list.isError && <Alert type="error" showIcon title={problemMessage(t, list.error)} style={{ marginBottom: 12 }}
        action={<Button onClick={() => list.refetch()}>{t('error.retry')}</Button>} />}
      <Table<User>
        rowKey="id" loading={list.isPending} dataSource={list.items} pagination={false} scroll={{ x: true }}
        locale={{ emptyText: t('admin.users.none') }}
        columns={[
          { title: t('admin.users.username'), dataIndex: 'username' },
          { title: t('admin.users.display_name'), dataIndex: 'display_name' },
          { title: t('admin.users.role'), dataIndex: 'role', render: (r) => t(`role.${r}`) },
          { title: t('admin.users.department'), dataIndex: 'department_id', render: deptName },
          { title: t('admin.users.status'), dataIndex: 'status', render: (s: User['status'], u) => (
            <Space size={4}><Tag color={statusColor[s]}>{t(`admin.users.status.${s}`)}</Tag>{u.must_change_password && <Tag>{t('admin.users.must_change')}</Tag>}</Space>) },
          { title: t('admin.users.last_login'), dataIndex: 'last_login_at', render: (v) => (v ? formatDateTime(v) : '—') },
          {
            title: t('admin.actions'), key: 'actions', render: (_, u) => (
              <Space size={4} wrap>
                <Button size="small" onClick={() => setEditing(u.id)} aria-label={`${t('admin.edit')} ${u.username}`}>{t('admin.edit')}</Button>
                {u.status === 'locked' && (
                  <Button size="small" onClick={() => unlock.mutate(u.id, { onSuccess: () => message.success(t('admin.users.unlocked')),
                    onError: (e) => message.error(problemMessage(t, e)) })} aria-label={`${t('admin.users.unlock')} ${u.username}`}>{t('admin.users.unlock')}</Button>
                )}
                <Button size="small" onClick={() => setResetting(u)} aria-label={`${t('admin.users.reset')} ${u.username}`}>{t('admin.users.reset')}</Button>
                <Button size="small" danger={u.status !== 'disabled'} onClick={() => toggle(u)}
                  aria-label={`${u.status === 'disabled' ? t('admin.users.enable') : t('admin.users.disable')} ${u.username}`}>
                  {u.status === 'disabled' ? t('admin.users.enable') : t('admin.users.disable')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {list.hasMore && <Button style={{ marginTop: 12 }} onClick={() => list.more()} loading={list.isFetchingNextPage}>{t('common.more')}</Button>}
      <CreateUser open={creating} onClose={() => setCreating(false)} />
      <EditUserDrawer id={editing} onClose={() => setEditing(undefined)} />
      <ResetPassword user={resetting} onClose={() => setResetting(undefined)} />
    </div>
  );
}

function MembershipFields({ role }: { role?: User['role'] }) {
  const t = useT();
  const depts = useDepartments();
  if (role === 'enterprise') {
    return <Form.Item name="enterprise_id" label={t('admin.users.enterprise_id')} rules={[{ required: true, message: t('error.field.required') }]}><Input /></Form.Item>;
  }
  if (role === 'integration') return null;
  return (
    <Form.Item name="department_id" label={t('admin.users.department')}
      rules={[{ required: role === 'leader' || role === 'steward' || role === 'officer' || role === 'dispatcher', message: t('error.field.required') }]}>
      <Select allowClear loading={depts.isPending} options={(depts.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))} />
    </Form.Item>
  );
}

function CreateUser({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<NewUser>();
  const role = Form.useWatch('role', form);
  const create = useCreateUser();
  const [error, setError] = useState<string>();
  const submit = (v: NewUser) => create.mutate({ ...v, department_id: v.department_id || undefined, enterprise_id: v.enterprise_id || undefined }, {
    onSuccess: (u) => { message.success(t('admin.users.created', { name: u.username })); form.resetFields(); setError(undefined); onClose(); },
    onError: (e) => setError([problemMessage(t, e), ...applyFieldErrors(form, e, t)].join(' ')),
  });
  return (
    <Modal open={open} title={t('admin.users.new')} onCancel={onClose} okText={t('admin.users.create')} cancelText={t('common.cancel')}
      onOk={() => form.submit()} confirmLoading={create.isPending} forceRender>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph type="secondary">{t('admin.users.first_login')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ role: 'steward' }}>
        <Form.Item name="username" label={t('admin.users.username')} rules={[{ required: true, message: t('error.field.required') }]}><Input autoComplete="off" /></Form.Item>
        <Form.Item name="display_name" label={t('admin.users.display_name')} rules={[{ required: true, message: t('error.field.required') }]}><Input /></Form.Item>
        <Form.Item name="role" label={t('admin.users.role')} rules={[{ required: true, message: t('error.field.required') }]}>
          <Select options={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
        </Form.Item>
        <MembershipFields role={role} />
        <Form.Item name="phone" label={t('admin.users.phone')}><Input /></Form.Item>
        <Form.Item name="email" label={t('admin.users.email')}><Input type="email" /></Form.Item>
        <Form.Item name="password" label={t('admin.users.password')} extra={t('admin.users.password.rule')}
          rules={[{ required: true, message: t('error.field.required') }]}><Input.Password autoComplete="new-password" /></Form.Item>
      </Form>
    </Modal>
  );
}

function EditUserDrawer({ id, onClose }: { id?: string; onClose: () => void }) {
  const t = useT();
  const user = useUser(id);
  const [form] = Form.useForm<EditUser>();
  const role = Form.useWatch('role', form);
  const update = useUpdateUser();
  const reveal = useRevealUser();
  const [loaded, setLoaded] = useState<string>();
  const [error, setError] = useState<string>();
  const [stale, setStale] = useState(false);
  const [phone, setPhone] = useState<string>();
  const [opened, setOpened] = useState<Record<string, unknown>>({});
  useEffect(() => {
    // The form takes the user's values once per opening: a reload after a 412 keeps what was typed.
    if (user.data && loaded !== user.data.id) {
      const u = user.data;
      const values = { display_name: u.display_name, role: u.role, department_id: u.department_id ?? undefined,
        enterprise_id: u.enterprise_id ?? undefined, email: u.email };
      form.setFieldsValue(values);
      setOpened({ ...values, department_id: values.department_id ?? '', enterprise_id: values.enterprise_id ?? '' });
      setLoaded(u.id);
    }
  }, [user.data, loaded, form]);
  const close = () => { setLoaded(undefined); setError(undefined); setStale(false); setPhone(undefined); form.resetFields(); onClose(); };
  const submit = (v: EditUser) => {
    if (!user.data) return;
    const patch = { display_name: v.display_name, role: v.role, email: v.email ?? '',
      department_id: v.role === 'enterprise' || v.role === 'integration' ? '' : (v.department_id ?? ''),
      enterprise_id: v.role === 'enterprise' ? (v.enterprise_id ?? '') : '',
      ...(v.phone ? { phone: v.phone } : {}) };
    // Only what was changed in the form is sent: someone else's change to another field stays.
    const changed = Object.fromEntries(Object.entries(patch).filter(([k, x]) => opened[k] !== x));
    update.mutate({ user: user.data, patch: changed }, {
      onSuccess: () => { message.success(t('admin.saved')); close(); },
      onError: (e) => {
        if (isApiError(e) && e.status === 412) { setStale(true); setError(undefined); return; }
        setError([problemMessage(t, e), ...applyFieldErrors(form, e, t)].join(' '));
      },
    });
  };
  return (
    <Drawer open={!!id} onClose={close} title={user.data ? `${t('admin.edit')} ${user.data.username}` : t('admin.edit')} size="large"
      extra={<Button type="primary" onClick={() => form.submit()} loading={update.isPending}>{t('common.save')}</Button>}>
      {user.isError && <Alert type="error" showIcon title={problemMessage(t, user.error)} />}
      {stale && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('admin.stale')} description={t('admin.stale.kept')}
          action={<Button onClick={() => user.refetch().then(() => setStale(false))}>{t('admin.stale.reload')}</Button>} />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="display_name" label={t('admin.users.display_name')} rules={[{ required: true, message: t('error.field.required') }]}><Input /></Form.Item>
        <Form.Item name="role" label={t('admin.users.role')}><Select options={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))} /></Form.Item>
        <MembershipFields role={role} />
        <Form.Item label={t('admin.users.phone_now')}>
          <Space>
            <Typography.Text>{phone ?? user.data?.phone ?? '—'}</Typography.Text>
            {user.data?.phone && !phone && (
              <Button size="small" onClick={() => reveal.mutate(user.data!.id, { onSuccess: (u) => setPhone(u.phone), onError: (e) => message.error(problemMessage(t, e)) })}>
                {t('admin.users.reveal')}
              </Button>
            )}
          </Space>
        </Form.Item>
        <Form.Item name="phone" label={t('admin.users.phone_new')}><Input /></Form.Item>
        <Form.Item name="email" label={t('admin.users.email')}><Input type="email" /></Form.Item>
      </Form>
    </Drawer>
  );
}

function ResetPassword({ user, onClose }: { user?: User; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ password: string }>();
  const reset = useResetPassword();
  const [error, setError] = useState<string>();
  return (
    <Modal open={!!user} title={`${t('admin.users.reset')} ${user?.username ?? ''}`} onCancel={() => { form.resetFields(); setError(undefined); onClose(); }}
      onOk={() => form.submit()} okText={t('admin.users.reset')} cancelText={t('common.cancel')} confirmLoading={reset.isPending} forceRender>
      <Typography.Paragraph type="secondary">{t('admin.users.reset.intro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={(v) => user && reset.mutate({ id: user.id, password: v.password }, {
        onSuccess: () => { message.success(t('admin.users.reset.done')); form.resetFields(); setError(undefined); onClose(); },
        onError: (e) => setError([problemMessage(t, e), ...applyFieldErrors(form, e, t)].join(' ')),
      })}>
        <Form.Item name="password" label={t('admin.users.password_new')} extra={t('admin.users.password.rule')}
          rules={[{ required: true, message: t('error.field.required') }]}><Input.Password autoComplete="new-password" /></Form.Item>
      </Form>
    </Modal>
  );
}
