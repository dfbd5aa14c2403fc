// Field errors of the eldercare forms: like utils/errors.js, with a short localised label for
// this module's error codes (invalid_id_number, too_far, …) in front of the API's message.
import { i18n } from '@/i18n/index.js';
import { apiMessage, useFieldErrors } from '@/utils/errors.js';

export function elderMessage(e) {
  const { t, te } = i18n.global;
  const key = 'eldercare.errors.' + (e && e.code);
  if (!e || e.name !== 'ApiError' || !te(key)) return apiMessage(e);
  return i18n.global.locale.value === 'en' ? `${t(key)}: ${e.message}` : `${t(key)}：${e.message}`;
}

export function useElderErrors() {
  const f = useFieldErrors();
  const apply = (e, opts = {}) => {
    f.apply(e, opts);
    if (!e || e.name !== 'ApiError') return;
    const key = (opts.aliases || {})[e.field] || e.field;
    if (key && f.errors[key]) f.errors[key] = elderMessage(e);
    else if (f.general.value && e.code !== 'version_conflict') f.general.value = elderMessage(e);
  };
  return { ...f, apply };
}
