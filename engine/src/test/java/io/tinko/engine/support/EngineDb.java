package io.tinko.engine.support;

import io.tinko.common.bus.InboundEvent;
import io.tinko.common.util.Ids;
import io.tinko.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Test data and assertions over JDBC, independent of the code under test: tenants, PSP connections, stored webhook
 * events (as the gateway stores them), and reads of the engine's tables.
 */
public final class EngineDb {
  private final TestDatabase db;

  public EngineDb(TestDatabase db) {
    this.db = db;
  }

  public UUID organization(String timeZone) {
    UUID id = UUID.randomUUID();
    db.execute("INSERT INTO organizations (id, name, time_zone) VALUES (?, ?, ?)", id, "Test org " + id, timeZone);
    return id;
  }

  /** A PSP connection (the webhook endpoint); {@code credentials} sealed by the caller, may be null. */
  public String connection(UUID org, String psp, String apiBaseUrl, byte[] credentials) {
    String id = "ep_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    connection(id, org, psp, apiBaseUrl, credentials);
    return id;
  }

  public void connection(String id, UUID org, String psp, String apiBaseUrl, byte[] credentials) {
    db.execute("INSERT INTO psp_connections (id, org_id, psp, webhook_secret_enc, credentials_enc, api_base_url) "
        + "VALUES (?, ?, ?, ?, ?, ?)", id, org, psp, new byte[] {1}, credentials, apiBaseUrl);
  }

  /** Stores an event as the gateway does and returns the hand-off message for it. */
  public InboundEvent store(String endpointId, UUID org, String psp, String eventType, byte[] body) {
    UUID id = Ids.uuid7();
    String eventId = "evt_" + id;
    Instant received = (Instant) row("INSERT INTO webhook_events (id, received_at, endpoint_id, org_id, psp, event_id, "
        + "event_type, headers, raw_body) VALUES (?, now(), ?, ?, ?, ?, ?, '{}'::jsonb, ?) RETURNING received_at", id,
        endpointId, org, psp, eventId, eventType, body).get("received_at");
    return new InboundEvent(id, received, endpointId, org, psp, eventId, eventType, body, 0);
  }

  /** Stores many events in one JDBC batch (benchmarks). */
  public List<InboundEvent> storeAll(String endpointId, UUID org, String psp, String eventType, List<byte[]> bodies) {
    Instant received = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    List<InboundEvent> out = new ArrayList<>();
    try (Connection c = db.jdbc(); var ps = c.prepareStatement("INSERT INTO webhook_events (id, received_at, "
        + "endpoint_id, org_id, psp, event_id, event_type, headers, raw_body) VALUES (?, ?, ?, ?, ?, ?, ?, '{}', ?)")) {
      for (byte[] body : bodies) {
        UUID id = Ids.uuid7();
        received = received.plusNanos(1000);   // one stamp per request, as the gateway's are
        ps.setObject(1, id);
        ps.setObject(2, received.atOffset(java.time.ZoneOffset.UTC));
        ps.setString(3, endpointId);
        ps.setObject(4, org);
        ps.setString(5, psp);
        ps.setString(6, "evt_" + id);
        ps.setString(7, eventType);
        ps.setBytes(8, body);
        ps.addBatch();
        out.add(new InboundEvent(id, received, endpointId, org, psp, "evt_" + id, eventType, body, 0));
      }
      ps.executeBatch();
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  public long count(String sql, Object... args) {
    return db.scalar(sql, args);
  }

  public List<Map<String, Object>> rows(String sql, Object... args) {
    try (Connection c = db.jdbc(); var ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        List<Map<String, Object>> out = new ArrayList<>();
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            Object v = rs.getObject(i);
            row.put(md.getColumnLabel(i), v instanceof Timestamp t ? t.toInstant() : v);
          }
          out.add(row);
        }
        return out;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  public Map<String, Object> row(String sql, Object... args) {
    List<Map<String, Object>> rows = rows(sql, args);
    if (rows.size() != 1) {
      throw new AssertionError("expected one row, got " + rows.size() + " for " + sql);
    }
    return rows.get(0);
  }

  public void execute(String sql, Object... args) {
    db.execute(sql, args);
  }

  /** The transactions of a tenant, oldest first. */
  public List<Map<String, Object>> transactions(UUID org) {
    return rows("SELECT * FROM transactions WHERE org_id = ? ORDER BY created_at, id", org);
  }

  public List<Map<String, Object>> attempts(UUID transactionId) {
    return rows("SELECT * FROM recovery_attempts WHERE transaction_id = ? ORDER BY attempt_no", transactionId);
  }

  public List<Map<String, Object>> decisions(UUID transactionId) {
    return rows("SELECT * FROM decisions WHERE transaction_id = ? ORDER BY id", transactionId);
  }
}
