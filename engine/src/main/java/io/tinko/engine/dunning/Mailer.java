package io.tinko.engine.dunning;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * SMTP through vertx-mail-client, configured from {@code smtp.url}: {@code smtp://[user:password@]host:port}
 * (STARTTLS when the server offers it; never on a loopback host, which is the local sink or a test's GreenMail) or
 * {@code smtps://} (TLS from the first byte). The client is asynchronous: no thread waits on the SMTP server.
 */
public final class Mailer {
  private final MailClient client;

  private Mailer(MailClient client) {
    this.client = client;
  }

  public static Mailer create(Vertx vertx, String smtpUrl, int timeoutMs) {
    return new Mailer(MailClient.create(vertx, config(smtpUrl, timeoutMs)));
  }

  static MailConfig config(String smtpUrl, int timeoutMs) {
    URI uri = URI.create(smtpUrl);
    boolean ssl = "smtps".equalsIgnoreCase(uri.getScheme());
    if (!ssl && !"smtp".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("smtp.url must start with smtp:// or smtps://");
    }
    String host = uri.getHost();
    boolean loopback = "localhost".equalsIgnoreCase(host) || host.startsWith("127.") || "::1".equals(host);
    MailConfig c = new MailConfig().setHostname(host).setPort(uri.getPort() > 0 ? uri.getPort() : ssl ? 465 : 25)
        .setSsl(ssl).setStarttls(ssl || loopback ? StartTLSOptions.DISABLED : StartTLSOptions.OPTIONAL)
        .setKeepAlive(true).setMaxPoolSize(4);
    c.setConnectTimeout(timeoutMs);
    c.setIdleTimeout(timeoutMs);
    c.setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    String info = uri.getRawUserInfo();
    if (info != null && !info.isEmpty()) {
      int colon = info.indexOf(':');
      c.setUsername(URLDecoder.decode(colon < 0 ? info : info.substring(0, colon), StandardCharsets.UTF_8));
      c.setPassword(colon < 0 ? "" : URLDecoder.decode(info.substring(colon + 1), StandardCharsets.UTF_8));
      c.setLogin(LoginOption.REQUIRED);
    } else {
      c.setLogin(LoginOption.DISABLED);
    }
    return c;
  }

  /** Sends; resolves to the message id the SMTP exchange used. */
  public Future<String> send(MailMessage message) {
    return client.sendMail(message).map(r -> r.getMessageID());
  }

  public Future<Void> close() {
    return client.close();
  }
}
