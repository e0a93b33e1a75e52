package io.tinko.launcher;

import io.tinko.common.config.ConfigException;
import io.tinko.common.config.TinkoConfig;
import io.tinko.common.crypto.SecretBox;
import io.tinko.common.crypto.Secrets;
import io.tinko.common.db.Database;
import io.tinko.common.db.RuntimeFile;
import io.tinko.common.domain.Psp;
import io.tinko.common.util.Ids;
import io.tinko.gateway.webhook.ConnectionSecrets;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Operator tool: registers a webhook endpoint (PSP connection) straight in the database, for a first test, a demo
 * or a load test. Running gateways pick a new endpoint up on its first request.
 */
@Command(name = "endpoint", mixinStandardHelpOptions = true,
    description = "Manage webhook endpoints from the command line.", subcommands = EndpointCommand.Create.class)
final class EndpointCommand implements Runnable {
  @Override
  public void run() {
    System.out.println("usage: tinko endpoint create --psp <psp> --secret <secret> [options]; see --help");
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create an organisation (unless --org-id is given) and a webhook endpoint for one PSP.")
  static final class Create implements Callable<Integer> {
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    @Mixin
    Settings settings;

    @Option(names = "--psp", required = true, description = "stripe, razorpay, paypal or standard.")
    String psp;

    @Option(names = "--secret", required = true, description = "The webhook signing secret the PSP shows.")
    String secret;

    @Option(names = "--org-name", defaultValue = "Default organisation", description = "Name of a new organisation.")
    String orgName;

    @Option(names = "--org-id", description = "Existing organisation to attach the endpoint to.")
    UUID orgId;

    @Option(names = "--id", description = "Endpoint id (default: generated ep_...).")
    String id;

    @Option(names = "--rate", defaultValue = "1000", description = "Webhooks per second accepted (per gateway).")
    int rate;

    @Option(names = "--paypal-webhook-id", description = "PayPal only: the webhook id PayPal assigned.")
    String paypalWebhookId;

    @Override
    public Integer call() throws Exception {
      Psp p = Psp.parse(psp).filter(x -> x != Psp.SANDBOX)
          .orElseThrow(() -> new ConfigException("--psp must be stripe, razorpay, paypal or standard"));
      if (p == Psp.PAYPAL && (paypalWebhookId == null || paypalWebhookId.isBlank())) {
        throw new ConfigException("--paypal-webhook-id is required for PayPal (it is part of the signed message)");
      }
      TinkoConfig config = settings.load(false);
      ConnectionSecrets crypto = new ConnectionSecrets(new SecretBox(Secrets.load(config).masterKey()));
      PgConnectOptions pg = Database.connectOptions(Backing.connect(config).pgUrl);
      String endpointId = id != null ? id : newId();
      UUID org = orgId;
      try (Connection c = DriverManager.getConnection(Database.jdbcUrl(pg), pg.getUser(), pg.getPassword())) {
        c.setAutoCommit(false);
        if (org == null) {
          org = Ids.uuid7();
          try (PreparedStatement s = c.prepareStatement("INSERT INTO organizations (id, name) VALUES (?, ?)")) {
            s.setObject(1, org);
            s.setString(2, orgName);
            s.executeUpdate();
          }
        }
        try (PreparedStatement s = c.prepareStatement("""
            INSERT INTO psp_connections (id, org_id, psp, webhook_secret_enc, paypal_webhook_id, rate_limit_per_second)
            VALUES (?, ?, ?, ?, ?, ?)""")) {
          s.setString(1, endpointId);
          s.setObject(2, org);
          s.setString(3, p.id());
          s.setBytes(4, crypto.sealWebhookSecret(endpointId, secret));
          s.setString(5, paypalWebhookId);
          s.setInt(6, rate);
          s.executeUpdate();
        }
        c.commit();
      } catch (SQLException e) {
        throw new ConfigException("cannot create the endpoint: " + e.getMessage(), e);
      }
      System.out.println(new JsonObject().put("orgId", org.toString()).put("id", endpointId).put("psp", p.id())
          .put("webhookUrl", publicUrl(config) + "/v1/webhooks/" + p.id() + "/" + endpointId).encode());
      return 0;
    }

    /** The configured public URL, else the one of the running `tinko up` on this data dir (its --port), else the default. */
    private static String publicUrl(TinkoConfig config) {
      if (!config.string("http.publicUrl").isBlank()) {
        return config.publicUrl();
      }
      return RuntimeFile.read(config.dataDir()).map(r -> r.getString("publicUrl")).filter(u -> u != null)
          .orElse(config.publicUrl());
    }

    private static String newId() {
      SecureRandom r = new SecureRandom();
      StringBuilder sb = new StringBuilder("ep_");
      for (int i = 0; i < 20; i++) {
        sb.append(ALPHABET[r.nextInt(ALPHABET.length)]);
      }
      return sb.toString();
    }
  }
}
