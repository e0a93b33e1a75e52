package io.tinko.common.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line: ts, level, logger, thread, msg, the MDC and SLF4J key-value pairs (requestId,
 * endpointId, psp, eventId, ...), and the stack trace when there is one.
 */
public final class JsonLayout extends LayoutBase<ILoggingEvent> {
  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder sb = new StringBuilder(256);
    sb.append("{\"ts\":\"").append(Instant.ofEpochMilli(event.getTimeStamp())).append('"');
    field(sb, "level", event.getLevel().toString());
    field(sb, "logger", event.getLoggerName());
    field(sb, "thread", event.getThreadName());
    field(sb, "msg", event.getFormattedMessage());
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null) {
      mdc.forEach((k, v) -> field(sb, k, v));
    }
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair kv : event.getKeyValuePairs()) {
        field(sb, kv.key, String.valueOf(kv.value));
      }
    }
    IThrowableProxy tp = event.getThrowableProxy();
    if (tp != null) {
      field(sb, "error", tp.getClassName() + ": " + tp.getMessage());
      field(sb, "stack", ThrowableProxyUtil.asString(tp));
    }
    return sb.append("}\n").toString();
  }

  private static void field(StringBuilder sb, String key, String value) {
    sb.append(",\"");
    escape(sb, key);
    sb.append("\":\"");
    escape(sb, value == null ? "" : value);
    sb.append('"');
  }

  static void escape(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
  }
}
