package io.tinko.engine.dunning;

/** HTML escaping for text and attribute values (emails and the hosted recovery page). */
public final class Html {
  private Html() {}

  public static String escape(String s) {
    return s == null ? "" : appendEscaped(new StringBuilder(s.length() + 16), s, false).toString();
  }

  /**
   * As {@link #escape(String)}, and every character outside ASCII as a character reference ({@code ₹} as
   * {@code &#x20b9;}): an email's HTML part that is all ASCII (and in short lines) goes as 7-bit, where the mail
   * client would otherwise quoted-printable-encode the whole part, on the sender's event loop, for one currency sign.
   */
  public static String escapeAscii(String s) {
    return s == null ? "" : appendEscaped(new StringBuilder(s.length() + 16), s, true).toString();
  }

  /**
   * Appends {@code s} escaped ({@code ascii}: as {@link #escapeAscii}) to {@code out}, with no string between;
   * null appends nothing.
   */
  static StringBuilder appendEscaped(StringBuilder out, String s, boolean ascii) {
    if (s == null) {
      return out;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (ascii && c > 126) {
            int cp = s.codePointAt(i);
            out.append("&#x").append(Integer.toHexString(cp)).append(';');
            i += Character.charCount(cp) - 1;
          } else {
            out.append(c);
          }
        }
      }
    }
    return out;
  }
}
