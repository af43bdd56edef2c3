// The leader's home (DESIGN.md §6). The ticket engineer builds it out.
import { Typography } from 'antd';
import { useT } from '../i18n';

export default function LeaderHome() {
  const t = useT();
  return (
    <div>
      <Typography.Title level={3}>{t('home.leader')}</Typography.Title>
    </div>
  );
}
