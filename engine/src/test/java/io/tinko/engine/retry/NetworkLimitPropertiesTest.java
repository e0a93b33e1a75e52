package io.tinko.engine.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.engine.classify.Classification;
import io.tinko.engine.classify.DeclineClass;
import io.tinko.engine.normalize.CardNetwork;
import io.tinko.engine.normalize.Money;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Simulates recoveries: a card with a random history (other payments' declines, approvals, planned retries), a
 * random policy (valid or not), random network limits and a random sequence of declines; every retry the planner
 * schedules is executed and declined with the next class. Whatever happens, the schedule must keep every network
 * limit, every advice floor and the NEVER rule. The limits are checked by brute force here, not with the planner's
 * own arithmetic.
 */
@Label("Card-network limits under random histories, policies and declines")
class NetworkLimitPropertiesTest {
  private static final Instant T0 = Instant.parse("2025-01-31T09:00:00Z");
  private static final Money AMOUNT = new Money(2000, "USD", 2);
  private static final Money OTHER = new Money(4999, "USD", 2);

  record Past(long minutes, CardAttempt.Outcome outcome, boolean reattempt, DeclineClass cls, int floorHours,
              boolean sameAmount) {}

  record Scenario(NetworkLimits limits, CardNetwork network, RetryPolicy policy, List<Past> past,
                  List<Classification> declines, long seed, ZoneId zone) {}

  @Property(tries = 400)
  @Label("no generated sequence of declines yields a schedule that breaks a network limit, a floor or NEVER")
  void schedulesKeepTheRules(@ForAll("scenarios") Scenario s) {
    List<CardAttempt> history = new ArrayList<>();
    for (Past p : s.past()) {
      history.add(new CardAttempt(T0.plus(Duration.ofMinutes(p.minutes())), p.sameAmount() ? AMOUNT : OTHER,
          p.outcome(), p.reattempt(), p.outcome() == CardAttempt.Outcome.DECLINED ? p.cls() : null,
          Duration.ofHours(p.floorHours())));
    }
    history.add(CardAttempt.declined(T0, AMOUNT, false, s.declines().get(0)));
    List<Instant> ours = new ArrayList<>();
    Instant failedAt = T0;
    for (int k = 0; k < s.declines().size(); k++) {
      Classification c = s.declines().get(k);
      RetryPlanner planner = new RetryPlanner(s.limits(), Clock.fixed(failedAt, ZoneOffset.UTC),
          new SplittableRandom(s.seed() + k));
      Decision d = planner.decide(new RetryContext(c, s.network(), AMOUNT, T0, failedAt, k, history, s.zone()),
          s.policy());
      if (d.action() != Decision.Action.SCHEDULE_RETRY) {
        break;
      }
      Instant due = d.dueAt();
      assertThat(c.declineClass()).isNotEqualTo(DeclineClass.NEVER);
      assertThat(due).isAfterOrEqualTo(failedAt.plus(c.notBefore()));
      assertThat(due).isBeforeOrEqualTo(T0.plus(s.policy().window()));
      assertThat(k).isLessThan(s.policy().maxAttempts());
      assertFloorsAndNever(history, due);
      ours.add(due);
      boolean last = k + 1 == s.declines().size();
      history.add(last ? CardAttempt.approved(due, AMOUNT, true)
          : CardAttempt.declined(due, AMOUNT, true, s.declines().get(k + 1)));
      failedAt = due;
    }
    assertLimits(s, history, ours);
  }

  /** Every earlier decline's floor is respected, and no NEVER decline precedes without an approval since. */
  private static void assertFloorsAndNever(List<CardAttempt> history, Instant due) {
    Instant lastApproval = history.stream().filter(a -> a.outcome() == CardAttempt.Outcome.APPROVED)
        .filter(a -> a.at().isBefore(due)).map(CardAttempt::at).max(Instant::compareTo).orElse(Instant.MIN);
    for (CardAttempt a : history) {
      boolean liveDecline = a.outcome() == CardAttempt.Outcome.DECLINED && a.at().isAfter(lastApproval)
          && a.at().isBefore(due);
      if (liveDecline) {
        assertThat(a.declineClass()).as("a NEVER decline at " + a.at()).isNotEqualTo(DeclineClass.NEVER);
        assertThat(due).as("floor of the decline at " + a.at()).isAfterOrEqualTo(a.at().plus(a.notBefore()));
      }
    }
  }

  private static void assertLimits(Scenario s, List<CardAttempt> history, List<Instant> ours) {
    NetworkLimits l = s.limits();
    boolean visa = s.network() == CardNetwork.VISA || s.network() == CardNetwork.UNKNOWN;
    boolean mc = s.network() == CardNetwork.MASTERCARD || s.network() == CardNetwork.UNKNOWN;
    if (visa) {
      assertEveryWindow("visa", history, CardAttempt::reattempt, ours, l.visaWindow(), l.visaMaxReattempts());
    }
    if (mc) {
      Predicate<CardAttempt> decline = a -> a.outcome() != CardAttempt.Outcome.APPROVED;
      assertEveryWindow("mastercard", history, decline, ours, l.mastercardDeclineWindow(), l.mastercardMaxDeclines());
      assertEveryWindow("mastercard same amount", history, decline.and(a -> AMOUNT.sameValue(a.amount())), ours,
          l.mastercardSameAmountWindow(), l.mastercardMaxSameAmount());
    }
  }

  /**
   * Brute force: every window [start, start + w) that contains one of our retries, for starts at every counted
   * attempt and just after {@code retry - w}, holds at most {@code max} counted attempts.
   */
  private static void assertEveryWindow(String name, List<CardAttempt> history, Predicate<CardAttempt> counts,
                                        List<Instant> ours, Duration w, int max) {
    List<Instant> points = history.stream().filter(counts).map(CardAttempt::at).toList();
    for (Instant retry : ours) {
      Stream.concat(points.stream(), Stream.of(retry.minus(w).plusMillis(1)))
          .filter(start -> !start.isAfter(retry) && retry.isBefore(start.plus(w)))
          .forEach(start -> {
            long n = points.stream().filter(p -> !p.isBefore(start) && p.isBefore(start.plus(w))).count();
            assertThat(n).as(name + " window from " + start + " around our retry at " + retry).isLessThanOrEqualTo(max);
          });
    }
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<NetworkLimits> limits = Combinators.combine(
        Arbitraries.integers().between(1, 16), Arbitraries.integers().between(1, 30),
        Arbitraries.integers().between(1, 10), Arbitraries.integers().between(1, 48),
        Arbitraries.integers().between(1, 36), Arbitraries.integers().between(1, 30))
        .as((vMax, vDays, mMax, mHours, sMax, sDays) -> new NetworkLimits(vMax, Duration.ofDays(vDays), mMax,
            Duration.ofHours(mHours), sMax, Duration.ofDays(sDays)));
    Arbitrary<CardNetwork> network = Arbitraries.of(CardNetwork.VISA, CardNetwork.MASTERCARD, CardNetwork.UNKNOWN,
        CardNetwork.AMEX);
    Arbitrary<ZoneId> zone = Arbitraries.of("UTC", "America/New_York", "Asia/Kolkata", "Pacific/Chatham")
        .map(ZoneId::of);
    return Combinators.combine(limits, network, policies(), past().list().ofMaxSize(40),
            declines().list().ofMinSize(1).ofMaxSize(30), Arbitraries.longs(), zone)
        .as(Scenario::new);
  }

  private Arbitrary<RetryPolicy> policies() {
    Arbitrary<List<Duration>> schedule = Arbitraries.integers().between(1, 3 * 24 * 60).list().ofMinSize(1)
        .ofMaxSize(30).map(gaps -> {
          List<Duration> offsets = new ArrayList<>();
          long total = 0;
          for (int g : gaps) {
            total += g;
            offsets.add(Duration.ofMinutes(total));
          }
          return offsets;
        });
    Arbitrary<RetryPolicy.Backoff> backoff = Combinators.combine(Arbitraries.integers().between(1, 600),
            Arbitraries.doubles().between(1.0, 3.0), Arbitraries.integers().between(0, 3 * 24 * 60))
        .as((initial, mult, extra) -> new RetryPolicy.Backoff(Duration.ofMinutes(initial), mult,
            Duration.ofMinutes(initial + extra)));
    Arbitrary<Boolean> useSchedule = Arbitraries.of(true, false);
    Arbitrary<Integer> localHour = Arbitraries.integers().between(0, 23).injectNull(0.6);
    return Combinators.combine(useSchedule, schedule, backoff, Arbitraries.integers().between(1, 30),
            Arbitraries.integers().between(1, 30), Arbitraries.integers().between(0, 180), localHour)
        .as((sched, offsets, back, max, windowDays, jitterMinutes, hour) -> new RetryPolicy(PolicyAction.RETRY, max,
            Duration.ofDays(windowDays), sched ? offsets : List.of(), sched ? null : back,
            Duration.ofMinutes(jitterMinutes), 0, PolicyAction.GIVE_UP, hour));
  }

  private Arbitrary<Past> past() {
    // Real outcomes lie in the past (up to 40 days); only planned retries of other payments lie ahead.
    Arbitrary<Past> done = Combinators.combine(Arbitraries.longs().between(-40L * 24 * 60, -1),
            Arbitraries.of(CardAttempt.Outcome.APPROVED, CardAttempt.Outcome.DECLINED, CardAttempt.Outcome.DECLINED,
                CardAttempt.Outcome.ERROR), Arbitraries.of(true, false), pastClasses(),
            Arbitraries.of(0, 0, 0, 1, 24, 48, 240), Arbitraries.of(true, false))
        .as(Past::new);
    Arbitrary<Past> planned = Combinators.combine(Arbitraries.longs().between(1, 10L * 24 * 60),
            Arbitraries.of(true, false))
        .as((m, same) -> new Past(m, CardAttempt.Outcome.SCHEDULED, true, null, 0, same));
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, done), net.jqwik.api.Tuple.of(1, planned));
  }

  private Arbitrary<DeclineClass> pastClasses() {
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(12, Arbitraries.just(DeclineClass.RETRY_LATER)),
        net.jqwik.api.Tuple.of(4, Arbitraries.just(DeclineClass.TECHNICAL)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(DeclineClass.NEVER)));
  }

  private Arbitrary<Classification> declines() {
    Arbitrary<Classification> soft = Arbitraries.of(0, 0, 0, 1, 24, 48, 96, 144, 192, 240)
        .map(h -> new Classification(DeclineClass.RETRY_LATER, h == 0 ? "table:stripe:insufficient_funds"
            : "mastercard.mac:floor" + h, Duration.ofHours(h), false, null));
    Arbitrary<Classification> tech = Arbitraries.just(Classification.of(DeclineClass.TECHNICAL, "table:stripe:x"));
    Arbitrary<Classification> unknown = Arbitraries.just(new Classification(DeclineClass.RETRY_LATER,
        "default:unknown", Duration.ZERO, true, "zz"));
    Arbitrary<Classification> never = Arbitraries.just(Classification.of(DeclineClass.NEVER, "mastercard.mac:03"));
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(10, soft), net.jqwik.api.Tuple.of(4, tech),
        net.jqwik.api.Tuple.of(2, unknown), net.jqwik.api.Tuple.of(1, never));
  }
}
