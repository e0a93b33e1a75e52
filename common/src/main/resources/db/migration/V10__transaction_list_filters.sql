-- Tinko schema, version 10: the GET /v1/transactions filters no index served, found with load-tests' ListPlans at
-- 11 tenants x 1,000,000 transactions (load-tests/README.md, issue 5).
--
-- Every index here is written on the engine's hot path: each new transaction and, since updated_at is indexed (V4),
-- every update of one adds an entry to each. So only what a filter cannot do without, and nothing for filters an
-- existing index already bounds (a second equality filter read through the first one's index costs ~50 / share rows).
--
-- Plain CREATE INDEX: it blocks writes to transactions while it builds (minutes at tens of millions of rows).
-- CREATE INDEX CONCURRENTLY cannot run in a migration: Flyway holds its lock in an open transaction, which a
-- concurrent build waits for, and start-up hung. IF NOT EXISTS lets an operator of a big database build the same
-- indexes beforehand with CREATE INDEX CONCURRENTLY (writes go on) and the migration then only records them.

-- An amount range (amountMin / amountMax) is not in any ordered index, so its first page was found by reading the
-- tenant newest first and dropping rows outside the range: a narrow range read ~50 / share of the tenant's rows
-- (a 1-in-1,000 range: 50,000 rows, 160 ms; an empty one: all of them). Through this index the planner reads just
-- the rows in range and sorts them when the range is narrow, and keeps the ordered scan when it is wide.
CREATE INDEX IF NOT EXISTS transactions_org_amount_idx ON transactions (org_id, amount_minor);

-- currency was the one equality filter without its own index: a common currency finds its page after a few hundred
-- rows of the tenant's newest, but a rare one read ~50 / share rows and one the tenant never used read all of them
-- (2.1-2.2 s for a currency absent from 1M rows). Ordered like the status, PSP and class indexes (V1, V3).
CREATE INDEX IF NOT EXISTS transactions_org_currency_idx
    ON transactions (org_id, currency, created_at DESC, id DESC);

-- status + declineClass: the one pair of filters whose combinations are empty by construction rather than by chance.
-- A transaction's status follows from the engine's decision for its class (NEVER is not retried, AUTH_REQUIRED asks
-- the customer, ...), so e.g. status=retrying&declineClass=NEVER matches nothing, and with one index per filter the
-- page read every row of the first filter to find that out (a pair that matched nothing took 2.3-2.8 s reading the
-- 166,666 rows of one status at 1M per tenant). PSP and currency are not tied to status or class by the engine; a
-- pair with them stays a filter on the first index (a few hundred rows when the pair is common).
CREATE INDEX IF NOT EXISTS transactions_org_status_class_idx
    ON transactions (org_id, status, decline_class, created_at DESC, id DESC);
