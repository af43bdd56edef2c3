// EnterprisePicker finds an enterprise by name, pinyin, initials or credit code (the server's q).
import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/query';
import { useT } from '../i18n';

type Props = { value?: string; onChange?: (id?: string) => void; style?: CSSProperties; allowClear?: boolean; id?: string };

export function EnterprisePicker({ value, onChange, style, allowClear, id }: Props) {
  const t = useT();
  const [q, setQ] = useState('');
  const [debounced, setDebounced] = useState('');
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setDebounced(q.trim()), 250);
    return () => clearTimeout(timer.current);
  }, [q]);
  const found = useQuery({
    queryKey: ['enterprises', 'pick', debounced],
    queryFn: async () => (await unwrap(api.GET('/api/v1/enterprises', { params: { query: { q: debounced || undefined, limit: 20, sort: 'name' } } }))).items ?? [],
  });
  const current = useQuery({
    queryKey: ['enterprise', value],
    enabled: !!value && !(found.data ?? []).some((e) => e.id === value),
    queryFn: () => unwrap(api.GET('/api/v1/enterprises/{id}', { params: { path: { id: value! } } })),
  });
  const options = (found.data ?? []).map((e) => ({ value: e.id, label: e.name }));
  if (value && current.data && !options.some((o) => o.value === value)) options.unshift({ value, label: current.data.name });
  return (
    <Select id={id} value={value} onChange={(v) => onChange?.(v ?? undefined)} style={style} allowClear={allowClear}
      showSearch={{ filterOption: false, onSearch: setQ }} options={options} loading={found.isFetching}
      placeholder={t('visits.enterprise.placeholder')} notFoundContent={t('visits.enterprise.none')} />
  );
}
