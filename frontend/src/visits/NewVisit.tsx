// 走访登记: log a visit in under a minute on a phone, with or without a network. The visit is
// written to the outbox first (its Idempotency-Key and visited_at fixed now), then sent.
import { useMemo, useRef, useState } from 'react';
import { Alert, Button, Card, Checkbox, DatePicker, Flex, Form, Input, Radio, Result, Select, Space, Switch, Typography } from 'antd';
import { CameraOutlined, DeleteOutlined, EnvironmentOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useNavigate, useSearchParams } from 'react-router';
import { newIdempotencyKey } from '../api/query';
import { useT } from '../i18n';
import { isOnline } from '../lib/offline';
import { useUser } from '../shell/session';
import { EnterpriseData } from '../components/EnterpriseData';
import { searchEnterprises, sender, useCategories, usePortfolio, visitKinds, type Enterprise } from './hooks';
import * as outbox from './outbox';
import { outboxProblem } from './OutboxPanel';

type Finding = { text?: string; raise?: boolean; category_id?: string; urgent?: boolean };
type Values = {
  enterprise_id: string;
  visited_at: Dayjs;
  kind: (typeof visitKinds)[number];
  attendees?: string[];
  summary: string;
  findings?: Finding[];
  satisfaction?: string;
};
type Photo = { id: string; file: File; url: string };

/** findingsToBody turns the finding rows into the visit's findings text and its tickets. */
export function findingsToBody(findings: Finding[] = []) {
  const rows = findings.map((f) => ({ ...f, text: (f.text ?? '').trim() })).filter((f) => f.text);
  return {
    findings: rows.map((f, i) => (rows.length > 1 ? `${i + 1}. ${f.text}` : f.text)).join('\n'),
    tickets: rows.filter((f) => f.raise && f.category_id).map((f) => ({
      category_id: f.category_id!,
      title: f.text.split('\n')[0].slice(0, 40),
      description: f.text,
      priority: (f.urgent ? 'urgent' : 'normal') as 'urgent' | 'normal',
    })),
  };
}

