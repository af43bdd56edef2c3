// EnterpriseData wraps a page that shows enterprise data in a watermark with the viewer's name and
// the date (customary in government software: a photographed screen names who saw it).
import type { ReactNode } from 'react';
import { Watermark } from 'antd';
import { useMe } from '../shell/session';
import { today } from '../lib/format';

export function EnterpriseData({ children }: { children: ReactNode }) {
  const me = useMe().data;
  const content = me ? [`${me.display_name} ${me.username}`, today()] : [today()];
  return (
    <Watermark content={content} font={{ color: 'rgba(0,0,0,0.06)', fontSize: 14 }} gap={[120, 120]}>
      <div data-testid="watermark" style={{ minHeight: '100%' }}>{children}</div>
    </Watermark>
  );
}
