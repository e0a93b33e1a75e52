package io.tinko.engine.classify;

import io.tinko.common.domain.Psp;
import io.tinko.engine.normalize.CardNetwork;
import io.tinko.engine.normalize.DeclineCodes;
import io.tinko.engine.normalize.NormalizedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Classifies a decline with the {@link DeclineTable}: a pure function, thread-safe.
 *
 * <p>Precedence (first match wins): a network "never" (Mastercard MAC 03/21, Visa category 1: retrying breaks the
 * network's rules whatever the PSP advises); the PSP's advice code (Stripe advice_code, PayPal v1 advice_code); the
 * Mastercard MAC (network advice code, read as a MAC unless the card is known to be another scheme, because PayPal
 * reports advice without the brand); the Visa response code (more precise than the PSP's summary of it); the PSP's
 * decline code; the PSP's failure code; Visa's category-4 catch-all. Nothing matched: RETRY_LATER, flagged unknown.
 *
 * <p>The generic payload (Standard Webhooks, sandbox) uses Stripe's code vocabulary.
 */
public final class DeclineClassifier {
  private static final Map<Psp, CodeSource> PSP_CODES = Map.of(
      Psp.STRIPE, CodeSource.STRIPE, Psp.STANDARD, CodeSource.STRIPE, Psp.SANDBOX, CodeSource.STRIPE,
      Psp.RAZORPAY, CodeSource.RAZORPAY, Psp.PAYPAL, CodeSource.PAYPAL);
  private static final Map<Psp, CodeSource> PSP_ADVICE = Map.of(
      Psp.STRIPE, CodeSource.STRIPE_ADVICE, Psp.STANDARD, CodeSource.STRIPE_ADVICE,
      Psp.SANDBOX, CodeSource.STRIPE_ADVICE, Psp.PAYPAL, CodeSource.PAYPAL_ADVICE);

  private record Step(CodeSource source, String code) {}

  private final DeclineTable table;

  public DeclineClassifier(DeclineTable table) {
    this.table = Objects.requireNonNull(table, "table");
  }

  /** A classifier over the table shipped in the jar. */
  public static DeclineClassifier defaults() {
    return new DeclineClassifier(DeclineTable.load());
  }

  public DeclineTable table() {
    return table;
  }

  public Classification classify(NormalizedEvent event) {
    return classify(event.psp(), event.card().network(), event.codes());
  }

  public Classification classify(Psp psp, CardNetwork network, DeclineCodes codes) {
    Objects.requireNonNull(psp, "psp");
    CardNetwork net = network == null ? CardNetwork.UNKNOWN : network;
    DeclineCodes c = codes == null ? DeclineCodes.NONE : codes;
    List<Step> steps = steps(psp, net, c);
    for (Step step : steps) {
      Optional<DeclineRule> rule = table.exact(step.source(), step.code());
      if (rule.isPresent() && isNetwork(step.source()) && rule.get().declineClass() == DeclineClass.NEVER) {
        return classification(step, rule.get());
      }
    }
    for (Step step : steps) {
      Optional<DeclineRule> rule = table.exact(step.source(), step.code());
      if (rule.isPresent()) {
        return classification(step, rule.get());
      }
    }
    if (net == CardNetwork.VISA && present(c.networkDeclineCode())) {
      Optional<DeclineRule> any = table.wildcard(CodeSource.VISA);
      if (any.isPresent()) {
        String code = CodeSource.VISA.canonical(c.networkDeclineCode()).toUpperCase(Locale.ROOT);
        return new Classification(any.get().declineClass(), "visa.category4:" + code, any.get().notBefore(), false,
            code);
      }
    }
    String seen = firstPresent(c.declineCode(), c.failureCode(), c.networkDeclineCode(), c.adviceCode(),
        c.networkAdviceCode());
    // Unknown codes are soft by default (DOMAIN.md section 3); the planner gives them the conservative policy.
    return new Classification(DeclineClass.RETRY_LATER, seen == null ? "default:no_code" : "default:unknown",
        Duration.ZERO, true, seen);
  }

  private static List<Step> steps(Psp psp, CardNetwork net, DeclineCodes c) {
    List<Step> steps = new ArrayList<>(5);
    CodeSource advice = PSP_ADVICE.get(psp);
    if (advice != null) {
      steps.add(new Step(advice, c.adviceCode()));
    }
    if (net == CardNetwork.MASTERCARD || net == CardNetwork.UNKNOWN) {
      steps.add(new Step(CodeSource.MASTERCARD_MAC, c.networkAdviceCode()));
    }
    if (net == CardNetwork.VISA) {
      steps.add(new Step(CodeSource.VISA, c.networkDeclineCode()));
    }
    CodeSource pspCodes = PSP_CODES.get(psp);
    if (pspCodes != null) {
      steps.add(new Step(pspCodes, c.declineCode()));
      steps.add(new Step(pspCodes, c.failureCode()));
    }
    return steps;
  }

  private static Classification classification(Step step, DeclineRule r) {
    return new Classification(r.declineClass(), step.source().rule(r.code()), r.notBefore(), false, r.code());
  }

  private static boolean isNetwork(CodeSource source) {
    return source == CodeSource.MASTERCARD_MAC || source == CodeSource.VISA;
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }

  private static String firstPresent(String... values) {
    for (String v : values) {
      if (present(v)) {
        return v;
      }
    }
    return null;
  }
}
