// 考核设置 (administrators): the scorecard's weights, which add up to 100 points, and the sizes of
// the red and black lists. A 412 keeps what was typed; field errors show beside their fields.
import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, Form, InputNumber, Space, Typography } from 'antd';
import { problemMessage, applyFieldErrors, isApiError } from '../api/problem';
import { PageState } from '../components/PageState';
import { formatDateTime } from '../lib/format';
import { useT } from '../i18n';
import { useSaveScorecardSettings, useScorecardSettings, type ScorecardSettingsInput } from './hooks';

const weightKeys = ['on_time', 'satisfaction', 'returns', 'node_on_time'] as const;

export default function ScorecardSettingsPage() {
  const t = useT();
  const { message } = App.useApp();
  const settings = useScorecardSettings();
  const save = useSaveScorecardSettings();
  const [form] = Form.useForm<ScorecardSettingsInput>();
  const [stale, setStale] = useState(false);
  const [error, setError] = useState<string>();
  const weights = Form.useWatch('weights', form);
  const sum = weightKeys.reduce((n, k) => n + (Number(weights?.[k]) || 0), 0);
  const s = settings.data;

  // The form starts from the settings once; later reads (a reload after a 412) do not overwrite
  // what the user typed unless they ask for it.
  const loaded = useRef(false);
  useEffect(() => {
    if (s && !loaded.current) {
      loaded.current = true;
      form.setFieldsValue({ weights: s.weights, red: s.red, black: s.black });
    }
  }, [s, form]);

  async function submit(v: ScorecardSettingsInput) {
    if (!s) return;
    setError(undefined);
    if (sum !== 100) {
      setError(t('supervision.settings.sumBad', { n: sum }));
      return;
    }
    try {
      await save.mutateAsync({ current: s, body: v });
      setStale(false);
      message.success(t('supervision.settings.saved'));
    } catch (e) {
      if (isApiError(e) && e.code === 'version_mismatch') {
        setStale(true);
        return;
      }
      const rest = applyFieldErrors(form, e, t);
      setError([problemMessage(t, e), ...rest].join(' '));
    }
  }

  /** reload reads the latest version; with reset, its values replace what was typed. */
  async function reload(reset: boolean) {
    const fresh = await settings.refetch();
    if (reset && fresh.data) form.setFieldsValue({ weights: fresh.data.weights, red: fresh.data.red, black: fresh.data.black });
    setStale(false);
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%', maxWidth: 640 }}>
      <Typography.Title level={3} style={{ margin: 0 }}>{t('supervision.settings.title')}</Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('supervision.settings.intro')}</Typography.Paragraph>
      <PageState q={settings}>
        <Card>
          {stale && (
            <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('supervision.settings.stale')}
              action={(
                <Space direction="vertical">
                  <Button size="small" onClick={() => reload(true)}>{t('supervision.settings.reload')}</Button>
                  <Button size="small" onClick={() => reload(false)}>{t('supervision.settings.keep')}</Button>
                </Space>
              )} />
          )}
          {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error} />}
          <Form form={form} layout="horizontal" labelCol={{ span: 10 }} wrapperCol={{ span: 14 }} onFinish={submit}>
            {weightKeys.map((k) => (
              <Form.Item key={k} name={['weights', k]} label={t(`supervision.settings.${k}`)}
                rules={[{ required: true, type: 'number', min: 0, max: 100 }]}>
                <InputNumber min={0} max={100} precision={0} style={{ width: 120 }} />
              </Form.Item>
            ))}
            <Form.Item label=" " colon={false}>
              <Typography.Text type={sum === 100 ? 'success' : 'danger'} data-testid="weights-sum">
                {sum === 100 ? t('supervision.settings.sum', { n: sum }) : t('supervision.settings.sumBad', { n: sum })}
              </Typography.Text>
            </Form.Item>
            <Form.Item name="red" label={t('supervision.settings.red')} rules={[{ required: true, type: 'number', min: 0, max: 20 }]}>
              <InputNumber min={0} max={20} precision={0} style={{ width: 120 }} />
            </Form.Item>
            <Form.Item name="black" label={t('supervision.settings.black')} rules={[{ required: true, type: 'number', min: 0, max: 20 }]}>
              <InputNumber min={0} max={20} precision={0} style={{ width: 120 }} />
            </Form.Item>
            <Form.Item wrapperCol={{ offset: 10 }}>
              <Space>
                <Button type="primary" htmlType="submit" loading={save.isPending}>{t('supervision.settings.save')}</Button>
                {s && <Typography.Text type="secondary">{t('supervision.settings.updated', { at: formatDateTime(s.updated_at), v: s.version })}</Typography.Text>}
              </Space>
            </Form.Item>
          </Form>
        </Card>
      </PageState>
    </Space>
  );
}
