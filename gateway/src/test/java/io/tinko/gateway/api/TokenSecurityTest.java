package io.tinko.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tinko.gateway.api.auth.AccessTokens;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.RedisExtension;
import io.tinko.testing.TestDatabase;
import io.tinko.testing.TestRedis;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each kind of bad credential is refused with 401; a control token minted the same way is accepted. */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class TokenSecurityTest {
  private static ApiServer api;
  private static Tenant tenant;
  private static Tenant other;
  private static JWTClaimsSet valid;

  @BeforeAll
  static void start(TestDatabase db, TestRedis redis) throws Exception {
    api = ApiServer.start(db, redis.url());
    tenant = Tenant.create(api, "Tokens");
    other = Tenant.create(api, "Other tokens");
    valid = SignedJWT.parse(tenant.owner()).getJWTClaimsSet();
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static String kid() {
    return AccessTokens.keyId(api.jwtKey);
  }

  private static String hs256(JWTClaimsSet claims, byte[] key, String kid) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).type(JOSEObjectType.JWT)
        .build(), claims);
    jwt.sign(new MACSigner(key));
    return jwt.serialize();
  }

  private static JWTClaimsSet claims(UnaryOperator<JWTClaimsSet.Builder> change) {
    return change.apply(new JWTClaimsSet.Builder(valid)).build();
  }

  private static int status(String token) {
    return api.get("/v1/me", token).status();
  }

  @Test
  @DisplayName("control: a token we sign with our key, kid and claims is accepted")
  void control() throws Exception {
    assertThat(status(hs256(claims(b -> b.jwtID("control")), api.jwtKey, kid()))).isEqualTo(200);
    assertThat(status(tenant.owner())).isEqualTo(200);
  }

  @Test
  @DisplayName("alg none (unsigned) is refused with 401")
  void algNone() {
    String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + kid() + "\"}");
    String token = header + "." + Base64URL.encode(valid.toString()) + ".";
    assertThat(status(token)).isEqualTo(401);
  }

  @Test
  @DisplayName("a token signed with another key is refused with 401")
  void wrongKey() throws Exception {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    assertThat(status(hs256(valid, key, kid()))).isEqualTo(401);
  }

  @Test
  @DisplayName("algorithm confusion: HS512 with our own key, and RS256, are refused (HS256 is pinned)")
  void algorithmConfusion() throws Exception {
    SignedJWT hs512 = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS512).keyID(kid()).type(JOSEObjectType.JWT)
        .build(), valid);
    byte[] longKey = new byte[64];
    System.arraycopy(api.jwtKey, 0, longKey, 0, 32);
    System.arraycopy(api.jwtKey, 0, longKey, 32, 32);
    hs512.sign(new MACSigner(longKey));
    assertThat(status(hs512.serialize())).isEqualTo(401);

    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    SignedJWT rs256 = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid()).type(JOSEObjectType.JWT)
        .build(), valid);
    rs256.sign(new RSASSASigner(gen.generateKeyPair().getPrivate()));
    assertThat(status(rs256.serialize())).isEqualTo(401);
  }

  @Test
  @DisplayName("an expired token is refused with 401 saying so")
  void expired() throws Exception {
    Instant past = Instant.now().minusSeconds(3600);
    ApiServer.Resp r = api.get("/v1/me", hs256(claims(b -> b.issueTime(Date.from(past))
        .notBeforeTime(Date.from(past)).expirationTime(Date.from(past.plusSeconds(900)))), api.jwtKey, kid()));
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json().getJsonObject("error").getString("message")).contains("expired");
  }

  @Test
  @DisplayName("a token not valid yet (nbf in the future beyond the skew) is refused with 401")
  void notYetValid() throws Exception {
    Instant future = Instant.now().plusSeconds(600);
    assertThat(status(hs256(claims(b -> b.notBeforeTime(Date.from(future))
        .expirationTime(Date.from(future.plusSeconds(900)))), api.jwtKey, kid()))).isEqualTo(401);
  }

  @Test
  @DisplayName("a tampered payload (another tenant's org) with the original signature is refused with 401")
  void tampered() {
    String[] parts = tenant.owner().split("\\.");
    JsonObject payload = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8))
        .put("org", other.orgId.toString()).put("role", "owner");
    String forged = parts[0] + "." + b64(payload.encode()) + "." + parts[2];
    assertThat(status(forged)).isEqualTo(401);
    String flipped = parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? 'B' : 'A') + parts[2].substring(1);
    assertThat(status(flipped)).isEqualTo(401);
  }

  @Test
  @DisplayName("a missing or unknown key id is refused with 401")
  void keyId() throws Exception {
    assertThat(status(hs256(valid, api.jwtKey, null))).isEqualTo(401);
    assertThat(status(hs256(valid, api.jwtKey, "hs-someoneelse"))).isEqualTo(401);
  }

  @Test
  @DisplayName("another issuer or audience is refused with 401")
  void issuerAudience() throws Exception {
    assertThat(status(hs256(claims(b -> b.issuer("evil")), api.jwtKey, kid()))).isEqualTo(401);
    assertThat(status(hs256(claims(b -> b.audience("other-api")), api.jwtKey, kid()))).isEqualTo(401);
  }

  @Test
  @DisplayName("a validly signed token for a session that is not the user's, or for another org, is refused")
  void foreignSession() throws Exception {
    String otherSession = SignedJWT.parse(other.owner()).getJWTClaimsSet().getStringClaim("sid");
    assertThat(status(hs256(claims(b -> b.claim("sid", otherSession)), api.jwtKey, kid())))
        .isEqualTo(401);
    assertThat(status(hs256(claims(b -> b.claim("org", other.orgId.toString())), api.jwtKey, kid()))).isEqualTo(401);
  }

  @Test
  @DisplayName("missing, malformed and non-Bearer credentials are refused with 401 and WWW-Authenticate")
  void malformed() {
    assertThat(api.get("/v1/me", null).status()).isEqualTo(401);
    assertThat(status("garbage")).isEqualTo(401);
    assertThat(status("a.b.c")).isEqualTo(401);
    assertThat(api.get("/v1/me", null).errorCode()).isEqualTo("unauthorized");
  }

  @Test
  @DisplayName("an unknown or revoked API key is refused with 401; a live one is accepted")
  void apiKeys() {
    String key = tenant.keys.get(Role.ANALYST);
    assertThat(status(key)).isEqualTo(200);
    assertThat(status("tk_live_" + "A".repeat(43))).isEqualTo(401);
    ApiServer.Resp created = api.post("/v1/api-keys", tenant.owner(), new JsonObject().put("name", "doomed")
        .put("role", "analyst"));
    String doomed = created.json().getString("key");
    assertThat(status(doomed)).isEqualTo(200);
    assertThat(api.call(io.vertx.core.http.HttpMethod.DELETE, "/v1/api-keys/" + created.json().getString("id"),
        tenant.owner(), null).status()).isEqualTo(204);
    assertThat(status(doomed)).isEqualTo(401);
  }

  @Test
  @DisplayName("a disabled user's valid token is refused with 401")
  void disabledUser() {
    String token = tenant.invite(api, "disabled-" + System.nanoTime() + "@tokens.example", Role.ANALYST);
    assertThat(status(token)).isEqualTo(200);
    api.db.execute("UPDATE users SET disabled_at = now() WHERE org_id = ? AND email LIKE 'disabled-%'",
        tenant.orgId);
    assertThat(status(token)).isEqualTo(401);
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
