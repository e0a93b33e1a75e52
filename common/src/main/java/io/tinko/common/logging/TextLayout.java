package io.tinko.common.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.slf4j.event.KeyValuePair;

/** Human-readable lines for --log-format text, with the same key-value context as the JSON layout. */
public final class TextLayout extends LayoutBase<ILoggingEvent> {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder sb = new StringBuilder(160);
    sb.append(TIME.format(LocalTime.ofInstant(event.getInstant(), ZoneId.systemDefault())))
        .append(' ').append(String.format("%-5s", event.getLevel()))
        .append(' ').append(shortName(event.getLoggerName()))
        .append(" - ").append(event.getFormattedMessage());
    event.getMDCPropertyMap().forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair kv : event.getKeyValuePairs()) {
        sb.append(' ').append(kv.key).append('=').append(kv.value);
      }
    }
    sb.append('\n');
    IThrowableProxy tp = event.getThrowableProxy();
    if (tp != null) {
      sb.append(ThrowableProxyUtil.asString(tp)).append('\n');
    }
    return sb.toString();
  }

  private static String shortName(String logger) {
    int dot = logger.lastIndexOf('.');
    return dot < 0 ? logger : logger.substring(dot + 1);
  }
}
