package io.tinko.engine.retry;

import io.tinko.engine.classify.DeclineClass;
import io.tinko.engine.normalize.CardNetwork;
import io.tinko.engine.normalize.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The card-network rules as arithmetic over a card's attempt history: rolling-window counts, advice floors and the
 * NEVER block. Pure. Windows are rolling (every window of the given length, not only the one starting at the first
 * decline), which is at least as strict as any anchored reading of the rules.
 */
public final class NetworkLimitGuard {
  public static final String VISA_REATTEMPTS = "visa.reattempts";
  public static final String MASTERCARD_DECLINES = "mastercard.declines";
  public static final String MASTERCARD_SAME_AMOUNT = "mastercard.same_amount_declines";
  public static final String NEVER_CLASS = "never_class";

  /** One rolling-window limit: a new attempt must keep every window of {@code window} at or under {@code max}. */
  public record Limit(String id, Duration window, int max, Predicate<CardAttempt> counts, String description) {}

  /** The earliest compliant time ({@code null} if none exists) and the first limit that pushed it later, if any. */
  public record Placement(Instant at, String deferredBy) {}

  private final NetworkLimits limits;

  public NetworkLimitGuard(NetworkLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** The limits for one more attempt of {@code amount} on a card of {@code network}; unknown schemes get both sets. */
  public List<Limit> limitsFor(CardNetwork network, Money amount) {
    List<Limit> out = new ArrayList<>(3);
    if (network == CardNetwork.VISA || network == CardNetwork.UNKNOWN) {
      out.add(new Limit(VISA_REATTEMPTS, limits.visaWindow(), limits.visaMaxReattempts(), CardAttempt::reattempt,
          "Visa allows at most " + limits.visaMaxReattempts() + " reattempts per card in " + limits.visaWindow()));
    }
    if (network == CardNetwork.MASTERCARD || network == CardNetwork.UNKNOWN) {
      out.add(new Limit(MASTERCARD_DECLINES, limits.mastercardDeclineWindow(), limits.mastercardMaxDeclines(),
          CardAttempt::mayBeDecline, "Mastercard allows at most " + limits.mastercardMaxDeclines()
          + " declines per card in " + limits.mastercardDeclineWindow()));
      out.add(new Limit(MASTERCARD_SAME_AMOUNT, limits.mastercardSameAmountWindow(), limits.mastercardMaxSameAmount(),
          a -> a.mayBeDecline() && sameAmount(amount, a.amount()), "Mastercard allows at most "
          + limits.mastercardMaxSameAmount() + " declines per card and amount in "
          + limits.mastercardSameAmountWindow()));
    }
    return out;
  }

  /**
   * The earliest instant at or after {@code candidate} at which one more attempt keeps every applicable window
   * within its limit, counting already scheduled attempts too. Compliance can only begin when an attempt leaves a
   * window, so the candidates are {@code candidate} and every {@code attempt + window} after it.
   */
  public Placement earliestCompliant(CardNetwork network, Money amount, List<CardAttempt> history,
                                     Instant candidate) {
    List<Limit> applicable = limitsFor(network, amount);
    List<List<Instant>> points = new ArrayList<>();
    TreeSet<Instant> candidates = new TreeSet<>();
    candidates.add(candidate);
    for (Limit limit : applicable) {
      List<Instant> pts = history.stream().filter(limit.counts()).map(CardAttempt::at).sorted().toList();
      points.add(pts);
      for (Instant p : pts) {
        Instant free = p.plus(limit.window());
        if (free.isAfter(candidate)) {
          candidates.add(free);
        }
      }
    }
    String deferredBy = null;
    for (Instant t : candidates) {
      String failing = null;
      for (int i = 0; i < applicable.size() && failing == null; i++) {
        Limit limit = applicable.get(i);
        if (!fits(points.get(i), t, limit.window(), limit.max())) {
          failing = limit.id();
        }
      }
      if (failing == null) {
        return new Placement(t, deferredBy);
      }
      deferredBy = deferredBy == null ? failing : deferredBy;
    }
    return new Placement(null, deferredBy); // only when a limit's max is 0
  }

  /** The limit with this id among those for {@code network}, for wording reasons. */
  public Optional<Limit> describe(CardNetwork network, String id) {
    return limitsFor(network, null).stream().filter(l -> l.id().equals(id)).findFirst();
  }

  /**
   * Whether a new attempt at {@code t} keeps every window [a, a + w) containing t at or under {@code max}. The
   * fullest such window starts at t or at a point in (t - w, t]: sliding a window's start right to the next point
   * loses nothing, so only those starts need counting.
   */
  static boolean fits(List<Instant> sortedPoints, Instant t, Duration w, int max) {
    if (max < 1) {
      return false;
    }
    Instant lowest = t.minus(w);
    List<Instant> starts = new ArrayList<>();
    starts.add(t);
    for (Instant p : sortedPoints) {
      if (p.isAfter(lowest) && !p.isAfter(t)) {
        starts.add(p);
      }
    }
    for (Instant a : starts) {
      Instant end = a.plus(w);
      int count = 1;
      for (Instant p : sortedPoints) {
        if (!p.isBefore(a) && p.isBefore(end)) {
          count++;
        }
      }
      if (count > max) {
        return false;
      }
    }
    return true;
  }

  /**
   * The NEVER-class decline that still blocks the card: the latest one, unless an approval came after it (a card
   * that was approved again is usable again). Mastercard MAC 03/21 classify as NEVER, so they block here too.
   */
  public Optional<CardAttempt> neverBlock(List<CardAttempt> history) {
    return neverBlock(history, Instant.MAX);
  }

  /** As {@link #neverBlock(List)}, counting only approvals that happened by {@code asOf}. */
  public Optional<CardAttempt> neverBlock(List<CardAttempt> history, Instant asOf) {
    Optional<CardAttempt> lastNever = history.stream()
        .filter(a -> a.outcome() == CardAttempt.Outcome.DECLINED && a.declineClass() == DeclineClass.NEVER)
        .max(Comparator.comparing(CardAttempt::at));
    Optional<Instant> lastApproval = lastApproval(history, asOf);
    return lastNever.filter(n -> lastApproval.map(ok -> n.at().isAfter(ok)).orElse(true));
  }

  /** The latest advice floor of the declines since the last approval, e.g. MAC 25 (24 h) of yesterday's decline. */
  public Optional<Instant> floor(List<CardAttempt> history) {
    return floor(history, Instant.MAX);
  }

  /** As {@link #floor(List)}, counting only approvals that happened by {@code asOf}. */
  public Optional<Instant> floor(List<CardAttempt> history, Instant asOf) {
    Optional<Instant> lastApproval = lastApproval(history, asOf);
    return history.stream()
        .filter(a -> a.outcome() == CardAttempt.Outcome.DECLINED && !a.notBefore().isZero())
        .filter(a -> lastApproval.map(ok -> a.at().isAfter(ok)).orElse(true))
        .map(a -> a.at().plus(a.notBefore()))
        .max(Comparator.naturalOrder());
  }

  /** An unknown amount on either side counts as the same amount: the stricter reading. */
  private static boolean sameAmount(Money amount, Money other) {
    return amount == null || other == null || amount.sameValue(other);
  }

  private static Optional<Instant> lastApproval(List<CardAttempt> history, Instant asOf) {
    return history.stream().filter(a -> a.outcome() == CardAttempt.Outcome.APPROVED && !a.at().isAfter(asOf))
        .map(CardAttempt::at).max(Comparator.naturalOrder());
  }
}
