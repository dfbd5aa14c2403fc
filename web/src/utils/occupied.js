/**
 * The confirmation a 409 `occupied` asks for: the site still houses (or is to house) people that
 * adopted plans placed there, and going ahead (a restore, an abort, an edit that lowers its
 * capacity or barrier-free rooms) takes their places. Used by the conversion cockpit and the
 * facility edit form.
 */
import { ElMessageBox } from 'element-plus';

/** The operator declined to go ahead (nothing to report). */
export class Declined extends Error {}

/** "#9、#12": the plans of a 409 occupied's details (plan_ids "9,12"). */
export function occupiedPlans(e, t) {
  return String(e?.details?.plan_ids || '')
    .split(',')
    .filter(Boolean)
    .map((id) => '#' + id)
    .join(t('common.listSep'));
}

/**
 * call() without confirmation; on 409 occupied the operator confirms — with the reason when
 * askReason — and it is called again with {confirm: true, reason}. Declining throws Declined.
 * opts: t, title, text(e) (what the 409 says), confirmText (the button: the action).
 */
export async function confirmOccupied(call, { t, title, text, confirmText, askReason }) {
  try {
    return await call();
  } catch (e) {
    if (e?.name !== 'ApiError' || e.code !== 'occupied') throw e;
    let reason;
    try {
      if (askReason) {
        const r = await ElMessageBox.prompt(text(e) + ' ' + t('conversion.occupiedReason'), title, {
          confirmButtonText: confirmText,
          cancelButtonText: t('common.cancel'),
          confirmButtonClass: 'el-button--danger',
          inputType: 'textarea',
          inputValidator: (v) => (v && v.trim() ? true : t('conversion.occupiedReasonRequired')),
          inputErrorMessage: t('conversion.occupiedReasonRequired'),
        });
        reason = r.value.trim().slice(0, 500);
      } else {
        await ElMessageBox.confirm(text(e), title, { type: 'warning', confirmButtonText: confirmText, cancelButtonText: t('common.cancel'), confirmButtonClass: 'el-button--danger' });
      }
    } catch {
      throw new Declined();
    }
    return call({ confirm: true, reason });
  }
}
