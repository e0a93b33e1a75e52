package io.tinko.engine.classify;

import java.time.Duration;
import java.util.Objects;

/**
 * One row of the classification table. {@code code} {@value #ANY} matches every code of its source that has no row
 * of its own (Visa's category 4). {@code notBefore} is {@link Duration#ZERO} when the row sets no floor.
 */
public record DeclineRule(CodeSource source, String code, DeclineClass declineClass, Duration notBefore,
                          String note) {
  public static final String ANY = "*";

  public DeclineRule {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(declineClass, "declineClass");
    notBefore = notBefore == null ? Duration.ZERO : notBefore;
    note = note == null ? "" : note;
  }

  public boolean isWildcard() {
    return ANY.equals(code);
  }
}
