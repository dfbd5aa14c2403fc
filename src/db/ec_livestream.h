/* The rule of a product's livestream sales, in SQL. */
#ifndef PJ_EC_LIVESTREAM_H
#define PJ_EC_LIVESTREAM_H

/* A product's `livestream` sales of a month are exactly its live sessions' of that month: the
 * sums of the orders and GMV of the sessions selling it whose date falls in the month, a month
 * without such a session having no row. The two statements below re-derive the rows of the
 * products PLO..PHI and the months MLO..MHI (SQL expressions, parameters or literals: one
 * product and one month, or every one) — PJ_EC_LIVESTREAM_DROP first removes the rows left with
 * no session, PJ_EC_LIVESTREAM_PUT then writes the sums (a new row created at NOW). A row's
 * `source` is its sessions' when they share one, `manual` otherwise. Used by a session's
 * writes, the demo and the migration that re-derived the rows of databases in use. */
#define PJ_EC_LIVESTREAM_DROP(PLO, PHI, MLO, MHI)                                                  \
    "DELETE FROM ec_product_sales WHERE channel = 'livestream' AND product_id BETWEEN " PLO        \
    " AND " PHI " AND month BETWEEN " MLO " AND " MHI " AND NOT EXISTS (SELECT 1 FROM"             \
    " ec_session_products p JOIN ec_sessions s ON s.id = p.session_id WHERE p.product_id ="        \
    " ec_product_sales.product_id AND s.day BETWEEN ec_product_sales.month || '-01' AND"           \
    " ec_product_sales.month || '-31')"
#define PJ_EC_LIVESTREAM_PUT(PLO, PHI, MLO, MHI, NOW)                                              \
    "INSERT INTO ec_product_sales (product_id, month, channel, orders, gmv_fen, source,"           \
    " created_at) SELECT p.product_id, substr(s.day, 1, 7), 'livestream', SUM(s.orders),"          \
    " SUM(s.gmv_fen), CASE WHEN MIN(s.source) = MAX(s.source) THEN MIN(s.source) ELSE 'manual'"    \
    " END, " NOW " FROM ec_session_products p JOIN ec_sessions s ON s.id = p.session_id WHERE"     \
    " p.product_id BETWEEN " PLO " AND " PHI " AND s.day BETWEEN " MLO " || '-01' AND " MHI        \
    " || '-31' GROUP BY p.product_id, substr(s.day, 1, 7) ON CONFLICT (product_id, month,"         \
    " channel) DO UPDATE SET orders = excluded.orders, gmv_fen = excluded.gmv_fen, source ="       \
    " excluded.source"

#endif
