-- Tinko schema, version 12: the engine's write path made cheaper (issue 4: a decision per failure event at
-- 3,000 events/s on two cores). Per new transaction Postgres checked three transaction_keys foreign keys, one on the
-- decision and one on the dunning enrolment, and updated thirteen indexes of transactions.
--
-- Foreign keys dropped: each is a row the engine writes in the SAME database transaction as the transactions row it
-- names (RecoveryPipeline: WriteSql inserts or updates the transaction first, then its keys and decisions; the
-- dunning enrolment is a trigger on the decision), and Tinko never deletes a transaction. Integrity holds by
-- construction; engine's PipelineIntegrityTest checks that no key, decision or enrolment names a missing
-- transaction after every kind of event, order and duplicate. The checks cost a trigger and an index probe per row
-- and a FOR KEY SHARE lock on the transactions row each.
ALTER TABLE transaction_keys DROP CONSTRAINT transaction_keys_transaction_id_fkey;
ALTER TABLE decisions DROP CONSTRAINT decisions_transaction_id_fkey;
ALTER TABLE dunning_enrolments DROP CONSTRAINT dunning_enrolments_transaction_id_fkey;

-- transaction_keys_txn_idx served only the foreign key's check when a transaction is deleted (none is): keys are
-- found by their primary key. Three index entries fewer per payment.
DROP INDEX transaction_keys_txn_idx;

-- transactions_card_idx served no query: card histories are read from card_attempts, transactions by id.
DROP INDEX transactions_card_idx;

-- The subscription and customer look-ups are only for Razorpay subscription events (SubscriptionLink;
-- RecoveryPipeline.RELATED names the PSP), so their indexes need no entries for other PSPs' transactions: most
-- Stripe and PayPal transactions carry a subscription and a customer and paid two index entries for nothing. The
-- look-up is an OR of the two, planned as a BitmapOr whose arms get only their own condition (the tenant, a join
-- condition outside the OR, is a filter): so the id leads, which the old (org_id, psp, ...) indexes could not serve
-- (each arm read its whole index).
DROP INDEX transactions_subscription_idx;
DROP INDEX transactions_customer_idx;
CREATE INDEX transactions_razorpay_subscription_idx ON transactions (subscription_id)
    WHERE psp = 'razorpay' AND subscription_id IS NOT NULL;
CREATE INDEX transactions_razorpay_unlinked_idx ON transactions (customer_id)
    WHERE psp = 'razorpay' AND subscription_id IS NULL AND invoice_id IS NOT NULL AND customer_id IS NOT NULL;
