// The working-day calendar of a year (admin): statutory days off (法定节假日) and make-up working
// days (调休上班) month by month; an administrator overrides the year's arrangement, and is warned
// when the statutory data does not cover the year (only weekends would be days off).
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, DatePicker, Empty, Form, InputNumber, Radio, Space, Table, Tag, Typography, message } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useSearchParams } from 'react-router';
import { applyFieldErrors, problemMessage } from '../api/problem';
import { PageState } from '../components/PageState';
import { useT } from '../i18n';
import { useCalendarYear, useSaveCalendarYear } from './hooks';

type Kind = 'holiday' | 'workday';

export default function Calendar() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const year = Number(params.get('year')) || new Date().getFullYear();
  const setYear = (y: number | null) => y && setParams({ year: String(y) }, { replace: true });
  const cal = useCalendarYear(year);
  const save = useSaveCalendarYear();
  const [holidays, setHolidays] = useState<string[]>([]);
  const [workdays, setWorkdays] = useState<string[]>([]);
  const [dirty, setDirty] = useState(false);
  const [pick, setPick] = useState<Dayjs | null>(null);
  const [kind, setKind] = useState<Kind>('holiday');
  const [error, setError] = useState<string>();
  const [form] = Form.useForm();

  useEffect(() => {
    if (cal.data && !dirty) { setHolidays(cal.data.holidays ?? []); setWorkdays(cal.data.workdays ?? []); }
  }, [cal.data, dirty]);
  useEffect(() => { setDirty(false); setError(undefined); }, [year]);

  const months = useMemo(() => Array.from({ length: 12 }, (_, i) => {
    const m = String(i + 1).padStart(2, '0');
    return { month: i + 1, holidays: holidays.filter((d) => d.slice(5, 7) === m), workdays: workdays.filter((d) => d.slice(5, 7) === m) };
  }), [holidays, workdays]);

  const add = () => {
    if (!pick) return;
    const d = pick.format('YYYY-MM-DD');
    const sort = (xs: string[]) => [...new Set(xs)].sort();
    if (kind === 'holiday') { setHolidays(sort([...holidays, d])); setWorkdays(workdays.filter((x) => x !== d)); }
    else { setWorkdays(sort([...workdays, d])); setHolidays(holidays.filter((x) => x !== d)); }
    setDirty(true);
    setPick(null);
  };
  const remove = (k: Kind, d: string) => {
    if (k === 'holiday') setHolidays(holidays.filter((x) => x !== d)); else setWorkdays(workdays.filter((x) => x !== d));
    setDirty(true);
  };
  const submit = () => save.mutate({ year, holidays, workdays }, {
    onSuccess: () => { setDirty(false); setError(undefined); message.success(t('admin.calendar.saved')); },
    onError: (e) => setError([problemMessage(t, e), ...applyFieldErrors(form, e, t)].join(' ')),
  });
  const weekday = (d: string) => t(`admin.calendar.wd.${dayjs(d).day()}`);

  return (
    <div>
      <Typography.Title level={3}>{t('admin.calendar.title')}</Typography.Title>
      <Space wrap style={{ marginBottom: 12 }}>
        <Button onClick={() => setYear(year - 1)} aria-label={t('admin.calendar.prev')}>‹</Button>
        <label htmlFor="calendar-year">{t('admin.calendar.year')}</label>
        <InputNumber id="calendar-year" min={2000} max={2100} value={year} onChange={setYear} />
        <Button onClick={() => setYear(year + 1)} aria-label={t('admin.calendar.next')}>›</Button>
      </Space>
      <PageState q={cal}>
        {cal.data && !cal.data.covered && cal.data.source !== 'override' && (
          <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('admin.calendar.uncovered', { year })}
            description={t('admin.calendar.uncovered.detail')} />
        )}
        {cal.data && (cal.data.covered || cal.data.source === 'override') && (
          <Typography.Paragraph type="secondary">
            {cal.data.source === 'override' ? t('admin.calendar.source.override') : t('admin.calendar.source.statutory')}
          </Typography.Paragraph>
        )}
        <Card size="small" title={t('admin.calendar.change')} style={{ marginBottom: 12 }}>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
          <Form form={form} component={false} />
          <Space wrap>
            <DatePicker aria-label={t('admin.calendar.date')} value={pick} onChange={setPick}
              disabledDate={(d) => d.year() !== year} defaultPickerValue={dayjs(`${year}-01-01`)} />
            <Radio.Group value={kind} onChange={(e) => setKind(e.target.value)} aria-label={t('admin.calendar.kind')}
              options={[{ value: 'holiday', label: t('admin.calendar.holiday') }, { value: 'workday', label: t('admin.calendar.workday') }]} />
            <Button onClick={add} disabled={!pick}>{t('admin.calendar.add')}</Button>
            <Button type="primary" onClick={submit} disabled={!dirty} loading={save.isPending}>{t('admin.calendar.save')}</Button>
            {dirty && <Typography.Text type="warning">{t('admin.calendar.unsaved')}</Typography.Text>}
          </Space>
        </Card>
        {holidays.length + workdays.length === 0 ? <Empty description={t('admin.calendar.empty')} /> : (
          <Table rowKey="month" dataSource={months} pagination={false} size="small"
            columns={[
              { title: t('admin.calendar.month'), dataIndex: 'month', width: 90, render: (m) => t('admin.calendar.month.n', { n: m }) },
              { title: t('admin.calendar.holiday'), dataIndex: 'holidays', render: (ds: string[]) => ds.map((d) => (
                <Tag key={d} color="red" closable closeIcon={<span aria-label={`${t('admin.calendar.remove')} ${d}`}>×</span>}
                  onClose={(e) => { e.preventDefault(); remove('holiday', d); }}>{d.slice(5)} {weekday(d)}</Tag>)) },
              { title: t('admin.calendar.workday'), dataIndex: 'workdays', render: (ds: string[]) => ds.map((d) => (
                <Tag key={d} color="blue" closable closeIcon={<span aria-label={`${t('admin.calendar.remove')} ${d}`}>×</span>}
                  onClose={(e) => { e.preventDefault(); remove('workday', d); }}>{d.slice(5)} {weekday(d)}</Tag>)) },
            ]} />
        )}
      </PageState>
    </div>
  );
}
