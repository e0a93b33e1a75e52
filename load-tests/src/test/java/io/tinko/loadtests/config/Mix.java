package io.tinko.loadtests.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A PSP traffic mix, "stripe=60,razorpay=20,paypal=10,standard=10" (weights, normalised). */
public final class Mix {
  private static final Set<String> SUPPORTED = Set.of("stripe", "razorpay", "paypal", "standard");

  private final String[] psps;
  private final double[] cumulative;

  private Mix(String[] psps, double[] cumulative) {
    this.psps = psps;
    this.cumulative = cumulative;
  }

  public static Mix parse(String spec) {
    List<String> names = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    double total = 0;
    for (String part : spec.split(",")) {
      String[] kv = part.trim().split("=");
      String psp = kv[0].trim().toLowerCase(Locale.ROOT);
      if (!SUPPORTED.contains(psp)) {
        throw new IllegalArgumentException("unknown psp in tinko.lt.mix: " + psp);
      }
      double w = kv.length > 1 ? Double.parseDouble(kv[1].trim()) : 1;
      if (w > 0) {
        names.add(psp);
        weights.add(w);
        total += w;
      }
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("tinko.lt.mix has no PSP with a positive weight: " + spec);
    }
    double[] cum = new double[names.size()];
    double acc = 0;
    for (int i = 0; i < cum.length; i++) {
      acc += weights.get(i) / total;
      cum[i] = acc;
    }
    cum[cum.length - 1] = 1.0;
    return new Mix(names.toArray(new String[0]), cum);
  }

  /** The PSP for a uniform draw in [0, 1). */
  public String pick(double u) {
    for (int i = 0; i < cumulative.length; i++) {
      if (u < cumulative[i]) {
        return psps[i];
      }
    }
    return psps[psps.length - 1];
  }

  public List<String> psps() {
    return List.of(psps);
  }
}