export default function NewVisit() {
  const t = useT();
  const user = useUser();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const portfolio = usePortfolio(user.id);
  const categories = useCategories();
  const [found, setFound] = useState<Enterprise[]>();
  const [searching, setSearching] = useState(false);
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [location, setLocation] = useState<{ lat: number; lng: number }>();
  const [locating, setLocating] = useState<'idle' | 'busy' | 'denied'>('idle');
  const [saving, setSaving] = useState(false);
  const [done, setDone] = useState<{ state: 'sent' | 'waiting' | 'failed'; message?: string; tickets?: number }>();
  const camera = useRef<HTMLInputElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const options = useMemo(() => {
    const list = found ?? portfolio.data ?? [];
    return list.map((e) => ({ value: e.id, label: e.name }));
  }, [found, portfolio.data]);

  function search(q: string) {
    clearTimeout(timer.current);
    if (!q.trim()) {
      setFound(undefined);
      return;
    }
    timer.current = setTimeout(async () => {
      setSearching(true);
      try {
        setFound(await searchEnterprises(q.trim()));
      } catch {
        // Offline: the steward's own enterprises, by name.
        setFound((portfolio.data ?? []).filter((e) => e.name.includes(q.trim())));
      } finally {
        setSearching(false);
      }
    }, 250);
  }

  function locate() {
    if (!navigator.geolocation) return setLocating('denied');
    setLocating('busy');
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setLocation({ lat: Number(p.coords.latitude.toFixed(6)), lng: Number(p.coords.longitude.toFixed(6)) });
        setLocating('idle');
      },
      () => setLocating('denied'),
      { timeout: 10_000, maximumAge: 60_000 },
    );
  }

  function addPhotos(files: FileList | null) {
    if (!files) return;
    setPhotos((p) => [...p, ...[...files].map((file) => ({ id: newIdempotencyKey(), file, url: URL.createObjectURL(file) }))]);
  }

  async function save(v: Values) {
    setSaving(true);
    try {
      const name = options.find((o) => o.value === v.enterprise_id)?.label ?? '';
      const { findings, tickets } = findingsToBody(v.findings);
      const body: outbox.VisitInput = {
        enterprise_id: v.enterprise_id,
        visited_at: v.visited_at.format(),
        kind: v.kind,
        attendees: v.attendees?.length ? v.attendees : undefined,
        summary: v.summary.trim(),
        findings: findings || undefined,
        satisfaction: v.satisfaction?.trim() || undefined,
        tickets: tickets.length ? tickets : undefined,
        location,
      };
      const stored = await Promise.all(photos.map(async (p) => {
        const data = await p.file.arrayBuffer();
        return { id: p.id, name: p.file.name || 'photo.jpg', type: p.file.type || 'image/jpeg', data, sha256: await outbox.sha256(data), sent: false };
      }));
      const key = newIdempotencyKey();
      await outbox.enqueue({ key, userId: user.id, label: name, body, photos: stored, savedAt: new Date().toISOString() });
      const r = await outbox.flush(user.id, sender);
      if (r.sent.includes(key)) setDone({ state: 'sent', tickets: tickets.length });
      else if (r.failed.includes(key)) {
        const e = await outbox.get(key);
        setDone({ state: 'failed', message: e?.problem && outboxProblem(t, e.problem) });
      } else setDone({ state: 'waiting' });
    } finally {
      setSaving(false);
    }
  }

  if (done) {
    const again = () => {
      setDone(undefined);
      setPhotos([]);
      setLocation(undefined);
      form.resetFields();
    };
    return (
      <Result
        status={done.state === 'sent' ? 'success' : done.state === 'waiting' ? 'info' : 'warning'}
        title={t(`visits.saved.${done.state}`)}
        subTitle={done.state === 'sent' ? (done.tickets ? t('visits.saved.tickets', { n: done.tickets }) : undefined)
          : done.state === 'waiting' ? t('visits.saved.waiting.detail') : done.message}
        extra={[
          <Button key="home" type="primary" onClick={() => navigate('/')}>{t('visits.saved.home')}</Button>,
          <Button key="again" onClick={again}>{t('visits.saved.again')}</Button>,
        ]}
      />
    );
  }

  return (
    <EnterpriseData>
      <div className="narrow-page">
        <Typography.Title level={3}>{t('visits.new')}</Typography.Title>
        {!isOnline() && <Alert type="info" showIcon title={t('offline.banner')} style={{ marginBottom: 12 }} />}
        <Form<Values>
          form={form}
          layout="vertical"
          onFinish={save}
          scrollToFirstError
          initialValues={{ kind: 'onsite', visited_at: dayjs(), enterprise_id: params.get('enterprise_id') ?? undefined, findings: [] }}
        >
          <Form.Item name="enterprise_id" label={t('visits.enterprise')} rules={[{ required: true, message: t('visits.enterprise.required') }]}>
            <Select
              showSearch={{ filterOption: false, onSearch: search }}
              placeholder={t('visits.enterprise.placeholder')}
              options={options}
              loading={searching}
              notFoundContent={t('visits.enterprise.none')}
              size="large"
            />
          </Form.Item>
          <Form.Item name="kind" label={t('visits.kind')} rules={[{ required: true }]}>
            <Radio.Group optionType="button" buttonStyle="solid" options={visitKinds.map((k) => ({ value: k, label: t(`visits.kind.${k}`) }))} />
          </Form.Item>
          <Form.Item name="visited_at" label={t('visits.visited_at')} rules={[{ required: true, message: t('error.field.required') }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} inputReadOnly
              disabledDate={(d) => d.isAfter(dayjs().endOf('day')) || d.isBefore(dayjs().subtract(1, 'year'))} />
          </Form.Item>
          <Form.Item name="attendees" label={t('visits.attendees')} extra={t('visits.attendees.hint')}>
            <Select mode="tags" tokenSeparators={[',', '，', '、', ' ']} open={false} suffixIcon={null} placeholder={t('visits.attendees.placeholder')} />
          </Form.Item>
          <Form.Item name="summary" label={t('visits.summary')}
            rules={[{ required: true, message: t('visits.summary.required') }, { min: 5, message: t('visits.summary.required') }]}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={5000} placeholder={t('visits.summary.placeholder')} />
          </Form.Item>

          <Typography.Text strong>{t('visits.findings')}</Typography.Text>
          <Form.List name="findings">
            {(fields, { add, remove }) => (
              <div style={{ marginTop: 8 }}>
                {fields.map((f, i) => (
                  <Card key={f.key} size="small" style={{ marginBottom: 8 }}
                    title={t('visits.finding.n', { n: i + 1 })}
                    extra={<Button type="text" danger icon={<DeleteOutlined />} aria-label={t('visits.finding.remove', { n: i + 1 })} onClick={() => remove(f.name)} />}>
                    <Form.Item name={[f.name, 'text']} label={t('visits.finding.text')}
                      rules={[{ required: true, message: t('error.field.required') },
                        ({ getFieldValue }) => ({ validator: (_, v: string) => (!getFieldValue(['findings', f.name, 'raise']) || (v ?? '').trim().length >= 10 ? Promise.resolve() : Promise.reject(new Error(t('visits.finding.short')))) })]}>
                      <Input.TextArea autoSize={{ minRows: 2 }} maxLength={2000} />
                    </Form.Item>
                    <Space wrap align="center">
                      <Form.Item name={[f.name, 'raise']} valuePropName="checked" noStyle>
                        <Switch aria-label={t('visits.finding.raise')} />
                      </Form.Item>
                      <span>{t('visits.finding.raise')}</span>
                    </Space>
                    <Form.Item noStyle shouldUpdate>
                      {({ getFieldValue }) => getFieldValue(['findings', f.name, 'raise']) && (
                        <div style={{ marginTop: 12 }}>
                          <Form.Item name={[f.name, 'category_id']} label={t('visits.finding.category')} rules={[{ required: true, message: t('visits.finding.category.required') }]}>
                            <Select placeholder={t('visits.finding.category.placeholder')} loading={categories.isPending}
                              options={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))} />
                          </Form.Item>
                          <Form.Item name={[f.name, 'urgent']} valuePropName="checked" style={{ marginBottom: 0 }}>
                            <Checkbox>{t('visits.finding.urgent')}</Checkbox>
                          </Form.Item>
                        </div>
                      )}
                    </Form.Item>
                  </Card>
                ))}
                <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ raise: false })} style={{ marginBottom: 16 }}>
                  {t('visits.finding.add')}
                </Button>
              </div>
            )}
          </Form.List>

          <Form.Item label={t('visits.photos')}>
            <input ref={camera} type="file" accept="image/*" capture="environment" multiple style={{ display: 'none' }} aria-label={t('visits.photos.take')}
              data-testid="photo-input" onChange={(e) => { addPhotos(e.target.files); e.target.value = ''; }} />
            <Space wrap>
              {photos.map((p) => (
                <div key={p.id} className="photo-thumb">
                  <img src={p.url} alt={p.file.name} />
                  <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')}
                    onClick={() => setPhotos((l) => l.filter((x) => x.id !== p.id))} />
                </div>
              ))}
              <Button icon={<CameraOutlined />} onClick={() => camera.current?.click()}>{t('visits.photos.take')}</Button>
            </Space>
          </Form.Item>

          <Form.Item label={t('visits.location')} extra={t('visits.location.hint')}>
            {location ? (
              <Space>
                <Typography.Text>{t('visits.location.at', { lat: location.lat, lng: location.lng })}</Typography.Text>
                <Button size="small" onClick={() => setLocation(undefined)}>{t('visits.location.clear')}</Button>
              </Space>
            ) : (
              <Flex vertical gap={4} align="start">
                <Button icon={<EnvironmentOutlined />} loading={locating === 'busy'} onClick={locate}>{t('visits.location.add')}</Button>
                {locating === 'denied' && <Typography.Text type="secondary">{t('visits.location.denied')}</Typography.Text>}
              </Flex>
            )}
          </Form.Item>

          <Form.Item name="satisfaction" label={t('visits.satisfaction')}>
            <Input maxLength={1000} placeholder={t('visits.satisfaction.placeholder')} />
          </Form.Item>

          <Button type="primary" htmlType="submit" size="large" block loading={saving}>{t('visits.save')}</Button>
        </Form>
      </div>
    </EnterpriseData>
  );
}
