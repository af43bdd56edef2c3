// The officer's home (DESIGN.md §6). The ticket engineer builds it out.
import { Typography } from 'antd';
import { useT } from '../i18n';

export default function OfficerHome() {
  const t = useT();
  return (
    <div>
      <Typography.Title level={3}>{t('home.officer')}</Typography.Title>
    </div>
  );
}
