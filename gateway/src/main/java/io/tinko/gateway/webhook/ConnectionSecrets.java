package io.tinko.gateway.webhook;

import io.tinko.common.crypto.SecretBox;

/**
 * Encryption of a PSP connection's secrets at rest. The associated data names the row and the column, so a
 * ciphertext copied into another connection or column does not open.
 */
public final class ConnectionSecrets {
  private final SecretBox box;

  public ConnectionSecrets(SecretBox box) {
    this.box = box;
  }

  public byte[] sealWebhookSecret(String connectionId, String secret) {
    return box.seal(secret, aad(connectionId, "webhook_secret"));
  }

  public String openWebhookSecret(String connectionId, byte[] sealed) {
    return box.open(sealed, aad(connectionId, "webhook_secret"));
  }

  public byte[] sealCredentials(String connectionId, String credentialsJson) {
    return box.seal(credentialsJson, aad(connectionId, "credentials"));
  }

  public String openCredentials(String connectionId, byte[] sealed) {
    return box.open(sealed, aad(connectionId, "credentials"));
  }

  private static String aad(String connectionId, String field) {
    return "psp_connections/" + connectionId + "/" + field;
  }
}
