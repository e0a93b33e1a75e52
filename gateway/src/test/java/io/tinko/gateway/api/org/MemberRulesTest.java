package io.tinko.gateway.api.org;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.gateway.api.Role;
import io.tinko.gateway.api.org.MemberRules.Change;
import io.tinko.gateway.http.ApiException;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MemberRulesTest {
  private static String code(Optional<ApiException> r) {
    return r.map(e -> e.status() + " " + e.code()).orElse("allowed");
  }

  @Test
  @DisplayName("an admin cannot change, disable, enable or remove an owner, nor make anyone owner")
  void adminAndOwners() {
    for (Change c : Change.values()) {
      assertThat(code(MemberRules.refusal(Role.ADMIN, Role.OWNER, true, 3, c, Role.ANALYST))).as(c.name())
          .isEqualTo("403 forbidden");
    }
    assertThat(code(MemberRules.refusal(Role.ADMIN, Role.DEVELOPER, true, 1, Change.ROLE, Role.OWNER)))
        .isEqualTo("403 forbidden");
    assertThat(code(MemberRules.refusal(Role.ADMIN, Role.ADMIN, true, 1, Change.ROLE, Role.ANALYST)))
        .isEqualTo("allowed");
    assertThat(code(MemberRules.refusal(Role.ADMIN, Role.ANALYST, true, 1, Change.ROLE, Role.ADMIN)))
        .isEqualTo("allowed");
    assertThat(code(MemberRules.refusal(Role.ADMIN, Role.DEVELOPER, true, 1, Change.REMOVE, null)))
        .isEqualTo("allowed");
  }

  @Test
  @DisplayName("the last active owner cannot be demoted, disabled or removed; with a second owner they can")
  void lastOwner() {
    assertThat(code(MemberRules.refusal(Role.OWNER, Role.OWNER, true, 1, Change.ROLE, Role.ADMIN)))
        .isEqualTo("409 last_owner");
    assertThat(code(MemberRules.refusal(Role.OWNER, Role.OWNER, true, 1, Change.DISABLE, null)))
        .isEqualTo("409 last_owner");
    assertThat(code(MemberRules.refusal(Role.OWNER, Role.OWNER, true, 1, Change.REMOVE, null)))
        .isEqualTo("409 last_owner");
    assertThat(code(MemberRules.refusal(Role.OWNER, Role.OWNER, true, 1, Change.ROLE, Role.OWNER)))
        .as("owner to owner changes nothing").isEqualTo("allowed");
    assertThat(code(MemberRules.refusal(Role.OWNER, Role.OWNER, true, 2, Change.ROLE, Role.ANALYST)))
        .isEqualTo("allowed");
    assertThat(code(MemberRules.refusal(Role.OWNER, Role.OWNER, true, 2, Change.REMOVE, null))).isEqualTo("allowed");
    assertThat(code(MemberRules.refusal(Role.OWNER, Role.OWNER, false, 1, Change.REMOVE, null)))
        .as("a disabled owner is not the one keeping the organisation administered").isEqualTo("allowed");
  }
}
