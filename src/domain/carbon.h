/* Carbon accounting (issue #8): emission factors by energy type, versioned by effective date;
 * energy use by organisation and sector per period; tonnes CO₂e and tonnes of standard coal
 * equivalent (tce); district totals; energy per 10,000 yuan of GDP and its yearly decline.
 *
 * A period of use that spans a factor change is split by days: each factor version weighs by
 * the days of the period it was in effect (a month of use is usually within one version). */
#ifndef PJ_CARBON_H
#define PJ_CARBON_H

#include "domain/ctx.h"

/* Factors of one energy type (NULL = all), every version, by id: limit of them after cursor,
 * next_cursor when more follow. */
int pj_carbon_factor_list(pj_ctx *c, const char *energy_type, int64_t cursor, int limit, pj_jw *w,
                          pj_err *err);
int pj_carbon_factor_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
/* {energy_type, unit, kg_co2e_per_unit, kgce_per_unit, effective_from: YYYY-MM-DD, source?,
 * dry_run?}: a new version from that date; the unit of an energy type never changes. The
 * factor in force for a period governs it, so a version dated before recorded periods changes
 * their totals: the answer's "recomputed" {energy_records, periods, years} says whose. dry_run:
 * the same answer, nothing written. */
int pj_carbon_factor_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
/* {version, kg_co2e_per_unit?, kgce_per_unit?, effective_from?, source?, dry_run?}: corrects a
 * version (its type and unit stay), audited with before and after; "recomputed" as above. 409
 * version_conflict, 409 conflict (another version has that date), 409 factor_in_use when a
 * recorded use would be left without a factor (a later date uncovering earlier periods). */
int pj_carbon_factor_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* Removes a version (version 0: whichever is stored) unless a recorded use would be left
 * without a factor (409 factor_in_use): the version before it then governs its periods.
 * Writes {id, deleted, recomputed, dry_run}; dry_run writes nothing. */
int pj_carbon_factor_delete(pj_ctx *c, int64_t id, int64_t version, int dry_run, pj_jw *w,
                            pj_err *err);

/* The sectors a use is recorded for (the console offers the same), NULL-terminated. */
extern const char *const pj_carbon_sectors[];
/* What the emissions are totalled by (by=): sector (the default), organisation, energy_type. */
extern const char *const pj_carbon_groupings[];

/* Energy use is a firm's data: an enterprise reads its own organisation's records only, a
 * township officer those of its township's organisations and the records without one, the
 * district's roles and viewers all, the other roles the records without an organisation; a
 * record outside that is 404 as one that does not exist. Emissions are computed over the
 * records the caller reads ("scope" in the answer); the intensity's energy is the district's. */
int pj_carbon_energy_list(pj_ctx *c, const char *period, int year, int64_t org, const char *sector,
                          int64_t cursor, int limit, pj_jw *w, pj_err *err);
int pj_carbon_energy_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
/* {organisation_id?, sector, period, energy_type, quantity, source?} in the factor's unit: a
 * sector of pj_carbon_sectors, a period that has ended by Beijing's today (422
 * period_not_ended), a quantity above 0; a period overlapping one recorded for the same
 * organisation, sector and energy type is 409 overlapping_period (both would count). */
int pj_carbon_energy_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
/* {version, organisation_id? (null: none), sector?, period?, energy_type?, quantity?, source?}:
 * the record as changed is checked as a new one (its own period overlaps nothing); 409
 * version_conflict when version is not the stored one. Nothing changed: no write. */
int pj_carbon_energy_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* Removes a record (version 0: whichever is stored, else it must be the stored one). */
int pj_carbon_energy_delete(pj_ctx *c, int64_t id, int64_t version, pj_err *err);

/* Emissions of the energy use in year (and optionally one period), grouped by sector,
 * organisation or energy_type: {total_t_co2e, total_tce, groups:[…], rows}. By organisation
 * the `top` (0: 20) of most emissions, the use without an organisation, and the rest as one
 * group ({others: true, organisations}); top with another grouping is 400 bad_query. */
int pj_carbon_emissions(pj_ctx *c, int year, const char *period, const char *by, int top, pj_jw *w,
                        pj_err *err);
/* Energy per 10,000 yuan of GDP in year and year−1 for region, and its decline rate (%). Energy
 * of both years from one source: the indicator energy_consumption (万吨标准煤) when both years
 * have it, else (for the district) the sum of energy use when both have some; one year with only
 * the one and the other only the other is 422 not_comparable. GDP is the indicator gdp (亿元). */
int pj_carbon_intensity(pj_ctx *c, const char *region, int year, pj_jw *w, pj_err *err);
/* Every year the intensity can be asked for (GDP and some energy for it and the year before),
 * ascending: {region, items: [the intensity with comparable: true | {year, comparable: false,
 * energy_source, previous_energy_source (both|indicator|use), needs_energy_consumption}]}. */
int pj_carbon_intensity_years(pj_ctx *c, const char *region, pj_jw *w, pj_err *err);

/* Tonnes CO₂e and tce of one quantity of energy_type used during period (0 ok, -1 err). */
int pj_carbon_convert(pj_ctx *c, const char *energy_type, const char *period, double quantity,
                      double *t_co2e, double *tce, pj_err *err);

int pj_carbon_demo(pj_ctx *c, pj_err *err); /* inside the caller's transaction */

#endif
