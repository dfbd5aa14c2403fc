// Eligibility rules (docs/rules-language.md) in plain words, from the structured form the API
// gives: a clause { field, op, values } (explanations) and a tree { op: and|or|not, args }
// (a policy's or bank product's conditions_tree). Wording comes from the messages under
// ent.rule (field labels, units, enumerated values); t is vue-i18n's t, locale its locale.

/** The attributes a rule reads and how their values are shown. */
export const RULE_FIELDS = {
  industry: 'enum',
  township: 'text',
  scale: 'enum',
  credit: 'text',
  employees: 'number',
  revenue_wan: 'number',
  tax_wan: 'number',
  founded_year: 'number',
  high_tech: 'bool',
  specialized: 'bool',
};

// the same condition worded positively, for a clause under an odd number of `not`s
const OPPOSITE = { '==': '!=', '!=': '==', '<': '>=', '<=': '>', '>': '<=', '>=': '<', in: 'not_in', not_in: 'in' };
const SYMBOL = { '<': '<', '<=': '≤', '>': '>', '>=': '≥', '==': '=', '!=': '≠' };

/** The clause that holds exactly when c does not: operators turned round, a bool's value flipped. */
export function negateClause(c) {
  if (!c) return c;
  if (c.op === 'const' || RULE_FIELDS[c.field] === 'bool') {
    const v = c.op === '!=' ? !!c.values?.[0] : !c.values?.[0];
    return { ...c, op: c.op === 'const' ? 'const' : '==', values: [v] };
  }
  return { ...c, op: OPPOSITE[c.op] || c.op };
}

function zh(locale) {
  return String(locale || 'zh-CN').toLowerCase().startsWith('zh');
}

function num(x, locale, grouping = true) {
  return Number(x).toLocaleString(zh(locale) ? 'zh-CN' : 'en-US', { maximumFractionDigits: 2, useGrouping: grouping && !zh(locale) });
}

/** One value of a field in the reader's words: 物流, 中型, 6000 万元, 11 人. */
export function ruleValue(field, v, t, locale) {
  const kind = RULE_FIELDS[field];
  if (kind === 'enum') {
    const key = `ent.rule.${field === 'industry' ? 'industries' : 'scales'}.${v}`;
    const s = t(key);
    return s === key ? String(v) : s;
  }
  if (kind === 'number') {
    if (field === 'founded_year') return t('ent.rule.units.year', { n: String(v) });
    if (field === 'employees') return t('ent.rule.units.people', { n: num(v, locale) });
    // 万元 (10,000 yuan): in English as millions of yuan
    return t('ent.rule.units.wan', { n: num(zh(locale) ? v : v / 100, locale) });
  }
  return String(v);
}

/** A clause { field, op, values } in words: 行业：物流、制造 · 员工 ≥ 11 人 · 高新技术企业. */
export function describeClause(c, t, locale) {
  if (!c || !c.op) return '';
  if (c.op === 'const') return t(c.values?.[0] ? 'ent.rule.everyone' : 'ent.rule.noone');
  const label = t(`ent.rule.fields.${c.field}`);
  const kind = RULE_FIELDS[c.field];
  if (kind === 'bool') {
    const yes = c.op === '!=' ? !c.values?.[0] : !!c.values?.[0];
    return t(`ent.rule.bools.${c.field}.${yes ? 'yes' : 'no'}`);
  }
  const values = (c.values || []).map((v) => ruleValue(c.field, v, t, locale));
  const list = values.join(t('ent.rule.listSep'));
  if (c.op === 'in' || c.op === '==') return t('ent.rule.is', { field: label, values: list });
  if (c.op === 'not_in' || c.op === '!=') return t('ent.rule.isNot', { field: label, values: list });
  return t('ent.rule.compare', { field: label, op: SYMBOL[c.op] || c.op, value: list });
}

/**
 * A rule tree in words, as the parts that must all hold (the top-level `and`); an `or` reads
 * "A or B", a `not` over a clause turns the clause round, over more "not (…)".
 */
export function ruleParts(tree, t, locale) {
  if (!tree) return [];
  if (tree.op === 'and') return tree.args.map((a) => describeRule(a, t, locale, true));
  return [describeRule(tree, t, locale, false)];
}

/** The whole rule as one line; nested: inside another connective (parenthesised). */
export function describeRule(tree, t, locale, nested = false) {
  if (!tree) return '';
  if (tree.op === 'and' || tree.op === 'or') {
    const s = tree.args.map((a) => describeRule(a, t, locale, true)).join(t(nested || tree.op === 'or' ? `ent.rule.${tree.op}` : 'ent.rule.partSep'));
    return nested ? t('ent.rule.group', { rule: s }) : s;
  }
  if (tree.op === 'not') {
    const a = tree.args[0];
    if (a && a.field !== undefined) return describeClause(negateClause(a), t, locale);
    return t('ent.rule.not', { rule: describeRule(a, t, locale, false) });
  }
  return describeClause(tree, t, locale);
}

/** A clause of an explanation as it counts for the rule: one under `not` turned round. */
export function describeEffect(c, t, locale) {
  return describeClause(c.negated ? negateClause(c) : c, t, locale);
}
