package io.tinko.gateway.api;

import io.tinko.gateway.webhook.ConnectionSecrets;

/**
 * What the merchant API needs from the process, beside the gateway's own shared state: the access-token signing key
 * (secrets.jwtKey, shared by every gateway) and the sealing of PSP secrets (master key).
 */
public record ApiShared(byte[] jwtKey, ConnectionSecrets secrets) {
  public ApiShared {
    if (jwtKey == null || jwtKey.length < 32) {
      throw new IllegalArgumentException("the JWT signing key must be at least 32 bytes");
    }
    jwtKey = jwtKey.clone();
  }

  @Override
  public byte[] jwtKey() {
    return jwtKey.clone();
  }
}
