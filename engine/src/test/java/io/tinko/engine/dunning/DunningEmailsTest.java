package io.tinko.engine.dunning;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.tinko.embedded.FreePort;
import io.tinko.engine.support.Await;
import io.tinko.engine.support.EngineHarness;
import io.tinko.engine.support.Events;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.SmtpExtension;
import io.tinko.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Dunning emails over a real SMTP server (GreenMail) and Postgres: when they go, and when they must not. */
@ExtendWith({VertxExtension.class, PostgresExtension.class, SmtpExtension.class})
class DunningEmailsTest {
  private EngineHarness h;
  private DunningFixture f;
  private UUID org;

  @BeforeEach
  void setUp(Vertx vertx, TestDatabase database, GreenMail mail) throws Exception {
    mail.purgeEmailFromAllMailboxes();
    h = new EngineHarness(vertx, database, Instant.now());
    f = new DunningFixture(vertx, h, mail.getSmtp().getPort());
    org = h.db.organization("UTC");
    // the database is shared by the class: earlier tests' pending steps must not mail into this one
    h.db.execute("UPDATE dunning_steps SET status = 'cancelled' WHERE status IN ('scheduled', 'sending')");
  }

  @AfterEach
  void tearDown() {
    f.close();
    h.close();
  }

  @Test
  @DisplayName("each decline class gets its shipped sequence's emails on the step's day, and nothing else")
  void rightEmailsAtRightSteps(GreenMail mail) throws Exception {
    Map<String, List<String>> expected = Map.of(
        "FIX_DATA", List.of("0:update_payment", "3:reminder", "6:final_notice"),
        "AUTH_REQUIRED", List.of("0:authenticate", "2:reminder", "5:final_notice"),
        "CUSTOMER_ENABLE", List.of("0:enable_card", "3:reminder"),
        "NEVER", List.of("0:new_method", "3:reminder", "6:final_notice"),
        "RETRY_LATER", List.of("0:retry_failed", "5:final_notice"),
        "TECHNICAL", List.of(),
        "MERCHANT_CONFIG", List.of());
    Map<UUID, String> classOf = new java.util.HashMap<>();
    for (String cls : expected.keySet()) {
      classOf.put(f.failedTransaction(org, cls, cls.toLowerCase() + "@example.com", "en", true), cls);
    }
    // a decision that does not ask to notify starts nothing; a second one for the same class restarts nothing
    UUID quiet = f.failedTransaction(org, "RETRY_LATER", "quiet@example.com", "en", false);
    UUID fix = classOf.entrySet().stream().filter(e -> e.getValue().equals("FIX_DATA")).findFirst().get().getKey();
    f.decision(org, fix, "FIX_DATA", true);

    Map<String, List<String>> got = new java.util.HashMap<>();
    expected.keySet().forEach(c -> got.put(c, new ArrayList<>()));
    java.util.Set<String> seen = new java.util.HashSet<>();   // GreenMail lists by mailbox, not by arrival
    for (int day = 0; day <= 10; day++) {
      if (day == 0) {
        f.drain();
      } else {
        f.days(1);
      }
      for (MimeMessage m : mail.getReceivedMessages()) {
        if (!seen.add(m.getMessageID())) {
          continue;
        }
        UUID tx = UUID.fromString(m.getHeader("X-Tinko-Transaction", null));
        String[] step = m.getHeader("X-Tinko-Step", null).split("/");
        assertThat(m.getAllRecipients()[0].toString()).isEqualTo(classOf.get(tx).toLowerCase() + "@example.com");
        assertThat(step[0]).isEqualTo(classOf.get(tx));
        got.get(classOf.get(tx)).add(day + ":" + step[2]);
      }
    }
    assertThat(got).isEqualTo(expected);
    assertThat(h.db.count("SELECT count(*) FROM dunning_steps WHERE transaction_id = ?", quiet)).isZero();
    assertThat(h.db.count("SELECT count(*) FROM notification_log WHERE org_id = ? AND status = 'sent'", org))
        .isEqualTo(13);
    assertThat(h.db.count("SELECT count(*) FROM notification_log WHERE org_id = ? AND status = 'sent' "
        + "AND provider_message_id IS NOT NULL AND recipient LIKE '%@example.com'", org)).isEqualTo(13);
  }

