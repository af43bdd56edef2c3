// The project's stage as antd Steps: the road from 洽谈 to 达产, with 停缓建/终止 shown as an error
// at the stage where the project left the road.
import { Steps, Tag } from 'antd';
import { useT } from '../i18n';
import { offRoad, stages, type Stage } from './hooks';

export function StageSteps({ stage, lastOnRoad, size = 'small' }: { stage: Stage; lastOnRoad?: Stage; size?: 'small' | 'default' }) {
  const t = useT();
  const off = offRoad.includes(stage);
  const at = off ? Math.max(0, stages.indexOf(lastOnRoad ?? 'negotiating')) : stages.indexOf(stage);
  return (
    <div>
      {off && <Tag color="error" style={{ marginBottom: 8 }}>{t(`projects.stage.${stage}`)}</Tag>}
      <Steps
        size={size}
        current={at}
        status={off ? 'error' : stage === 'at_capacity' ? 'finish' : 'process'}
        responsive
        items={stages.map((s) => ({ title: t(`projects.stage.${s}`) }))}
      />
    </div>
  );
}
