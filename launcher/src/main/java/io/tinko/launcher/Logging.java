package io.tinko.launcher;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;

/** Chooses the log format (json | text) and level once the command line and configuration are known. */
final class Logging {
  private Logging() {}

  static void configure(String format, String level) {
    String f = "text".equalsIgnoreCase(format) ? "text" : "json";
    System.setProperty("tinko.log.format", f);
    System.setProperty("tinko.log.level", level == null || level.isBlank() ? "INFO" : level.toUpperCase());
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(Logging.class.getResource("/logback.xml"));
    } catch (JoranException e) {
      System.err.println("tinko: logging configuration failed: " + e.getMessage());
    }
  }
}
