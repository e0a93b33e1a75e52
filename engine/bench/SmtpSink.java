import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * A discarding SMTP server for benchmarks: answers every command with success and drops the messages. Run from
 * source, one thread: {@code java engine/bench/SmtpSink.java PORT}.
 *
 * <p>It stands in for the SMTP relay a deployment sends its customer emails to, which runs on other machines; here
 * it shares the benchmark's two cores, so it should cost little. At 3,000 failure webhooks/s (some 200 emails/s)
 * the line-by-line Python sink it replaced took 15 % of a core and this one 7-8 % (load-tests/README.md, issues 4
 * and 3 in session 13).
 */
public final class SmtpSink {
  private static final byte[] GREETING = ascii("220 sink ESMTP\r\n");
  private static final byte[] EHLO = ascii("250-sink\r\n250-PIPELINING\r\n250 8BITMIME\r\n");
  private static final byte[] OK = ascii("250 ok\r\n");
  private static final byte[] GO_AHEAD = ascii("354 go ahead\r\n");
  private static final byte[] QUEUED = ascii("250 queued\r\n");
  private static final byte[] BYE = ascii("221 bye\r\n");
  /** The end of a message's data: CRLF . CRLF; {@link Session#matched} counts how much of it was just seen. */
  private static final byte[] END = ascii("\r\n.\r\n");

  /** One SMTP connection: a command line being read, or a message's data being skipped. */
  private static final class Session {
    final byte[] line = new byte[1024];
    int lineLength;
    boolean inData;
    int matched;
    final ByteBuffer out = ByteBuffer.allocate(4096);
    boolean quit;
  }

  public static void main(String[] args) throws IOException {
    Selector selector = Selector.open();
    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 512);
    server.configureBlocking(false);
    server.register(selector, SelectionKey.OP_ACCEPT);
    ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
    while (true) {
      selector.select();
      Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
      while (keys.hasNext()) {
        SelectionKey key = keys.next();
        keys.remove();
        try {
          if (key.isAcceptable()) {
            SocketChannel c = server.accept();
            if (c != null) {
              c.configureBlocking(false);
              Session s = new Session();
              c.register(selector, SelectionKey.OP_READ, s);
              s.out.put(GREETING);
              flush(c, s);
            }
          } else if (key.isReadable()) {
            SocketChannel c = (SocketChannel) key.channel();
            Session s = (Session) key.attachment();
            in.clear();
            if (c.read(in) < 0) {
              c.close();
              continue;
            }
            in.flip();
            read(in, s, c);
            flush(c, s);
            if (s.quit) {
              c.close();
            }
          }
        } catch (IOException | RuntimeException e) {
          key.channel().close();
        }
      }
    }
  }

  private static void read(ByteBuffer in, Session s, SocketChannel c) throws IOException {
    while (in.hasRemaining()) {
      if (s.out.remaining() < 64) {   // a long pipelined burst of commands
        flush(c, s);
      }
      byte b = in.get();
      if (s.inData) {
        s.matched = b == END[s.matched] ? s.matched + 1 : b == '\r' ? 1 : 0;
        if (s.matched == END.length) {
          s.inData = false;
          s.out.put(QUEUED);
        }
        continue;
      }
      if (b != '\n') {
        if (s.lineLength < s.line.length) {
          s.line[s.lineLength++] = b;
        }
        continue;
      }
      String verb = new String(s.line, 0, Math.min(4, s.lineLength), StandardCharsets.US_ASCII).toUpperCase();
      s.lineLength = 0;
      switch (verb) {
        case "EHLO", "HELO" -> s.out.put(EHLO);
        case "DATA" -> {
          s.out.put(GO_AHEAD);
          s.inData = true;
          s.matched = 2;   // the DATA line's own CRLF: an empty message ends at once with ".\r\n"
        }
        case "QUIT" -> {
          s.out.put(BYE);
          s.quit = true;
          return;
        }
        default -> s.out.put(OK);
      }
    }
  }

  /** Replies are a few bytes and the client reads them before sending more: a write takes them whole. */
  private static void flush(SocketChannel c, Session s) throws IOException {
    s.out.flip();
    while (s.out.hasRemaining()) {
      c.write(s.out);
    }
    s.out.clear();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
