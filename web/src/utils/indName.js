// An indicator's name as shown: the district's own in Chinese; in English the table's
// translation of a seeded indicator's code (dev.ind.names), else the district's name (an
// indicator added later). The dashboard, the indicator list and the indicator page say it alike.
import { i18n, tNamed } from '@/i18n/index.js';

export function indName(i) {
  if (!i) return '';
  return i18n.global.locale.value === 'en' ? tNamed('dev.ind.names', i.code, i.name) : i.name;
}