  @Test
  @DisplayName("a tenant's own sequence replaces the default for its class; an empty one sends nothing")
  void tenantSequence(GreenMail mail) throws Exception {
    h.db.execute("INSERT INTO dunning_sequences (org_id, decline_class, sequence) VALUES (?, 'FIX_DATA', ?::jsonb), "
        + "(?, 'NEVER', '{\"steps\": []}'::jsonb)", org,
        "{\"steps\": [{\"after\": \"PT0S\", \"template\": \"authenticate\"}, "
            + "{\"after\": \"P1D\", \"template\": \"final_notice\"}]}", org);
    UUID fix = f.failedTransaction(org, "FIX_DATA", "own@example.com", "en", true);
    UUID never = f.failedTransaction(org, "NEVER", "none@example.com", "en", true);
    UUID otherTenant = f.failedTransaction(h.db.organization("UTC"), "FIX_DATA", "dflt@example.com", "en", true);
    f.drain();
    f.days(2);
    assertThat(DunningFixture.steps(mail)).containsExactlyInAnyOrder(fix + "/FIX_DATA/1/authenticate",
        fix + "/FIX_DATA/2/final_notice", otherTenant + "/FIX_DATA/1/update_payment");
    assertThat(h.db.count("SELECT count(*) FROM dunning_steps WHERE transaction_id = ?", never)).isZero();
  }

  @Test
  @DisplayName("a backlog of enrolments whose first email is days away is planned pass after pass, not one pass a poll")
  void backlogNotDueYet(Vertx vertx, GreenMail mail) throws Exception {
    h.db.execute("INSERT INTO dunning_sequences (org_id, decline_class, sequence) VALUES (?, 'FIX_DATA', ?::jsonb)",
        org, "{\"steps\": [{\"after\": \"P2D\", \"template\": \"reminder\"}]}");
    for (int i = 0; i < 120; i++) {
      f.failedTransaction(org, "FIX_DATA", "later" + i + "@example.com", "en", true);
    }
    // on its own timer, first poll 3 s after deployment, passes of 50: the passes that claim nothing (no first email
    // is due) but plan a full batch must go on at once; one pass a poll would leave 70 unplanned until 6 s
    String id = Await.await(vertx.deployVerticle(f.sender(3000)));
    try {
      Awaitility.await().atMost(Duration.ofMillis(5500)).pollInterval(Duration.ofMillis(100)).until(() -> h.db.count(
          "SELECT count(*) FROM dunning_enrolments WHERE org_id = ? AND planned_at IS NULL", org) == 0);
    } finally {
      Await.await(vertx.undeploy(id));
    }
    assertThat(h.db.count("SELECT count(*) FROM dunning_steps WHERE org_id = ? AND status = 'scheduled'", org))
        .isEqualTo(120);
    assertThat(mail.getReceivedMessages()).isEmpty();
  }

  @Test
  @DisplayName("with a send rate of 10 a second, 30 due emails take two seconds at least, and every one is sent once")
  void sendRate(Vertx vertx, GreenMail mail) throws Exception {
    for (int i = 0; i < 30; i++) {
      f.failedTransaction(org, "FIX_DATA", "rate" + i + "@example.com", "en", true);
    }
    // passes of 50 on a 100 ms poll, but at most 10 emails a second: passes of 10, each starting a second after the
    // last one started, so the third starts two seconds after the first. Without the rate, the first pass (100 ms
    // after deployment) sends all 30.
    long deployed = System.nanoTime();
    String id = Await.await(vertx.deployVerticle(f.sender(100, 10)));
    try {
      Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
          .until(() -> mail.getReceivedMessages().length == 30);
    } finally {
      Await.await(vertx.undeploy(id));
    }
    assertThat(Duration.ofNanos(System.nanoTime() - deployed)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(h.db.count("SELECT count(*) FROM notification_log WHERE org_id = ? AND status = 'sent'", org))
        .isEqualTo(30);
  }

  @Test
  @DisplayName("tinko_dunning_lag_seconds says how late the oldest waiting email is, and 0 once every due one is sent")
  void lagGauge(GreenMail mail) throws Exception {
    for (int i = 0; i < 3; i++) {
      f.failedTransaction(org, "FIX_DATA", "lag" + i + "@example.com", "en", true);
    }
    // enrolled at the database's now; the sender's clock is a minute ahead, so their first emails are a minute late
    // (or more, should an earlier test have left an enrolment unplanned); read at the start of the pass
    Await.await(f.sender.runOnce());
    assertThat(lag()).isBetween(55.0, 600.0);
    f.drain();
    Thread.sleep(1100);   // the gauge is read at most once a second
    Await.await(f.sender.runOnce());
    assertThat(lag()).isZero();
    assertThat(mail.getReceivedMessages()).hasSizeGreaterThanOrEqualTo(3);
  }

  private double lag() {
    return f.registry.get("tinko_dunning_lag_seconds").gauge().value();
  }

  @Test
  @DisplayName("undeployed mid-pass, the sender finishes the pass first: its emails are recorded before stop ends")
  void stopFinishesThePass(Vertx vertx, GreenMail mail) throws Exception {
    // one pass's worth (the fixture's 50): planned and claimed by the first pass, nothing left for later tests
    for (int i = 0; i < 50; i++) {
      f.failedTransaction(org, "FIX_DATA", "stop" + i + "@example.com", "en", true);
    }
    String id = Await.await(vertx.deployVerticle(f.sender(100)));
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).until(() -> h.db.count(
        "SELECT count(*) FROM dunning_steps WHERE org_id = ? AND status = 'sending'", org) > 0);
    Await.await(vertx.undeploy(id));
    // what stop() waited for: no step of the pass left claimed, and each email sent is recorded
    assertThat(h.db.count("SELECT count(*) FROM dunning_steps WHERE org_id = ? AND status = 'sending'", org))
        .isZero();
    long sent = h.db.count("SELECT count(*) FROM notification_log WHERE org_id = ? AND status = 'sent'", org);
    assertThat(sent).isPositive().isEqualTo(mail.getReceivedMessages().length);
  }

