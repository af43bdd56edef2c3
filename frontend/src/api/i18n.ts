// The words for the API's error codes (src/api/problem.ts), in both languages.
const zh = {
  'error.generic': '出错了，请稍后重试。如需求助，请提供编号 {id}。',
  'error.offline': '网络不通，请检查网络后重试。',
  'error.validation_failed': '填写的内容有误，请按提示修改。',
  'error.unauthenticated': '登录已失效，请重新登录。',
  'error.forbidden': '您没有权限进行此操作。',
  'error.not_found': '没有找到，可能已被删除或您无权查看。',
  'error.conflict': '与已有记录冲突，请检查后重试。',
  'error.invalid_transition': '当前状态下不能进行此操作，请刷新后查看。',
  'error.version_mismatch': '此记录已被他人更新。',
  'error.precondition_required': '请刷新页面后重试。',
  'error.locked': '账户已被锁定，请联系管理员解锁。',
  'error.too_many_requests': '操作过于频繁，请稍后再试。',
  'error.unavailable': '系统暂时不可用，请稍后重试。',
  'error.internal': '出错了，请稍后重试。如需求助，请提供编号 {id}。',
  'error.opinions_pending': '还有协办部门的意见未提交。',
  'error.field.required': '此项必填',
  'error.field.invalid': '请检查此项',
  'error.field.too_long': '内容过长',
  'error.field.future': '时间不能晚于现在',
  'error.field.credit_code': '统一社会信用代码不正确',
  'error.field.password': '密码不符合要求',
  'error.reload': '刷新',
  'error.retry': '重试',
};

// The English table is in i18n.en.ts, loaded only when English is chosen.
export default zh;
