// Turns an ApiError into messages: next to the form field the API named in error.field
// (e.g. "emergency_roles[0].capacity"), or as one general message when the form has no
// such field. The API's own message is always shown (it says what the rule is); a short
// localised label for the error code goes in front of it.
import { reactive, ref } from 'vue';
import { i18n } from '@/i18n/index.js';

export function apiMessage(e) {
  const { t, te } = i18n.global;
  if (!e) return '';
  if (e.status === 0) return t('common.networkError');
  const label = e.code && te('apiErrors.' + e.code) ? t('apiErrors.' + e.code) : '';
  const msg = e.message || '';
  if (!label) return msg;
  return i18n.global.locale.value === 'en' ? `${label}: ${msg}` : `${label}：${msg}`;
}

/**
 * errors: reactive {field: message}; general: ref(message) for the rest.
 * apply(e, {aliases, known}): aliases maps an API field to a form key; known (array or
 * predicate) says which keys the form shows — others go to `general`.
 */
export function useFieldErrors() {
  const errors = reactive({});
  const general = ref('');
  const conflict = ref(false);
  function clear() {
    for (const k of Object.keys(errors)) delete errors[k];
    general.value = '';
    conflict.value = false;
  }
  function apply(e, { aliases = {}, known } = {}) {
    clear();
    if (!e || e.name !== 'ApiError') {
      general.value = String((e && e.message) || e);
      return;
    }
    if (e.code === 'version_conflict') conflict.value = true;
    const key = aliases[e.field] || e.field;
    const shown = !known ? !!key : typeof known === 'function' ? known(key) : known.includes(key);
    if (key && shown && e.code !== 'version_conflict') errors[key] = apiMessage(e);
    else general.value = apiMessage(e) + (e.requestId ? ` (${e.requestId})` : '');
  }
  return { errors, general, conflict, apply, clear };
}