  @Test
  @DisplayName("a later decline of another class replaces the pending emails of the earlier sequence")
  void laterClassSupersedes(GreenMail mail) throws Exception {
    UUID tx = f.failedTransaction(org, "RETRY_LATER", "soft@example.com", "en", true);
    f.drain();
    f.days(1);
    f.decision(org, tx, "FIX_DATA", true);   // the card has since expired
    f.drain();
    f.days(9);
    assertThat(DunningFixture.steps(mail)).containsExactly(tx + "/RETRY_LATER/1/retry_failed",
        tx + "/FIX_DATA/1/update_payment", tx + "/FIX_DATA/2/reminder", tx + "/FIX_DATA/3/final_notice");
  }

  @Test
  @DisplayName("the tenant's branding: sender name, reply-to, logo and support address; the stop link in the headers")
  void branding(GreenMail mail) throws Exception {
    h.db.execute("INSERT INTO tenant_branding (org_id, display_name, logo_url, support_email, reply_to) "
        + "VALUES (?, 'Chai Co', 'https://cdn.chai.example/logo.png', 'help@chai.example', 'billing@chai.example')",
        org);
    f.failedTransaction(org, "NEVER", "brand@example.com", "en", true);
    f.drain();
    MimeMessage m = mail.getReceivedMessages()[0];
    assertThat(m.getFrom()[0].toString()).isEqualTo("Chai Co <no-reply@tinko.test>");
    assertThat(m.getHeader("Reply-To", null)).isEqualTo("billing@chai.example");
    assertThat(m.getSubject()).isEqualTo("Your card can no longer be used for Chai Co");
    String html = DunningFixture.part(m, "text/html");
    String text = DunningFixture.part(m, "text/plain");
    assertThat(html).contains("<img src=\"https://cdn.chai.example/logo.png\"").contains("help@chai.example")
        .contains("&#x20ac;49.00");
    // all ASCII, so the HTML part goes as 7-bit, not quoted-printable; the text part carries the € itself
    MimeMultipart parts = (MimeMultipart) m.getContent();
    for (int i = 0; i < parts.getCount(); i++) {
      MimeBodyPart p = (MimeBodyPart) parts.getBodyPart(i);
      assertThat(p.getEncoding()).as(p.getContentType())
          .isEqualTo(p.isMimeType("text/html") ? "7bit" : "quoted-printable");
    }
    assertThat(text).contains("€49.00");
    assertThat(text).contains("Questions? Write to help@chai.example.").contains("Add a payment method: "
        + "https://pay.example.com/r/t1.");
    String stop = m.getHeader("List-Unsubscribe", null);
    assertThat(text).contains("Stop these emails: " + stop.substring(1, stop.length() - 1));
    assertThat(stop).endsWith("/stop>");
  }

