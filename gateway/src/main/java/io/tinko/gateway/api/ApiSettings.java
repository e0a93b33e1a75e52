package io.tinko.gateway.api;

import io.tinko.common.config.TinkoConfig;

/** The api.* section of the configuration (conf/tinko.yaml documents each key). */
public record ApiSettings(long accessTokenSeconds, long refreshTokenSeconds, long sessionMaxSeconds, String issuer,
                          long clockSkewSeconds, long invitationSeconds, boolean trustForwardedFor,
                          int maxFailuresPerAccount, int maxAttemptsPerIp, int loginWindowSeconds,
                          int passwordMemoryKib, int passwordIterations, int passwordMinLength,
                          long rotationGraceSeconds, int maxPageSize, String publicUrl) {

  public static ApiSettings from(TinkoConfig c) {
    return new ApiSettings(c.longValue("api.accessTokenSeconds"), c.longValue("api.refreshTokenSeconds"),
        c.longValue("api.sessionMaxSeconds"), c.string("api.tokenIssuer"), c.longValue("api.clockSkewSeconds"),
        c.longValue("api.invitationSeconds"), Boolean.parseBoolean(c.string("api.trustForwardedFor")),
        c.integer("api.login.maxFailuresPerAccount"), c.integer("api.login.maxAttemptsPerIp"),
        c.integer("api.login.windowSeconds"), c.integer("api.password.memoryKib"),
        c.integer("api.password.iterations"), c.integer("api.password.minLength"),
        c.longValue("api.connections.rotationGraceSeconds"), c.integer("api.maxPageSize"), c.publicUrl());
  }
}
