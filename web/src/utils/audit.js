// What the audit log shows: its filters' entities and actions sorted by label. Free of Vue and
// browser imports: the e2e tests import it.

/** The codes of a message group sorted by their labels in `locale` (label(code) gives one). */
export function sortedByLabel(codes, label, locale) {
  const coll = new Intl.Collator(locale);
  return codes.map((code) => ({ code, label: label(code) })).sort((a, b) => coll.compare(a.label, b.label) || coll.compare(a.code, b.code));
}