  @Test
  @DisplayName("an email that cannot be rendered ends as failed in the log instead of being claimed forever")
  void unrenderable(GreenMail mail) throws Exception {
    UUID tx = f.failedTransaction(org, "FIX_DATA", "xau@example.com", "en", true);
    h.db.execute("UPDATE transactions SET currency = 'XAU', amount_exponent = NULL WHERE id = ?", tx);
    f.drain();
    f.clock.advance(Duration.ofMinutes(5));   // past the lease: a step left 'sending' would be claimed again
    f.drain();
    assertThat(mail.getReceivedMessages()).isEmpty();
    assertThat(h.db.rows("SELECT status, tries FROM dunning_steps WHERE transaction_id = ? AND step_no = 1", tx))
        .extracting(r -> r.get("status") + "/" + r.get("tries")).containsExactly("failed/1");
    assertThat(h.db.count("SELECT count(*) FROM notification_log WHERE transaction_id = ? AND status = 'failed' "
        + "AND error LIKE 'render: %'", tx)).isEqualTo(1);
  }

  @Test
  @DisplayName("a step whose sender died after claiming it is sent once its lease runs out, with its two links")
  void leaseRunsOut(GreenMail mail) throws Exception {
    UUID tx = f.failedTransaction(org, "FIX_DATA", "lease@example.com", "en", true);
    UUID later = f.failedTransaction(org, "NEVER", "later@example.com", "en", true);
    f.drain();
    mail.purgeEmailFromAllMailboxes();
    // the first step of tx as a dead sender leaves it: claimed a minute ago, never finished; later's is not due yet
    h.db.execute("UPDATE dunning_steps SET status = 'sending', claimed_at = ?, tries = 1, finished_at = NULL "
        + "WHERE transaction_id = ? AND step_no = 1", f.clock.instant().minusSeconds(60).atOffset(ZoneOffset.UTC), tx);
    h.db.execute("UPDATE dunning_steps SET status = 'scheduled', due_at = ? WHERE transaction_id = ? AND step_no = 1",
        f.clock.instant().plusSeconds(3600).atOffset(ZoneOffset.UTC), later);
    f.drain();
    assertThat(mail.getReceivedMessages()).as("within the lease (120 s)").isEmpty();
    f.clock.advance(Duration.ofSeconds(61));
    f.drain();
    assertThat(DunningFixture.steps(mail)).containsExactly(tx + "/FIX_DATA/1/update_payment");
    assertThat(h.db.rows("SELECT status, tries FROM dunning_steps WHERE transaction_id = ? AND step_no = 1", tx))
        .extracting(r -> r.get("status") + "/" + r.get("tries")).containsExactly("sent/2");
    List<Map<String, Object>> links = h.db.rows("SELECT l.purpose, l.org_id, l.step_id = s.id AS same_step "
        + "FROM recovery_links l JOIN dunning_steps s ON s.transaction_id = l.transaction_id AND s.step_no = 1 "
        + "WHERE l.transaction_id = ? AND l.created_at = (SELECT max(created_at) FROM recovery_links "
        + "WHERE transaction_id = ?) ORDER BY l.purpose", tx, tx);
    assertThat(links).extracting(r -> r.get("purpose") + "/" + r.get("same_step") + "/" + org.equals(r.get("org_id")))
        .containsExactly("pay/true/true", "unsubscribe/true/true");
    f.clock.advance(Duration.ofSeconds(3600));
    f.drain();
    assertThat(DunningFixture.steps(mail)).contains(later + "/NEVER/1/new_method");
  }

  @Test
  @DisplayName("through the real pipeline: a FIX_DATA decline emails at once in Hindi, and recovery stops the rest")
  void noneAfterRecovery(GreenMail mail) throws Exception {
    String ep = h.db.connection(org, "sandbox", null, null);
    JsonObject customer = new JsonObject().put("email", "asha@example.in").put("locale", "hi-IN");
    h.process(h.db.store(ep, org, "sandbox", "payment.failed", Events.failed("pay_fix").amount("123456.78", "INR")
        .decline("expired_card").set("customer", customer).at(Instant.now()).body()));
    UUID tx = (UUID) h.db.transactions(org).get(0).get("id");
    assertThat(h.db.transactions(org).get(0)).containsEntry("decline_class", "FIX_DATA");
    f.drain();
    assertThat(mail.getReceivedMessages()).hasSize(1);
    MimeMessage m = mail.getReceivedMessages()[0];
    assertThat(m.getSubject()).contains("कार्रवाई ज़रूरी");
    String body = GreenMailUtil.getBody(m);
    assertThat(m.getHeader("List-Unsubscribe", null)).startsWith("<https://pay.example.com/r/");
    assertThat(body).contains("https://pay.example.com/r/t1.");

    h.process(h.db.store(ep, org, "sandbox", "payment.succeeded", Events.succeeded("pay_fix")
        .amount("123456.78", "INR").at(Instant.now()).body()));
    assertThat(h.db.transactions(org).get(0)).containsEntry("status", "recovered");
    f.days(10);
    assertThat(mail.getReceivedMessages()).hasSize(1);
    assertThat(h.db.rows("SELECT status FROM dunning_steps WHERE transaction_id = ? ORDER BY step_no", tx))
        .extracting(r -> r.get("status")).containsExactly("sent", "cancelled", "cancelled");
  }

