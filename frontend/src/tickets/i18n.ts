// The ticket screens' words (诉求): detail, inbox, intake, rulings, red list, instructions.
const zh = {
  'tickets.title': '诉求',
  'tickets.mine': '我的诉求',
};
const en: Record<keyof typeof zh, string> = {
  'tickets.title': 'Tickets',
  'tickets.mine': 'My tickets',
};
export default { 'zh-CN': zh, en };
