// Field errors of the eldercare forms: like utils/errors.js, with the labels of this module's
// error codes (invalid_id_number, too_far, …) tried first.
import { apiMessage, useFieldErrors } from '@/utils/errors.js';
import { i18n } from '@/i18n/index.js';

const CODES = 'eldercare.errors';

export function elderMessage(e, opts = {}) {
  return apiMessage(e, { ...opts, codes: CODES });
}

export function useElderErrors() {
  const f = useFieldErrors();
  const apply = (e, opts = {}) => {
    f.apply(e, { ...opts, codes: CODES });
    // an ID number refused because it disagrees with the sex or birth date given: said at both
    // fields (not a bare "invalid ID number" while the number itself is right)
    if (e?.name === 'ApiError' && e.code === 'invalid_id_number') {
      const known = (k) => (typeof opts.known === 'function' ? opts.known(k) : !opts.known || opts.known.includes(k));
      const other = /sex digit/.test(e.message || '') ? 'sex' : /birth date/.test(e.message || '') ? 'birth_date' : '';
      if (other && known(other)) {
        const said = () => i18n.global.t(other === 'sex' ? 'eldercare.idSexMismatch' : 'eldercare.idBirthMismatch');
        f.say('id_number', said);
        f.say(other, said);
      }
    }
  };
  return { ...f, apply };
}

/**
 * The required fields left empty (keys), each said at its field (请填写出生日期) and all of them
 * together above the form (请填写必填项：性别、出生日期): checked before sending, as the server
 * names one per attempt. f: the form's errors (say, sayGeneral); labelOf(key): the field's label.
 */
export function sayMissing(f, keys, labelOf) {
  const { t } = i18n.global;
  // inside a sentence a label starts in lower case ("Enter the birth date"), an abbreviation
  // keeps its capitals ("Enter the ID number"); Chinese has no case
  const inSentence = (l) => (/^[A-Z][a-z]/.test(l) ? l[0].toLowerCase() + l.slice(1) : l);
  for (const k of keys) f.say(k, () => t('eldercare.requiredField', { label: inSentence(labelOf(k)) }));
  f.sayGeneral(() => t('eldercare.missingFields', { fields: keys.map(labelOf).join(t('common.listSep')) }));
}
