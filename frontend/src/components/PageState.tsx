// Loading and error states of a page, the same everywhere.
import type { ReactNode } from 'react';
import { Button, Result, Skeleton } from 'antd';
import { problemMessage } from '../api/problem';
import { useT } from '../i18n';

type Q = { isPending: boolean; isError: boolean; error: unknown; refetch: () => unknown };

/** PageState shows a skeleton while `q` loads, a calm error with a retry when it fails, else children. */
export function PageState({ q, children }: { q: Q; children: ReactNode }) {
  const t = useT();
  if (q.isPending) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (q.isError) {
    return (
      <Result status="warning" title={problemMessage(t, q.error)}
        extra={<Button onClick={() => q.refetch()}>{t('error.retry')}</Button>} />
    );
  }
  return <>{children}</>;
}
