// Visits (走访): the steward's home, logging a visit, the outbox, the visit list.
const zh = {
  'visits.new': '走访登记',
};
const en: Record<keyof typeof zh, string> = {
  'visits.new': 'Log a visit',
};
export default { 'zh-CN': zh, en };
