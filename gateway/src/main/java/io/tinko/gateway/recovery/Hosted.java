package io.tinko.gateway.recovery;

/** A PSP's hosted page to send the browser to, and the PSP object behind it (session, payment link, order). */
record Hosted(String url, String ref) {}
