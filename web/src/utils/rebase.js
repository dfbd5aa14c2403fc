// An edit form after its save was refused because someone else saved the record meanwhile
// (409 version_conflict): 重新加载 fetches the record as it is now, takes it as the record the
// edit starts from, puts what the user changed back on top of it, and says which fields the
// other change touched (and which of them keep what the user typed), so that saving again
// sends the user's changes against the current version.
//
//   const mine = changedFields(FIELDS, form, was, valueOf);   // before the reload
//   const now = await api.get(id);
//   const theirs = changedFields(FIELDS, now, was, valueOf);
//   fill(now);  Object.assign(form, kept);                    // the user's values on top
//   note.value = reloadedNote(t, 'users', theirs, mine, (k) => t(LABELS[k]));

const plain = (r, k) => r[k];
const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The fields whose values differ between two records (or a form and its record); `value(r, k)` a field's comparable value. */
export function changedFields(fields, a, b, value = plain) {
  return fields.filter((k) => !same(value(a, k), value(b, k)));
}

/**
 * The sentence a form shows after the reload: `${prefix}.reloadedSame` when nobody else
 * changed a field the form has, `${prefix}.reloadedChanged` {fields} naming them, or
 * `${prefix}.reloadedBoth` {fields, yours} when some of them were changed in the form too.
 */
export function reloadedNote(t, prefix, theirs, mine, label) {
  const names = (ks) => ks.map(label).join(t('common.listSep'));
  const both = theirs.filter((k) => mine.includes(k));
  if (!theirs.length) return t(prefix + '.reloadedSame');
  return both.length ? t(prefix + '.reloadedBoth', { fields: names(theirs), yours: names(both) }) : t(prefix + '.reloadedChanged', { fields: names(theirs) });
}
