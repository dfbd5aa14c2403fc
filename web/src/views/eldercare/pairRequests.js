// The decisions on a pairing request (结对申请, docs/api-eldercare.md §5), asked first: an officer
// accepts (the pair is made, its checks of that moment) or declines with a reason the grid worker
// reads; a grid worker withdraws one waiting. Each resolves true when the request changed — or
// was changed meanwhile, or a refusal left it as the server has it: the caller reads it again —
// and false when the user cancelled.
import { ElMessage, ElMessageBox } from 'element-plus';
import { pairing } from '@/api/eldercare.js';
import { elderMessage } from './errors.js';
import { endedNoteText } from '@/utils/eldercare.js';

/** the server's decision note on a request answered by a pair made for the elder otherwise */
export const PAIRED_OTHERWISE = 'paired otherwise';

/** A request's decision note in the console's language: the server's own notes (a pair made
 * otherwise, a helper set inactive, a move) translated, a reason typed as it is. */
export function decisionNoteText(t, note) {
  return note === PAIRED_OTHERWISE ? t('eldercare.req.pairedOtherwise') : endedNoteText(t, note);
}

async function asked(t, text, title, button) {
  try {
    await ElMessageBox.confirm(text, title, { type: 'warning', confirmButtonText: button, cancelButtonText: t('common.cancel') });
    return true;
  } catch {
    return false;
  }
}

async function send(t, call, done, title) {
  try {
    await call();
    ElMessage.success(done);
  } catch (e) {
    // said in a box that stays until read: why the pair was not made (the helper full since …)
    ElMessageBox.alert(elderMessage(e), title, { type: 'warning' });
  }
  return true;
}

export async function acceptRequest(t, r) {
  const title = t('eldercare.req.acceptTitle');
  if (!(await asked(t, t('eldercare.req.acceptConfirm', { elder: r.elder_name, helper: r.helper_name }), title, t('eldercare.req.accept')))) return false;
  return send(t, () => pairing.acceptRequest(r.id, { version: r.version }), t('eldercare.pairedByHand'), title);
}

export async function declineRequest(t, r) {
  const title = t('eldercare.req.declineTitle');
  let note;
  try {
    ({ value: note } = await ElMessageBox.prompt(t('eldercare.req.declineReason'), title, {
      confirmButtonText: t('eldercare.req.decline'),
      cancelButtonText: t('common.cancel'),
      inputValidator: (v) => (v && v.trim() ? (v.trim().length <= 200 ? true : t('apiRules.maxChars', { a: 200 })) : t('eldercare.req.declineNeedsReason')),
    }));
  } catch {
    return false;
  }
  return send(t, () => pairing.declineRequest(r.id, { version: r.version, note: note.trim() }), t('eldercare.req.declined_msg'), title);
}

export async function withdrawRequest(t, r) {
  const title = t('eldercare.req.withdrawTitle');
  if (!(await asked(t, t('eldercare.req.withdrawConfirm', { elder: r.elder_name }), title, t('eldercare.req.withdraw')))) return false;
  return send(t, () => pairing.withdrawRequest(r.id, { version: r.version }), t('eldercare.req.withdrawn'), title);
}
