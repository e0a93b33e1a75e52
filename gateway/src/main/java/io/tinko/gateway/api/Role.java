package io.tinko.gateway.api;

import java.util.Locale;
import java.util.Optional;

/**
 * A member's or API key's role. Each role can do what the ones below it can: analyst reads, developer also manages
 * PSP connections, API keys and event replays, admin also policies and members, owner everything.
 */
public enum Role {
  ANALYST, DEVELOPER, ADMIN, OWNER;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean atLeast(Role other) {
    return compareTo(other) >= 0;
  }

  public static Optional<Role> parse(String s) {
    for (Role r : values()) {
      if (r.id().equals(s)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
