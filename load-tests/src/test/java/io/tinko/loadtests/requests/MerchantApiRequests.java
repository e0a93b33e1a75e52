package io.tinko.loadtests.requests;

import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.http.HttpRequestActionBuilder;
import io.tinko.loadtests.config.Params;

/**
 * The merchant API of issue 5 (`issues show 5`), written against its contract: JSON under /v1, JWT bearer tokens
 * (the dashboard session's, {@link io.tinko.loadtests.config.MerchantFeeder.Session}), cursor-paginated
 * GET /v1/transactions with filters, GET /v1/transactions/{id} with its timeline. The list's item path is
 * {@code tinko.lt.merchant.idsPath} (default {@code $.items[*].id}) until the API fixes its page shape.
 */
public final class MerchantApiRequests {
  private MerchantApiRequests() {}

  /** First page of 50 with a filter: the issue 5 benchmark request (p99 under 20 ms). */
  public static HttpRequestActionBuilder listTransactions() {
    return http("list transactions")
        .get("/v1/transactions")
        .queryParam("status", "#{status}")
        .queryParam("limit", "50")
        .header("Authorization", "Bearer #{token}")
        .check(status().is(200), jsonPath(Params.MERCHANT_IDS_PATH).findAll().optional().saveAs("txIds"));
  }

  /** First page of 50 filtered by PSP and decline class (two conditions, one of them served by an index). */
  public static HttpRequestActionBuilder filterTransactions() {
    return http("filter transactions")
        .get("/v1/transactions")
        .queryParam("psp", "#{psp}")
        .queryParam("declineClass", "#{declineClass}")
        .queryParam("limit", "50")
        .header("Authorization", "Bearer #{token}")
        .check(status().is(200));
  }

  public static HttpRequestActionBuilder timeline() {
    return http("transaction timeline")
        .get("/v1/transactions/#{txId}")
        .header("Authorization", "Bearer #{token}")
        .check(status().is(200), jsonPath("$.id").isEL("#{txId}"));
  }
}
