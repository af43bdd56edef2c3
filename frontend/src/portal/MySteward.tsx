// 我的管家: who serves my enterprise — the steward to call, the leader who answers for it (包保).
import { Avatar, Button, Card, Empty, Typography } from 'antd';
import { PhoneOutlined, UserOutlined } from '@ant-design/icons';
import { PageState } from '../components/PageState';
import { useT } from '../i18n';
import { useMyEnterprise } from './hooks';

export default function MySteward() {
  const t = useT();
  const me = useMyEnterprise();
  const steward = me.data?.steward;
  const leader = me.data?.leader;
  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }}>{t('portal.steward.title')}</Typography.Title>
      <PageState q={me}>
        {!steward ? <Card><Empty description={t('portal.steward.none')} /></Card> : (
          <>
            <Card className="portal-card" data-testid="portal-steward">
              <Typography.Paragraph type="secondary">{t('portal.steward.intro')}</Typography.Paragraph>
              <div style={{ display: 'flex', alignItems: 'center', gap: 12, marginBottom: 16 }}>
                <Avatar size={56} icon={<UserOutlined />} style={{ background: '#1458d6' }} />
                <div>
                  <div className="portal-meta">{t('portal.steward.steward')}</div>
                  <Typography.Title level={4} style={{ margin: 0 }}>{steward.display_name}</Typography.Title>
                </div>
              </div>
              {steward.phone ? (
                <Button type="primary" size="large" block icon={<PhoneOutlined />} href={`tel:${steward.phone.replace(/[\s-]/g, '')}`}
                  style={{ minHeight: 52, fontSize: 17 }}>
                  {t('portal.steward.call', { phone: steward.phone })}
                </Button>
              ) : <Typography.Text type="secondary">{t('portal.steward.noPhone')}</Typography.Text>}
            </Card>
            <Card className="portal-card">
              <div className="portal-meta">{t('portal.steward.leader')}</div>
              <Typography.Title level={4} style={{ margin: 0 }} data-testid="portal-leader">{leader?.display_name ?? t('portal.steward.noneLeader')}</Typography.Title>
            </Card>
          </>
        )}
      </PageState>
    </>
  );
}