  @Test
  @DisplayName("an unsubscribed customer gets nothing more from that tenant, and still gets another tenant's emails")
  void noneAfterUnsubscribe(GreenMail mail) throws Exception {
    UUID other = h.db.organization("UTC");
    UUID tx = f.failedTransaction(org, "FIX_DATA", "Maria@Example.com", "es-ES", true);
    UUID elsewhere = f.failedTransaction(other, "FIX_DATA", "Maria@Example.com", "es-ES", true);
    f.drain();
    assertThat(mail.getReceivedMessages()).hasSize(2);
    assertThat(mail.getReceivedMessages()[0].getSubject()).startsWith("Acción necesaria");
    h.db.execute("INSERT INTO dunning_unsubscribes (org_id, email) VALUES (?, 'maria@example.com')", org);
    f.days(10);
    assertThat(DunningFixture.steps(mail)).filteredOn(s -> s.startsWith(tx.toString())).hasSize(1);
    assertThat(DunningFixture.steps(mail)).filteredOn(s -> s.startsWith(elsewhere.toString())).hasSize(3);
    assertThat(h.db.rows("SELECT status, error FROM notification_log WHERE transaction_id = ? ORDER BY step_no", tx))
        .extracting(r -> r.get("status") + ":" + r.get("error"))
        .containsExactly("sent:null", "suppressed:customer unsubscribed", "suppressed:customer unsubscribed");
  }

  @Test
  @DisplayName("SMTP down: steps are retried with backoff; when it is back each email is sent exactly once")
  void outageThenRecovery(Vertx vertx) throws Exception {
    int port = FreePort.pick(0);
    GreenMail later = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    DunningFixture down = new DunningFixture(vertx, h, port);
    try {
      List<UUID> txs = List.of(down.failedTransaction(org, "FIX_DATA", "a@example.com", "en", true),
          down.failedTransaction(org, "NEVER", "b@example.com", "en", true),
          down.failedTransaction(org, "AUTH_REQUIRED", "c@example.com", "en", true));
      down.drain();
      down.clock.advance(Duration.ofSeconds(10));   // first retry after retryInitial
      down.drain();
      assertThat(h.db.count("SELECT count(*) FROM notification_log WHERE org_id = ? AND status = 'retrying'", org))
          .isEqualTo(6);
      assertThat(h.db.count("SELECT count(*) FROM dunning_steps WHERE org_id = ? AND step_no = 1 "
          + "AND status = 'scheduled' AND tries = 2", org)).isEqualTo(3);
      later.start();
      down.clock.advance(Duration.ofSeconds(5));
      down.drain();
      assertThat(later.getReceivedMessages()).isEmpty();   // not due yet: the backoff doubled to 20 s
      down.clock.advance(Duration.ofSeconds(15));
      down.drain();
      down.clock.advance(Duration.ofMinutes(10));
      down.drain();
      assertThat(DunningFixture.steps(later)).containsExactlyInAnyOrder(txs.get(0) + "/FIX_DATA/1/update_payment",
          txs.get(1) + "/NEVER/1/new_method", txs.get(2) + "/AUTH_REQUIRED/1/authenticate");
      assertThat(h.db.count("SELECT count(*) FROM notification_log WHERE org_id = ? AND status = 'sent'", org))
          .isEqualTo(3);
      assertThat(down.registry.counter("tinko_dunning_emails_total", "outcome", "retrying").count()).isEqualTo(6);
      assertThat(down.registry.counter("tinko_dunning_emails_total", "outcome", "sent").count()).isEqualTo(3);
    } finally {
      down.close();
      later.stop();
    }
  }
}
