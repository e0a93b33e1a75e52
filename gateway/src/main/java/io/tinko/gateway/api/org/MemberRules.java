package io.tinko.gateway.api.org;

import io.tinko.gateway.api.Role;
import io.tinko.gateway.http.ApiException;
import java.util.Optional;

/**
 * Who may change which member, and how. Pure: the route looks the target and the count of active owners up in one
 * transaction (under the organisation's row lock) and asks here. The route guard has already required admin or owner.
 */
public final class MemberRules {
  /** What a change does to its target. */
  public enum Change { ROLE, DISABLE, ENABLE, REMOVE }

  private MemberRules() {}

  /**
   * @param caller        the acting member's role
   * @param target        the target's current role
   * @param targetActive  false when the target is disabled
   * @param activeOwners  owners of the organisation that are not disabled, the target included
   * @param newRole       the role asked for ({@link Change#ROLE} only), else null
   * @return the refusal, or empty when the change is allowed
   */
  public static Optional<ApiException> refusal(Role caller, Role target, boolean targetActive, long activeOwners,
                                               Change change, Role newRole) {
    if (!caller.atLeast(target)) {
      return Optional.of(new ApiException(403, "forbidden",
          "a " + caller.id() + " cannot change a member whose role is " + target.id()));
    }
    if (change == Change.ROLE && !caller.atLeast(newRole)) {
      return Optional.of(new ApiException(403, "forbidden", "a " + caller.id() + " cannot make a " + newRole.id()));
    }
    boolean losesOwner = target == Role.OWNER && targetActive && switch (change) {
      case ROLE -> newRole != Role.OWNER;
      case DISABLE, REMOVE -> true;
      case ENABLE -> false;
    };
    if (losesOwner && activeOwners <= 1) {
      // an organisation nobody can administer any more could only be recovered by hand
      return Optional.of(new ApiException(409, "last_owner",
          "this is the organisation's last active owner; make another member owner first"));
    }
    return Optional.empty();
  }
}
