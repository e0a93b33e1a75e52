-- Tinko schema, version 6.1: the PSP object behind a recovery link's hosted page (Stripe Checkout Session cs_,
-- Razorpay payment link plink_, PayPal order id). PayPal needs it: the order the customer approved is captured when
-- they come back, and only the order this link created may be.
ALTER TABLE recovery_links ADD COLUMN hosted_ref text;
