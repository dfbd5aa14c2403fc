// A streamer's name as shown. A deleted streamer keeps the placeholder the server writes
// ("已注销主播#12", kept for the audit trail); it is text of the system, not a name entered, so
// the console says it in the chosen language. Takes a streamer ({id, name, anonymised}) or a
// row naming one ({streamer_id, streamer, streamer_anonymised}: enrolments).
import { i18n } from '@/i18n/index.js';

export function streamerName(row) {
  if (!row) return '';
  const own = 'anonymised' in row || !('streamer' in row);
  const gone = own ? row.anonymised : row.streamer_anonymised;
  const id = own ? row.id : row.streamer_id;
  if (gone) return i18n.global.t('dev.ec.deletedName', { id });
  return (own ? row.name : row.streamer) ?? '';
}
