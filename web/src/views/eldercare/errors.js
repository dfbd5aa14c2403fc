// Field errors of the eldercare forms: like utils/errors.js, with the labels of this module's
// error codes (invalid_id_number, too_far, …) tried first.
import { apiMessage, useFieldErrors } from '@/utils/errors.js';

const CODES = 'eldercare.errors';

export function elderMessage(e, opts = {}) {
  return apiMessage(e, { ...opts, codes: CODES });
}

export function useElderErrors() {
  const f = useFieldErrors();
  const apply = (e, opts = {}) => f.apply(e, { ...opts, codes: CODES });
  return { ...f, apply };
}
