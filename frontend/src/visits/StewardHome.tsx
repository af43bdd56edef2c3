// The steward's home: due and overdue visits, my tickets by light, my portfolio, 走访登记.
import { Button, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useT } from '../i18n';

export default function StewardHome() {
  const t = useT();
  const navigate = useNavigate();
  return (
    <div>
      <Typography.Title level={3}>{t('home.steward')}</Typography.Title>
      <Button type="primary" size="large" block icon={<PlusOutlined />} onClick={() => navigate('/visits/new')}>{t('visits.new')}</Button>
    </div>
  );
}
