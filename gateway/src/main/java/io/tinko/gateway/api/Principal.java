package io.tinko.gateway.api;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * Who is calling, as proven by the credential: the organisation here is the only one any query may touch.
 *
 * @param id        the user id, or the API key id
 * @param sessionId the login session of an access token; null for API keys
 * @param email     the user's email; null for API keys
 * @param keyName   the API key's name; null for users
 */
public record Principal(Kind kind, UUID id, UUID orgId, Role role, UUID sessionId, String email, String keyName) {
  public enum Kind { USER, API_KEY }

  public boolean isUser() {
    return kind == Kind.USER;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("kind", kind == Kind.USER ? "user" : "api_key").put("id", id.toString())
        .put("organizationId", orgId.toString()).put("role", role.id());
    if (email != null) {
      json.put("email", email);
    }
    if (keyName != null) {
      json.put("name", keyName);
    }
    return json;
  }
}
