package io.tinko.embedded;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real SMTP server (GreenMail) for {@code tinko up}: every message it receives is written to
 * {@code <dir>/<time>-<n>.eml}, a file any mail client opens, and then dropped from memory.
 */
public final class MailSink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MailSink.class);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private final GreenMail greenMail;
  private final Path dir;
  private final ScheduledExecutorService drainer;
  private final AtomicLong counter = new AtomicLong();

  private MailSink(GreenMail greenMail, Path dir) {
    this.greenMail = greenMail;
    this.dir = dir;
    this.drainer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tinko-mail-sink");
      t.setDaemon(true);
      return t;
    });
  }

  public static MailSink start(Path dir, int configuredPort) throws IOException {
    Files.createDirectories(dir);
    GreenMail gm = new GreenMail(new ServerSetup(FreePort.pick(configuredPort), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    gm.start();
    MailSink sink = new MailSink(gm, dir);
    sink.drainer.scheduleWithFixedDelay(sink::drain, 250, 250, TimeUnit.MILLISECONDS);
    return sink;
  }

  public int port() {
    return greenMail.getSmtp().getPort();
  }

  public String url() {
    return "smtp://127.0.0.1:" + port();
  }

  public Path directory() {
    return dir;
  }

  private synchronized void drain() {
    MimeMessage[] messages = greenMail.getReceivedMessages();
    if (messages.length == 0) {
      return;
    }
    try {
      greenMail.purgeEmailFromAllMailboxes();
    } catch (Exception e) {
      LOG.warn("mail sink could not purge its mailboxes", e);
    }
    for (MimeMessage m : messages) {
      Path file = dir.resolve(STAMP.format(LocalDateTime.now()) + "-" + counter.incrementAndGet() + ".eml");
      try (OutputStream out = Files.newOutputStream(file)) {
        m.writeTo(out);
      } catch (Exception e) {
        LOG.warn("mail sink could not write {}", file, e);
      }
    }
  }

  @Override
  public void close() {
    drainer.shutdown();
    drain();
    greenMail.stop();
  }
}
