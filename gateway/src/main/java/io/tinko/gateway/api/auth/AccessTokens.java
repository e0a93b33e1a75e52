package io.tinko.gateway.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.tinko.gateway.api.Role;
import io.tinko.gateway.http.ApiException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Access tokens: JWTs signed with HS256 under the deployment's key, naming the key ({@code kid}) in the header.
 * Verification is pinned: only HS256, only our key id, only {@code typ: JWT}; unsigned ({@code alg: none}) and
 * other-algorithm tokens find no key and fail, so an RSA public key can never be used as an HMAC secret. The claims
 * must name our issuer and audience and carry subject, organisation, session, issue, not-before and expiry times.
 */
public final class AccessTokens {
  public static final String AUDIENCE = "tinko-merchant-api";

  /** What a verified token says; authorization still checks the session and the user's current role. */
  public record Claims(UUID userId, UUID orgId, UUID sessionId) {
  }

  private final String keyId;
  private final SecretKey key;
  private final MACSigner signer;
  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final String issuer;
  private final long ttlSeconds;
  private final Clock clock;

  public AccessTokens(byte[] secret, String issuer, long ttlSeconds, long clockSkewSeconds, Clock clock) {
    this.keyId = keyId(secret);
    this.key = new SecretKeySpec(secret, "HmacSHA256");
    this.issuer = issuer;
    this.ttlSeconds = ttlSeconds;
    this.clock = clock;
    try {
      this.signer = new MACSigner(secret);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("the JWT key is too short for HS256", e);
    }
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT));
    processor.setJWSKeySelector((header, ctx) -> JWSAlgorithm.HS256.equals(header.getAlgorithm())
        && keyId.equals(header.getKeyID()) ? List.of(key) : List.of());
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(Set.of(AUDIENCE),
        new JWTClaimsSet.Builder().issuer(issuer).build(),
        Set.of("sub", "org", "sid", "iat", "nbf", "exp", "jti"), null) {
      @Override
      protected Date currentTime() {
        return Date.from(clock.instant());
      }
    };
    claims.setMaxClockSkew((int) clockSkewSeconds);
    processor.setJWTClaimsSetVerifier(claims);
  }

  /** A key id derived from the key itself, so every gateway sharing the key agrees on it without configuration. */
  public static String keyId(byte[] secret) {
    byte[] digest = Tokens.sha256("tinko-jwt-kid:" + Base64.getEncoder().encodeToString(secret));
    return "hs-" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 12);
  }

  public String keyId() {
    return keyId;
  }

  public long ttlSeconds() {
    return ttlSeconds;
  }

  public String issue(UUID userId, UUID orgId, UUID sessionId, Role role) {
    Instant now = clock.instant();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(issuer).audience(AUDIENCE).subject(userId.toString())
        .claim("org", orgId.toString()).claim("sid", sessionId.toString()).claim("role", role.id())
        .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(ttlSeconds)))
        .jwtID(UUID.randomUUID().toString())
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keyId).type(JOSEObjectType.JWT)
        .build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("HS256 signing failed", e);
    }
    return jwt.serialize();
  }

  /** @throws ApiException 401 for anything but a valid, current token of ours */
  public Claims verify(String token) {
    try {
      JWTClaimsSet c = processor.process(token, null);
      return new Claims(UUID.fromString(c.getSubject()), UUID.fromString(c.getStringClaim("org")),
          UUID.fromString(c.getStringClaim("sid")));
    } catch (BadJOSEException e) {
      String m = e.getMessage() == null ? "" : e.getMessage();
      throw new ApiException(401, "invalid_token", m.contains("Expired") ? "the access token has expired"
          : "the access token is not valid");
    } catch (ParseException | JOSEException | IllegalArgumentException | ClassCastException e) {
      throw new ApiException(401, "invalid_token", "the access token is not valid");
    }
  }
}
