/* Ids that are never given twice. */
#ifndef PJ_NEXT_ID_H
#define PJ_NEXT_ID_H

/* SQL for the id of a new row of table T (a string literal, e.g. "facilities"; "%s" for a table
 * named at run time through a format): after every id the table has and every id it has deleted
 * (retired_ids), so that an id is never given twice and a request, a page or an exported table
 * still naming a deleted record never reaches a new one. A table declared `id INTEGER PRIMARY
 * KEY` without AUTOINCREMENT otherwise gives the newest row's id, once it is deleted, to the next
 * row. Every INSERT into a table whose rows can be deleted names its id so:
 *   INSERT INTO facilities (id, …) VALUES (PJ_NEXT_ID("facilities"), …)
 * and a migration gives the table its retired_ids row, seeded from the audit trail, and the
 * AFTER DELETE trigger that keeps it (the registry's: migration 9). */
#define PJ_NEXT_ID(T)                                                                              \
    "(SELECT MAX(n) + 1 FROM (SELECT MAX(id) AS n FROM " T " UNION ALL SELECT max_id FROM"         \
    " retired_ids WHERE tbl_name = '" T "' UNION ALL SELECT 0) AS ids)"

#endif
