// After a rule was saved (a policy's, a financing product's): the warnings of its answer — values
// no firm has — said in a message beside the save's.
import { ElMessage } from 'element-plus';

export function sayRuleWarnings(r, t) {
  const warned = (r?.warnings || []).map((w) => w.message);
  if (warned.length) ElMessage.warning({ message: t('ent.policyForm.savedWarnings', { list: warned.join('；') }), duration: 8000 });
}
