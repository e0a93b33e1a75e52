package io.tinko.analytics;

import io.tinko.common.domain.Psp;
import io.tinko.engine.normalize.Currencies;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

/**
 * The exponent of every (PSP, currency), from the engine's {@link Currencies} (ISO-4217 plus each PSP's documented
 * exceptions), as a temporary table. Transactions carry the exponent the PSP reported (amount_exponent); this table
 * only answers for rows written without one.
 */
final class Exponents {
  private Exponents() {}

  static void load(Connection c) throws SQLException {
    List<String> psps = new ArrayList<>();
    List<String> codes = new ArrayList<>();
    List<Integer> exponents = new ArrayList<>();
    for (Psp psp : Psp.values()) {
      for (Currency currency : Currency.getAvailableCurrencies()) {
        String code = currency.getCurrencyCode();
        if (currency.getDefaultFractionDigits() < 0) {
          continue;   // XAU, XDR, ...: not money a payment is made in
        }
        psps.add(psp.id());
        codes.add(code);
        exponents.add(Currencies.exponent(psp, code));
      }
    }
    Jdbc.update(c, "CREATE TEMP TABLE a_exponents (psp text, currency text, exponent smallint, "
        + "PRIMARY KEY (psp, currency)) ON COMMIT DROP");
    try (PreparedStatement ps = c.prepareStatement("""
        INSERT INTO a_exponents SELECT * FROM unnest(?::text[], ?::text[], ?::int2[])""")) {
      ps.setArray(1, c.createArrayOf("text", psps.toArray()));
      ps.setArray(2, c.createArrayOf("text", codes.toArray()));
      ps.setArray(3, c.createArrayOf("int2", exponents.toArray()));
      ps.executeUpdate();
    }
  }
}
