package io.tinko.engine.recovery;

/**
 * Rows of a table keyed by (org_id, psp, key, ...) for a group's keys, given as three arrays ($1 org ids, $2 PSPs,
 * $3 keys): one primary-key probe per key, whatever plan Postgres caches for the prepared statement. The lateral
 * subquery with {@code OFFSET 0} is not flattened into a join. A join with unnest was, in the generic plan of an
 * analyzed table (about a minute into a load), a nested loop comparing every key of the group with every row found:
 * quadratic in the group's size. For the transaction keys that was 10 → 218 µs of Postgres time an event once a
 * backlog made the groups large, and the backlog then grew on itself (issue 4, session 16; {@code KeysPlanTest}).
 */
final class KeyProbe {
  private KeyProbe() {}

  /** {@code org_id, psp, key} of each key with {@code column} of each row found for it (none: no row). */
  static String select(String table, String column) {
    return """
        SELECT i.org_id, i.psp, i.key, r.%2$s
          FROM unnest($1::uuid[], $2::text[], $3::text[]) AS i(org_id, psp, key)
          CROSS JOIN LATERAL (
            SELECT t.%2$s FROM %1$s t
             WHERE t.org_id = i.org_id AND t.psp = i.psp AND t.key = i.key
            OFFSET 0) r""".formatted(table, column);
  }
}
